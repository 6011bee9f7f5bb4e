"""What every model admin here shares: full edit history with revert
(django-simple-history) and a list of deleted records that can be restored."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from claims import edit_conflicts, services

DELETED_LIST_LIMIT = 200
# The hidden field that carries the version a change form was opened at.
EDIT_VERSION = "edit_version"


class BoundedCountPaginator(Paginator):
    """Counts at most COUNT_LIMIT rows, never a whole million-row table: past
    that, "more than 10,000" is all a list needs (narrow it with a filter)."""

    COUNT_LIMIT = 10_000

    @cached_property
    def count(self):
        # Only the keys: the list's per-row annotations need not be computed to count.
        return self.object_list.order_by().values("pk")[: self.COUNT_LIMIT + 1].count()


class HistoryAdmin(SimpleHistoryAdmin):
    """History and revert for every change; deleted rows listed and restorable
    by anyone who may delete them."""

    show_full_result_count = False
    paginator = BoundedCountPaginator
    list_per_page = 50
    change_list_template = "admin/claims/change_list_with_deleted.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="{}_{}_deleted".format(*info),
            ),
            path(
                "deleted/<int:object_id>/restore/",
                self.admin_site.admin_view(require_POST(self.restore_view)),
                name="{}_{}_restore".format(*info),
            ),
            *super().get_urls(),
        ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._checks_edits(request, obj) or EDIT_VERSION in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], EDIT_VERSION]}), *rest]

    def _checks_edits(self, request, obj):
        return (
            obj is not None
            and edit_conflicts.supports(self.model)
            and self.has_change_permission(request, obj)
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        """Every form of this admin (the change form and a revert to an old
        version alike) keeps the one publication rule, as a form error, and
        refuses to overwrite an edit made since it was opened."""
        fields = (
            kwargs["fields"] if "fields" in kwargs else flatten_fieldsets(self.get_fieldsets(request, obj))
        )
        if fields is not None:  # the version is the form's own field, not the model's
            kwargs["fields"] = [name for name in fields if name != EDIT_VERSION]
        form = super().get_form(request, obj, change, **kwargs)
        user = request.user
        checks_edits = self._checks_edits(request, obj)

        class EditRulesForm(form):
            if checks_edits:
                edit_version = forms.CharField(widget=forms.HiddenInput, required=False)

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if checks_edits and not self.is_bound:
                    opened = edit_conflicts.opened(self._meta.model, self.instance.pk)
                    self.initial[EDIT_VERSION] = str(opened)

            def clean(self):
                cleaned = super().clean()
                if refusal := services.publication_refusal(self.instance, user, cleaned):
                    raise ValidationError(refusal, code="publication")
                if checks_edits and self.instance.pk:
                    self._refuse_lost_edits(cleaned.get(EDIT_VERSION))
                return cleaned

            def _refuse_lost_edits(self, sent):
                model, pk = self._meta.model, self.instance.pk
                if changes := edit_conflicts.conflict(model, pk, sent):
                    # The form shows again with the editor's input and the
                    # version now current: saving again keeps theirs, knowingly.
                    self.data = self.data.copy()
                    self.data[self.add_prefix(EDIT_VERSION)] = str(edit_conflicts.opened(model, pk))
                    raise ValidationError(
                        edit_conflicts.conflict_message(self.instance, changes), code="edit_conflict"
                    )

        EditRulesForm.__name__ = form.__name__
        return EditRulesForm

    def save_model(self, request, obj, form, change):
        services.check_publication(obj, request.user)
        super().save_model(request, obj, form, change)

    def has_restore_permission(self, request):
        return self.has_delete_permission(request) and self.has_add_permission(request)

    def deleted_records(self):
        """The last history row of each record that no longer exists."""
        history = self.model.history
        live = self.model._default_manager.values("pk")
        return (
            history.filter(history_type="-")
            .exclude(**{f"{self.opts.pk.attname}__in": live})
            .select_related("history_user")
            .order_by("-history_date")[:DELETED_LIST_LIMIT]
        )

    def restore(self, request, object_id):
        """Bring a deleted row back as it was; subclasses restore children too.
        A row that clashes with a newer one, or points to a row that is gone,
        is refused with the reason."""
        record = self.model.history.filter(**{self.opts.pk.attname: object_id}).latest("history_date")
        if record.history_type != "-":
            raise ValueError("not deleted")
        obj = record.instance
        try:
            obj.full_clean()
        except ValidationError as error:
            raise services.RestoreRefused(
                f"“{obj}” cannot come back as it was: {' '.join(error.messages)}"
            ) from error
        services.check_publication(obj, request.user)
        obj._history_user = request.user
        obj._change_reason = "restored"
        obj.save()
        return obj

    def deleted_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"Deleted {self.opts.verbose_name_plural}",
            "opts": self.opts,
            "records": self.deleted_records(),
            "can_restore": self.has_restore_permission(request),
            "limit": DELETED_LIST_LIMIT,
        }
        return TemplateResponse(request, "admin/claims/deleted_list.html", context)

    def restore_view(self, request, object_id):
        if not self.has_restore_permission(request):
            raise PermissionDenied
        info = self.opts.app_label, self.opts.model_name
        try:
            with transaction.atomic():
                obj = self.restore(request, object_id)
        except (self.model.history.model.DoesNotExist, ValueError):
            messages.error(
                request, f"That {self.opts.verbose_name} is not deleted, so there is nothing to restore."
            )
            return redirect(reverse("admin:{}_{}_deleted".format(*info)))
        except (services.RestoreRefused, PermissionDenied) as refusal:
            messages.error(request, f"Not restored: {refusal}")
            return redirect(reverse("admin:{}_{}_deleted".format(*info)))
        self.log_addition(request, obj, [{"added": {}}])
        messages.success(request, f"Restored “{obj}”.")
        for note in getattr(obj, "not_restored", []):
            messages.warning(request, note)
        return redirect(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))


admin.site.empty_value_display = "—"
