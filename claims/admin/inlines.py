"""What the claim's one screen (claim, statements, each statement's sources,
assessments) needs so that its query count does not grow with its rows:
autocomplete widgets that show the rows the inline's queryset already
loaded, and nested formsets that read their parent's prefetched rows."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from nested_admin.formsets import NestedInlineFormSet


class LoadedChoicesMixin:
    """An autocomplete widget shows its chosen rows by name: Django looks them
    up, one query a widget. Where the form's instance already holds them
    (select_related / prefetch_related in the inline's get_queryset), it
    shows those instead."""

    loaded = ()

    def optgroups(self, name, value, attr=None):
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        loaded = {str(obj.pk): obj for obj in self.loaded}
        if not chosen or not chosen <= loaded.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for obj in self.loaded:
            if str(obj.pk) in chosen:
                label = self.choices.field.label_from_instance(obj)
                options.append(self.create_option(name, obj.pk, label, chosen, len(options)))
        return [(None, options, 0)]


class LoadedAutocompleteSelect(LoadedChoicesMixin, AutocompleteSelect):
    pass


class LoadedAutocompleteSelectMultiple(LoadedChoicesMixin, AutocompleteSelectMultiple):
    pass


class LoadedChoicesForm(forms.ModelForm):
    """Hands each autocomplete widget the rows its instance already loaded."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        prefetched = getattr(instance, "_prefetched_objects_cache", {})
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the "+" wrapper
            if not isinstance(widget, LoadedChoicesMixin):
                continue
            model_field = instance._meta.get_field(name)
            if model_field.many_to_many and name in prefetched:
                widget.loaded = list(prefetched[name])
            elif model_field.many_to_one and model_field.is_cached(instance):
                related = getattr(instance, name)
                widget.loaded = [related] if related is not None else []


class LoadedChoicesInlineMixin:
    """For an inline: autocomplete fields get the widgets above."""

    form = LoadedChoicesForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LoadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LoadedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class NestedChildFormSet(NestedInlineFormSet):
    """The rows nested in a parent row (a statement's sources). Shown from
    what the parent row prefetched, not one query per parent row (a POST
    goes the library's way: rows found by the posted keys). Saved not at
    all when the parent row is deleted: its rows went with it (CASCADE), and
    saving them again would point them at a row that is gone."""

    def get_queryset(self):
        if self.is_bound:
            return super().get_queryset()
        if not hasattr(self, "_queryset"):
            accessor = self.fk.remote_field.get_accessor_name()
            prefetched = getattr(self.instance, "_prefetched_objects_cache", {})
            if self.instance.pk is None or accessor not in prefetched:
                return super().get_queryset()
            self._queryset = prefetched[accessor]
        return self._queryset

    def parent_is_deleted(self):
        parent_form = getattr(self, "parent_form", None)  # set by nested_admin
        parent_formset = getattr(parent_form, "parent_formset", None)
        return parent_formset is not None and parent_formset._should_delete_form(parent_form)

    def save(self, commit=True):
        if self.parent_is_deleted():
            self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
            self.save_m2m = lambda: None
            return []
        return super().save(commit)
