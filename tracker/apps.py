from django.contrib.admin.apps import AdminConfig


class CounterclaimAdminConfig(AdminConfig):
    """Django's admin with our site as `admin.site` (claims/admin_site.py:
    the two-factor step on top of Django's checks)."""

    default_site = "claims.admin_site.CounterclaimAdminSite"
