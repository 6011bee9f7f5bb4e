from django.contrib import admin
from django.urls import include, path

from claims.views.health import healthz

admin.site.site_header = "Counterclaim editors"
admin.site.site_title = "Counterclaim"
admin.site.index_title = "Claims desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("claims.api.urls")),
    path("", include("claims.urls")),
]
