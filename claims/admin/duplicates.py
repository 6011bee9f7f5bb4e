"""Duplicate warnings in the claim and actor forms (claims/duplicates.py
finds them): live under the field while the editor types (a JSON endpoint
that static/js/duplicate-warnings.js asks), and again on save, where a
near-duplicate is refused until the editor ticks "This is a different ...".

A ModelAdmin takes them with one line, `WarnsOfDuplicates` first among its
bases; the form class stays whatever the admin builds (wrapped, not replaced)."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_safe

from claims import duplicates
from claims.models import Actor, Claim

TICK_FIELD = "not_a_duplicate"


@dataclass(frozen=True)
class DuplicateCheck:
    field: str  # the form field compared
    find: Callable  # find(text, exclude_pk=None) -> [SimilarClaim | SimilarActor]
    noun: str
    heading: str
    tick_label: str
    min_length: int

    def describe(self, found):
        """(link, label, state) for each near-duplicate: its change page, its text or name."""
        for item in found:
            if self.noun == "claim":
                yield (
                    item.admin_url,
                    item.text,
                    f"{item.status_label}, {'published' if item.is_published else 'draft'}",
                )
            else:
                alias = f", as “{item.matched}”" if item.matched != item.name else ""
                yield item.admin_url, item.name, f"{item.kind_label}{alias}"


CHECKS = {
    Claim: DuplicateCheck(
        field="text",
        find=duplicates.similar_claims,
        noun="claim",
        heading="Similar claims already in the database",
        tick_label="This is a different claim",
        min_length=duplicates.MIN_CLAIM_LENGTH,
    ),
    Actor: DuplicateCheck(
        field="name",
        find=duplicates.similar_actors,
        noun="actor",
        heading="Similar actors already in the database (names and aliases)",
        tick_label="This is a different actor",
        min_length=duplicates.MIN_ACTOR_LENGTH,
    ),
}


def refusal(check, found):
    items = format_html_join("", '<li><a href="{}">{}</a> ({})</li>', check.describe(found))
    return format_html(
        '{}: <ul class="similar-records-list">{}</ul>Open one to add to it instead, or, if yours is a '
        "different {}, tick “{}” below and save again.",
        check.heading,
        items,
        check.noun,
        check.tick_label,
    )


def with_duplicate_check(form_class, check, similar_url):
    """`form_class` that refuses a new (or newly worded) near-duplicate until
    the tick box is ticked, and tells the live warning where to ask."""

    class DuplicateCheckForm(form_class):
        not_a_duplicate = forms.BooleanField(
            required=False,
            label=check.tick_label,
            help_text=f"Tick only after checking the similar {check.noun}s listed above.",
        )

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.similar_found = []
            field = self.fields.get(check.field)
            if field is not None:
                field.widget.attrs.update(
                    {
                        "data-similar-url": similar_url,
                        "data-similar-heading": check.heading,
                        "data-similar-min": check.min_length,
                        "data-similar-exclude": self.instance.pk or "",
                    }
                )

        def clean(self):
            cleaned = super().clean()
            value = cleaned.get(check.field)
            checked = self.instance._state.adding or check.field in self.changed_data
            if value and checked and not cleaned.get(TICK_FIELD):
                self.similar_found = check.find(value, exclude_pk=self.instance.pk)
                if self.similar_found:
                    self.add_error(check.field, refusal(check, self.similar_found))
            return cleaned

        @property
        def shows_tick(self):
            return bool(self.similar_found) or (self.is_bound and bool(self[TICK_FIELD].value()))

    DuplicateCheckForm.__name__ = form_class.__name__
    return DuplicateCheckForm


def with_field_after(fieldsets, after, new):
    """A copy of `fieldsets` with field `new` on its own line after the line holding `after`."""
    placed = False
    copied = []
    for name, options in fieldsets:
        fields = list(options.get("fields", ()))
        if not placed:
            for index, line in enumerate(fields):
                if after in (line if isinstance(line, (list, tuple)) else (line,)):
                    fields.insert(index + 1, new)
                    placed = True
                    break
        copied.append((name, {**options, "fields": fields}))
    if not placed:
        copied.append((None, {"fields": [new]}))
    return copied


class WarnsOfDuplicates:
    """ModelAdmin mixin: the warnings for the model's check in CHECKS."""

    @property
    def duplicate_check(self):
        return CHECKS[self.model]

    @property
    def media(self):
        return super().media + forms.Media(
            js=["js/duplicate-warnings.js"], css={"all": ["css/admin-editors.css"]}
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(require_safe(self.similar_view))
        return [path("similar/", view, name="{}_{}_similar".format(*info)), *super().get_urls()]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_similar")
        return with_duplicate_check(form, self.duplicate_check, url)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The tick box shows once a save met near-duplicates (or it was ticked).
        adminform = context.get("adminform")
        if adminform is not None and getattr(adminform.form, "shows_tick", False):
            adminform.fieldsets = with_field_after(
                adminform.fieldsets, self.duplicate_check.field, TICK_FIELD
            )
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def similar_view(self, request):
        """GET ?text=...[&exclude=id]: {"heading", "similar": [...]}, most similar first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        exclude = request.GET.get("exclude", "").strip()
        if exclude and not exclude.isdigit():
            return JsonResponse(
                {"errors": {"exclude": "Give the id of the record being edited, a whole number."}}, status=400
            )
        check = self.duplicate_check
        found = check.find(request.GET.get("text", ""), exclude_pk=int(exclude) if exclude else None)
        return JsonResponse(
            {"heading": check.heading, "similar": [item.as_json() for item in found]},
            headers={"Cache-Control": "private, no-store"},
        )
