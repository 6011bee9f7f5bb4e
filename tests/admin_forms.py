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
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management.initial.get(name, management[name].value())
        for index, form in enumerate(formset.initial_forms):
            for name in form.fields:
                value = form.initial.get(name)
                if value is None:
                    continue
                if hasattr(value, "pk"):
                    value = value.pk
                data[f"{formset.prefix}-{index}-{name}"] = value
    return data


def add_inline_rows(data, prefix, rows):
    """Append new inline rows (dicts of field values) to a formset's data."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{total + offset}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = total + len(rows)
    return data
