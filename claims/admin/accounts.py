"""The admin's sign-in pages: the code step after the password, enrolling an
authenticator, backup codes, the lockout page and the staff password reset.
Thin: the rules are in claims/accounts/."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from claims.accounts import two_factor
from claims.accounts.forms import (
    AuthenticatorForm,
    SecondFactorForm,
    StaffPasswordResetForm,
    StaffSetPasswordForm,
)


@method_decorator(never_cache, name="dispatch")
class SignInStep:
    """A page for a signed-in staff member, outside the admin's permission
    check (the step may be what earns it); `site` is the admin site."""

    site = None

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        self.step = two_factor.second_factor_step(request.user)
        return self.check_step() or super().dispatch(request, *args, **kwargs)

    def check_step(self):
        """A redirect when this page is not the one the user needs now."""
        return None

    def next_url(self):
        url = self.request.POST.get(REDIRECT_FIELD_NAME) or self.request.GET.get(REDIRECT_FIELD_NAME)
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return url
        return reverse("admin:index")

    def go(self, name):
        return HttpResponseRedirect(f"{reverse(name)}?{urlencode({REDIRECT_FIELD_NAME: self.next_url()})}")

    def get_context_data(self, **kwargs):
        return {
            **self.site.each_context(self.request),
            **super().get_context_data(**kwargs),
            "title": self.title,
            "step": self.step,
            "next": self.next_url(),
            "required": two_factor.two_factor_required(self.request.user),
        }


class VerifyView(SignInStep, FormView):
    title = "Two-factor sign-in: your code"
    template_name = "accounts/two_factor_verify.html"

    def check_step(self):
        if self.step == two_factor.ENROL:
            return self.go("admin:two_factor_enrol")
        if self.step is None:
            return HttpResponseRedirect(self.next_url())
        return None

    def get_form(self, form_class=None):
        return SecondFactorForm(self.request.user, self.request, **self.get_form_kwargs())

    def form_valid(self, form):
        two_factor.mark_verified(self.request, form.get_user().otp_device)
        return HttpResponseRedirect(self.next_url())


class EnrolView(SignInStep, FormView):
    """Set up an authenticator app: scan the QR code (or type the key), give
    its first code. A verified user may set up a new one (a new phone); it
    replaces the old once confirmed."""

    title = "Two-factor sign-in: set up an authenticator app"
    template_name = "accounts/two_factor_enrol.html"

    def check_step(self):
        if self.step == two_factor.VERIFY:
            # Replacing a device needs a code from the one there is.
            return self.go("admin:two_factor_verify")
        self.device = two_factor.pending_authenticator(self.request.user)
        return None

    def get_form(self, form_class=None):
        return AuthenticatorForm(self.device, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "qr_code": two_factor.authenticator_qr(self.device),
            "secret": two_factor.authenticator_secret(self.device),
            "enrolled": two_factor.has_authenticator(user),
            "backup_codes_left": two_factor.backup_codes_left(user),
        }

    def form_valid(self, form):
        two_factor.mark_verified(self.request, self.device)
        messages.success(
            self.request,
            "Two-factor sign-in is on: from now on you give a code from the app after your password.",
        )
        return self.go("admin:two_factor_backup_codes")


class BackupCodesView(SignInStep, TemplateView):
    """One-time codes for when the phone is not at hand: made on request,
    shown once (in the answer to the POST that makes them)."""

    title = "Two-factor sign-in: backup codes"
    template_name = "accounts/two_factor_backup_codes.html"

    def check_step(self):
        if self.step == two_factor.VERIFY:
            return self.go("admin:two_factor_verify")
        if not two_factor.has_authenticator(self.request.user):
            return self.go("admin:two_factor_enrol")
        return None

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "left": two_factor.backup_codes_left(self.request.user)}

    def post(self, request, *args, **kwargs):
        codes = two_factor.new_backup_codes(request.user)
        return self.render_to_response(self.get_context_data(codes=codes))


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login refused for too many failures
    (AXES_LOCKOUT_CALLABLE): a plain page, 429."""
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in locked",
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


class StaffPasswordResetView(auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


def password_reset_urls():
    """Django's reset views with the admin's templates; the admin's login shows
    "Forgotten your password?" because `admin_password_reset` exists.
    Unnamespaced, as the reset mail's template reverses `password_reset_confirm`."""
    look = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}
    return [
        path(
            "admin/password_reset/",
            StaffPasswordResetView.as_view(extra_context=look),
            name="admin_password_reset",
        ),
        path(
            "admin/password_reset/done/",
            auth_views.PasswordResetDoneView.as_view(extra_context=look),
            name="password_reset_done",
        ),
        path(
            "admin/reset/<uidb64>/<token>/",
            auth_views.PasswordResetConfirmView.as_view(form_class=StaffSetPasswordForm, extra_context=look),
            name="password_reset_confirm",
        ),
        path(
            "admin/reset/done/",
            auth_views.PasswordResetCompleteView.as_view(extra_context=look),
            name="password_reset_complete",
        ),
    ]
