from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from claims.models import Source
from claims.urls_normalise import normalise_url

from .base import HistoryAdmin


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = [
            "url",
            "title",
            "publisher",
            "kind",
            "language",
            "published_on",
            "published_time",
            "archive_url",
            "accessed_on",
        ]

    def clean_url(self):
        """A URL is stored once: name the source that already has it."""
        url = normalise_url(self.cleaned_data.get("url", ""))
        if url:
            existing = Source.objects.filter(url=url).exclude(pk=self.instance.pk).first()
            if existing:
                link = reverse("admin:claims_source_change", args=[existing.pk])
                raise forms.ValidationError(
                    format_html('This URL is already stored as <a href="{}">{}</a>.', link, existing)
                )
        return url


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    form = SourceForm
    list_display = ["title", "publisher", "kind", "language", "published_on", "link", "archive"]
    list_filter = ["kind", "language"]
    list_select_related = ["publisher"]
    search_fields = ["title", "url", "publisher__name"]
    autocomplete_fields = ["publisher"]
    date_hierarchy = "published_on"
    readonly_fields = ["archive"]
    fields = [
        "url",
        "title",
        "publisher",
        ("kind", "language"),
        ("published_on", "published_time"),
        ("archive_url", "archive"),
        "accessed_on",
    ]

    @admin.display(description="URL")
    def link(self, obj):
        return format_html('<a href="{}" rel="noopener">open</a>', obj.url) if obj.url else "—"

    @admin.display(description="archived copy")
    def archive(self, obj):
        if not obj.archive_url:
            return "—"
        return format_html('<a href="{}" rel="noopener">archived copy</a>', obj.archive_url)
