from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST, require_safe

from claims.capture import risk
from claims.capture.capturing import request_capture
from claims.capture.downloads import PRIVATE_NO_STORE, warc_attachment
from claims.capture.prefill import prefill
from claims.capture.public import cited_sources
from claims.models import Capture, Source
from claims.urls_normalise import normalise_url
from claims.vocabularies import CaptureTrigger, Language

from .base import HistoryAdmin

# What "Add source" fills in from the page when the editor leaves it empty.
PREFILLED_FIELDS = ("title", "publisher", "published_on", "language")
AT_RISK_PER_PAGE = 50


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prefill_reason = ""
        if not self.adding:
            return
        # A new source's title and language may be left to the page (clean()).
        if "title" in self.fields:
            self.fields["title"].required = False
            self.fields["title"].help_text = "Left empty, it is read from the page when you save."
        if "language" in self.fields:
            field = self.fields["language"]
            field.required = False
            field.choices = [("", "— from the page —"), *Language.choices]
            if "language" not in (kwargs.get("initial") or {}):
                self.initial["language"] = ""

    @property
    def adding(self):
        return self.instance.pk is None

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

    def clean(self):
        cleaned = super().clean()
        if self.adding:
            self.fill_from_the_page(cleaned)
        return cleaned

    def fill_from_the_page(self, cleaned):
        """Fields the editor left empty, filled from the page (the editor's
        values always win); a title that is still missing is the one error."""
        empty = [name for name in PREFILLED_FIELDS if name in self.fields and not cleaned.get(name)]
        url = cleaned.get("url")
        fetched = False
        # Only where a field left to the page (title, language) is empty: a
        # publisher or a day left empty may be on purpose, and not worth a
        # wait. Not while the form has other errors: it is sent back anyway.
        if url and {"title", "language"} & set(empty) and not self._errors:
            found = prefill(url)
            fetched = True
            self.prefill_reason = found.reason
            for name in empty:
                value = found.values.get(name)
                if name == "language" and value not in valid_choices(self.fields["language"]):
                    continue
                if value:
                    cleaned[name] = value
        if "title" in self.fields and not cleaned.get("title") and "title" not in self._errors:
            if self.prefill_reason:
                message = f"Give a title: the page could not be read ({self.prefill_reason})."
            elif fetched:
                message = "Give a title: the page does not give one."
            else:
                message = "Give a title (or a URL to read it from)."
            self.add_error("title", message)
        if "language" in self.fields and not cleaned.get("language") and "language" not in self._errors:
            cleaned["language"] = Source._meta.get_field("language").default


def valid_choices(field):
    return {str(value) for value, _ in field.choices if value}


class SourceChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The capture column's facts ride along in the list's one query.
        return risk.with_capture_facts(super().get_queryset(request, exclude_parameters))


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    form = SourceForm
    change_list_template = "admin/claims/source/change_list.html"
    list_display = ["title", "publisher", "kind", "language", "published_on", "link", "archive", "capture"]
    list_filter = ["kind", "language", "capture_state", "link_state"]
    list_select_related = ["publisher", "latest_capture"]
    search_fields = ["title", "url", "publisher__name"]
    autocomplete_fields = ["publisher"]
    date_hierarchy = "published_on"
    readonly_fields = ["archive"]
    actions = ["capture_again"]
    fields = [
        "url",
        "title",
        "publisher",
        ("kind", "language"),
        ("published_on", "published_time"),
        ("archive_url", "archive"),
        "accessed_on",
    ]

    class Media:
        js = ["js/source-prefill.js"]

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path("at-risk/", view(require_safe(self.at_risk_view)), name="{}_{}_at_risk".format(*info)),
            path("prefill/", view(require_safe(self.prefill_view)), name="{}_{}_prefill".format(*info)),
            path(
                "<int:object_id>/capture/",
                view(require_POST(self.capture_again_view)),
                name="{}_{}_capture_again".format(*info),
            ),
            path(
                "<int:object_id>/captures/<int:capture_id>/warc",
                view(require_safe(self.capture_warc_view)),
                name="{}_{}_capture_warc".format(*info),
            ),
            *super().get_urls(),
        ]

    def get_changelist(self, request, **kwargs):
        return SourceChangeList

    @admin.display(description="URL")
    def link(self, obj):
        return format_html('<a href="{}" rel="noopener">open</a>', obj.url) if obj.url else "—"

    @admin.display(description="archived copy")
    def archive(self, obj):
        if not obj.archive_url:
            return "—"
        return format_html('<a href="{}" rel="noopener">archived copy</a>', obj.archive_url)

    @admin.display(description="capture", ordering="capture_state")
    def capture(self, obj):
        return risk.capture_summary(obj)

    # --- Permissions --------------------------------------------------------

    def has_request_capture_permission(self, request):
        return request.user.has_perm("claims.request_capture")

    def has_view_capture_permission(self, request):
        return request.user.has_perm("claims.view_capture")

    # --- Capture again ------------------------------------------------------

    @admin.action(description="Capture the selected sources again", permissions=["request_capture"])
    def capture_again(self, request, queryset):
        queued, without_url = [], []
        for source in queryset.select_related("publisher").order_by("pk"):
            if request_capture(source, CaptureTrigger.REQUESTED, user=request.user):
                queued.append(source)
            else:
                without_url.append(source)
        if queued:
            self.message_user(request, queued_message(queued), messages.SUCCESS)
        for source in without_url:
            self.message_user(request, no_url_message(source), messages.WARNING)

    def capture_again_view(self, request, object_id):
        if not self.has_request_capture_permission(request):
            raise PermissionDenied
        source = self.get_object(request, str(object_id))
        if source is None:
            raise Http404("No such source.")
        if request_capture(source, CaptureTrigger.REQUESTED, user=request.user):
            self.message_user(request, queued_message([source]), messages.SUCCESS)
        else:
            self.message_user(request, no_url_message(source), messages.WARNING)
        return redirect(reverse("admin:claims_source_change", args=[source.pk]) + "#captures")

    # --- The change page's captures -----------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and self.has_view_capture_permission(request):
            context.update(self.captures_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def captures_context(self, request, source):
        captures = list(
            Capture.objects.filter(source=source).select_related("requested_by").defer("text").in_order()
        )
        public = bool(captures) and cited_sources().filter(pk=source.pk).exists()
        return {
            "captures_shown": True,
            "captures": captures,
            "captures_public": public,
            "can_request_capture": self.has_request_capture_permission(request),
        }

    def capture_warc_view(self, request, object_id, capture_id):
        if not (self.has_view_permission(request) and self.has_view_capture_permission(request)):
            raise PermissionDenied
        capture = get_object_or_404(Capture.objects.defer("text"), pk=capture_id, source_id=object_id)
        return warc_attachment(capture, cache_control=PRIVATE_NO_STORE)

    # --- Sources at risk ----------------------------------------------------

    def at_risk_view(self, request):
        if not (self.has_view_permission(request) and self.has_view_capture_permission(request)):
            raise PermissionDenied
        which = request.GET.get("risk", "")
        if which not in risk.Risk.values:
            which = ""
        counts = risk.at_risk_counts()
        paginator = Paginator(risk.sources_at_risk(which), AT_RISK_PER_PAGE)
        # The total is known from the counts: no second count query.
        paginator.count = counts[which] if which else sum(counts.values())
        page = paginator.get_page(request.GET.get("page"))
        rows = [
            {"source": source, "reason": risk.risk_reason(source), "since": risk.since(source)}
            for source in page.object_list
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Sources at risk",
            "opts": self.opts,
            "which": which,
            "risks": [
                {"value": choice.value, "label": choice.label, "count": counts[choice.value]}
                for choice in risk.Risk
            ],
            "total": sum(counts.values()),
            "page": page,
            "rows": rows,
            "labels": dict(risk.Risk.choices),
        }
        return TemplateResponse(request, "admin/claims/source/at_risk.html", context)

    # --- Prefill ------------------------------------------------------------

    def prefill_view(self, request):
        """What "Add source" can fill in from the page at ?url=: {"values":
        {field: value, "publisher": {"id", "name"}}, "reason": ""}."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        url = request.GET.get("url", "").strip()
        try:
            url = forms.URLField(assume_scheme="https").clean(url)
        except forms.ValidationError:
            return JsonResponse({"values": {}, "reason": "not a valid URL"}, status=400)
        found = prefill(normalise_url(url))
        language_choices = valid_choices(SourceForm.base_fields["language"])
        return JsonResponse(
            {"values": prefill_json(found.values, language_choices), "reason": found.reason},
            headers={"Cache-Control": "private, no-store"},
        )


def prefill_json(values, language_choices):
    out = {}
    if values.get("title"):
        out["title"] = values["title"]
    if (publisher := values.get("publisher")) is not None and publisher.pk:
        out["publisher"] = {"id": publisher.pk, "name": publisher.name}
    if values.get("published_on"):
        out["published_on"] = values["published_on"].isoformat()
    if values.get("language") in language_choices:
        out["language"] = values["language"]
    return out


def queued_message(sources):
    names = ", ".join(f"“{source}”" for source in sources[:5])
    if len(sources) > 5:
        names += f" and {len(sources) - 5} more"
    return f"Capture of {names} queued."


def no_url_message(source):
    return f"“{source}” has no URL, so there is nothing to capture: give it one first."
