"""The login lockout (django-axes) with two thresholds.

django-axes counts failed logins in its AccessAttempt rows (one per username,
address and user agent, in the database every worker shares) and has one
limit, AXES_FAILURE_LIMIT, compared with the failures of the request's
lockout parameters. We keep axes' standard per-username lockout as it is:
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]] with the limit 10, so
the admin's AccessAttempt list shows "locked out" right. The second,
address-wide threshold (LOGIN_ADDRESS_FAILURE_LIMIT, e.g. 50 failures from
one address across any usernames) is added here, in the one method both of
axes' decisions go through (`get_failures`: "is this login refused?" before
the password is checked, and "does this failure lock?" after): once the
address has reached its threshold, every username from it counts as having
reached the per-username limit. Listing "ip_address" as a second lockout
parameter would not do: axes would hold it to the same limit of 10, and one
guesser trying ten names would lock out a whole newsroom behind one NAT.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class NewsroomLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        for_username = super().get_failures(request, credentials)
        if self.address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(for_username, get_failure_limit(request, credentials))
        return for_username

    def address_failures(self, request):
        """Failures from the request's address within the window, any username."""
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def unlock_username(username):
    """Forget the failed logins of a username from every address (what
    `manage.py axes_reset_username` does); returns how many records went."""
    return AxesProxyHandler.reset_attempts(username=username)
