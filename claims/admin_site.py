"""The admin site, with the sign-in rules of claims/accounts/.

Installed as Django's default site (tracker/apps.py), so every
`admin.site.register` and `@admin.register` keeps working. It lives outside
claims/admin/: Django imports it while the first model admin registers, and
importing the claims.admin package then would register ours on a second,
throw-away site. On top of
Django's checks (an active staff user), a signed-in user who owes a second
factor (two_factor.second_factor_step) has no admin permission until they
give a code, or enrol when it is required of them; the login sends them
to that step. django-otp's OTPAdminSite does the same by making its login
form ask for the code with the password; ours asks after the password, so
that a Reviewer without a device yet can sign in to enrol.
"""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.http import HttpResponseRedirect
from django.urls import path, reverse

from claims.accounts.two_factor import second_factor_step


class CounterclaimAdminSite(admin.AdminSite):
    site_header = "Counterclaim editors"
    site_title = "Counterclaim"
    index_title = "Claims desk"

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        # Logging out needs no second factor: someone at the code step can leave.
        if request.resolver_match and request.resolver_match.view_name == f"{self.name}:logout":
            return True
        return second_factor_step(request.user) is None

    def login(self, request, extra_context=None):
        next_url = LoginView().get_redirect_url(request) or reverse("admin:index", current_app=self.name)
        if request.method == "GET" and (step := self._second_factor_redirect(request, next_url)):
            return step
        response = super().login(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            # The password was right: the code (or enrolment) comes next.
            return self._second_factor_redirect(request, response["Location"]) or response
        return response

    def _second_factor_redirect(self, request, next_url):
        user = request.user
        if not (user.is_active and user.is_staff) or not (step := second_factor_step(user)):
            return None
        url = reverse(f"{self.name}:two_factor_{step}", current_app=self.name)
        return HttpResponseRedirect(f"{url}?{urlencode({'next': next_url})}")

    def get_urls(self):
        from claims.admin import accounts  # by now the admin is loaded (see the top)

        # Not wrapped in admin_view: these are the steps that earn the permission.
        def step(view_class):
            return view_class.as_view(site=self)

        return [
            path("two-factor/", step(accounts.VerifyView), name="two_factor_verify"),
            path("two-factor/enrol/", step(accounts.EnrolView), name="two_factor_enrol"),
            path("two-factor/backup-codes/", step(accounts.BackupCodesView), name="two_factor_backup_codes"),
            *super().get_urls(),
        ]
