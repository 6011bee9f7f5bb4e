from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.http import require_safe

from claims.admin.accounts import password_reset_urls
from claims.admin.desk import desk_view
from claims.api.errors import not_found
from claims.views.health import healthz

urlpatterns = [
    # Before the admin's own URLs, which end in a catch-all.
    path("admin/desk/", admin.site.admin_view(require_safe(desk_view)), name="admin-desk"),
    # Before the admin's own: staff password reset by email.
    *password_reset_urls(),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("claims.api.urls")),
    # The API answers JSON always: any other address under /api/ too, and the
    # error handlers below for /api/ (reader pages keep their HTML ones).
    re_path(r"^api/", not_found, name="api-not-found"),
    path("", include("claims.urls")),
]

handler400 = "claims.api.errors.handler400"
handler403 = "claims.api.errors.handler403"
handler404 = "claims.api.errors.handler404"
handler500 = "claims.api.errors.handler500"
