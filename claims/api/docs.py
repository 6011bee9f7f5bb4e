"""Swagger UI under our Content-Security-Policy: no inline script or style.

drf-spectacular's split view serves the page and its start-up script as two
responses (the script from `?script`), and the sidecar package serves Swagger
UI's own files from our static files. Our page template differs from the
package's only in leaving out its inline <style>.
"""

from pathlib import Path

from django.template.backends.django import DjangoTemplates
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.renderers import TemplateHTMLRenderer

ENGINE = DjangoTemplates(
    {
        "NAME": "api-docs",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {},
    }
)


class DocsTemplateRenderer(TemplateHTMLRenderer):
    def resolve_template(self, template_names):
        return ENGINE.get_template(template_names[0])


class SwaggerDocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    renderer_classes = [DocsTemplateRenderer]
    throttle_classes = []
