"""Template helpers of the reader pages."""

import datetime as dt
import json

from django import template
from django.conf import settings
from django.utils.dates import MONTHS
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

# Same escaping as Django's json_script: nothing in the data can close the tag.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """A schema.org JSON-LD data block (data, not a script: CSP does not apply)."""
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.filter
def absolute(path):
    """The public address of a site path, from settings.SITE_URL."""
    return f"{settings.SITE_URL}{path}"


# Lists show dozens of badges and the claim list three selects: built here
# with format_html rather than a template each (an inclusion tag, or the form
# renderer's template per option, cost a seventh of a list page's time).


@register.simple_tag
def status_badge(status, label, size=""):
    """The status as text on a coloured badge (the text carries the meaning)."""
    modifier = format_html(" status--{}", size) if size else ""
    return format_html(
        '<span class="status status--{}{}"><span class="visually-hidden">Status: </span>{}</span>',
        status,
        modifier,
        label,
    )


@register.simple_tag
def select_field(field):
    """A form field's label and <select>, its current value selected."""
    value = field.value()
    current = "" if value is None else str(value)
    choices = field.field.widget.choices  # the filter may narrow the field's (the topic menu)
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((choice, " selected" if str(choice) == current else "", text) for choice, text in choices),
    )
    invalid = mark_safe(' aria-invalid="true"') if field.errors else ""
    return format_html(
        '<label for="{}">{}:</label><select name="{}" id="{}"{}>{}</select>',
        field.id_for_label,
        field.label,
        field.html_name,
        field.id_for_label,
        invalid,
        options,
    )


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with `changes` applied (None or "" drops a key)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


# The reader pages show dozens of dates each: these three do what the `date`
# filter does with "Y-m-d", "j F Y" and "j F Y, H:i" (dates in UTC), without
# its general format parser.


def _in_utc(value):
    return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) else value


@register.filter
def iso_day(value):
    """2023-04-03"""
    return _in_utc(value).strftime("%Y-%m-%d") if value else ""


@register.filter
def day(value):
    """3 April 2023"""
    if not value:
        return ""
    value = _in_utc(value)
    return f"{value.day} {MONTHS[value.month]} {value.year}"


@register.filter
def day_time(value):
    """3 April 2023, 14:05"""
    if not value:
        return ""
    value = _in_utc(value)
    return f"{value.day} {MONTHS[value.month]} {value.year}, {value:%H:%M}"


@register.filter
def machine_time(value):
    """A datetime for <time datetime>, in UTC to the second (valid HTML)."""
    if not value:
        return ""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
