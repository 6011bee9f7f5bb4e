"""Session sign-in for the API, under the admin's two-factor rule.

A browser signed in to the admin may write through the API with its session
(and CSRF token). Such a write needs what the admin needs: a user who owes a
second factor (a Reviewer or superuser not yet verified when REQUIRE_2FA is
on, or anyone enrolled who has not given a code) is refused with a 403 JSON
error. Reads are unaffected, as are API tokens (which are given out by an
operator, not typed in, and never pass through a login form).
"""

from drf_spectacular.authentication import SessionScheme as SpectacularSessionScheme
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS

from claims.accounts.two_factor import second_factor_step


class TwoFactorRequired(exceptions.PermissionDenied):
    default_detail = (
        "Two-factor sign-in is required for this account: give your code in the admin "
        "(/admin/two-factor/) before writing, or use an API token."
    )
    default_code = "two_factor_required"


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        # The Django request's user: OTPMiddleware says there whether this session gave a code.
        if (
            result is not None
            and request.method not in SAFE_METHODS
            and second_factor_step(request._request.user) is not None
        ):
            raise TwoFactorRequired()
        return result


class SessionScheme(SpectacularSessionScheme):
    """The OpenAPI schema describes ours as drf-spectacular does DRF's (the session cookie)."""

    target_class = "claims.api.authentication.SessionAuthentication"
