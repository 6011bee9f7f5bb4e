"""Build admin form POST data the way a browser would: start from what the
rendered page holds (management forms included), then change what a user types."""


def form_data(response):
    """The POST data of an admin change/add page as rendered."""
    data = {}
    adminform = response.context["adminform"]
    for name, field in adminform.form.fields.items():
        value = adminform.form.initial.get(name, field.initial)
        if value is None:
            continue
        if hasattr(value, "all"):
            value = [obj.pk for obj in value.all()]
        elif isinstance(value, (list, tuple)):
            value = [getattr(obj, "pk", obj) for obj in value]
        elif hasattr(value, "pk"):
            value = value.pk
        elif isinstance(value, bool):
            if not value:
                continue
            value = "on"
        data[name] = value
    try:
        inlines = response.context["inline_admin_formsets"]
    except KeyError:  # the history revert form has no inlines
        inlines = []
    for inline in inlines:
        formset_data(data, inline.formset)
    return data


def formset_data(data, formset):
    """A formset's management form and initial rows, and the formsets nested
    in each row (a statement's sources: django-nested-admin)."""
    management = formset.management_form
    for name in management.fields:
        data[f"{formset.prefix}-{name}"] = management.initial.get(name, management[name].value())
    for index, form in enumerate(formset.initial_forms):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)  # the row's key is the field's initial
            if value is None:
                continue
            if hasattr(value, "pk"):
                value = value.pk
            elif isinstance(value, (list, tuple)):
                value = [getattr(obj, "pk", obj) for obj in value]
            data[f"{formset.prefix}-{index}-{name}"] = value
        for nested in getattr(form, "nested_formsets", []):
            formset_data(data, nested)


# The formsets each new row of a formset holds (the claim page's nested inlines).
NESTED_FORMSETS = {"statements": ["statement_sources"]}


def add_inline_rows(data, prefix, rows):
    """Append new inline rows (dicts of field values) to a formset's data. A
    nested formset's rows are a list under its name:
    {"actor": 1, ..., "statement_sources": [{"source": 2, "how": "by phone"}]}."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        row_prefix = f"{prefix}-{total + offset}"
        nested_rows = {name: [] for name in NESTED_FORMSETS.get(prefix.rsplit("-", 1)[-1], [])}
        for name, value in row.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                nested_rows[name] = value
            else:
                data[f"{row_prefix}-{name}"] = value
        for name, nested in nested_rows.items():
            nested_prefix = f"{row_prefix}-{name}"
            data.setdefault(f"{nested_prefix}-TOTAL_FORMS", 0)
            data.setdefault(f"{nested_prefix}-INITIAL_FORMS", 0)
            add_inline_rows(data, nested_prefix, nested)
    data[f"{prefix}-TOTAL_FORMS"] = total + len(rows)
    return data
