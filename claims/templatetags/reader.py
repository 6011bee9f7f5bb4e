"""Template helpers of the reader pages."""

import datetime as dt
import json
from functools import lru_cache

# Text in the rows and cards written in Python below is escaped as Django's
# autoescape does (its escape is html.escape, with a lazy-string wrapper).
from html import escape

from django import template
from django.conf import settings
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from claims.links import fixed_path, url_maker
from claims.vocabularies import Status

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


@register.simple_tag
def fixed_url(name):
    """What {% url name %} gives for a route without arguments, reversed once
    (claims.links.fixed_path) rather than on every page."""
    return fixed_path(name)


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


# A claim list's rows (`{% claim_rows claims %}`: the claim list, search
# results, the home page's lists, a topic's claims) are built here too: a
# template included per row resolved some twenty variables and tags a row.
# The HTML is what includes/claim_row.html wrote (tested against a copy of it).

_STATUS_LABELS = dict(Status.choices)


def claim_row(claim, claim_url, topic_url):
    """One row (`for_list`'s, its topics from `with_topics`): status, text,
    topics, both sides' counts, the day the claim was first made. Plain
    f-strings and html.escape (what Django's `escape` does, without its lazy
    string check per call: format_html cost most of a row); `claim_url` and
    `topic_url` make what the models' get_absolute_url make (url_maker)."""
    topics = "".join(
        f'<a class="topic-tag" href="{escape(topic_url(slug))}">{escape(name)}</a> '
        for slug, name in claim["topics"]
    )
    sides = (
        f'<span class="sides"><span class="sides__asserts">{claim["asserts_count"]:d} asserting</span> '
        '<span class="sides__vs">vs</span> '
        f'<span class="sides__denies">{claim["denies_count"]:d} denying</span></span>'
    )
    first = claim["first_claimed_on"]
    claimed = (
        f'<span class="claim-row__date">First claimed <time datetime="{iso_day(first)}">'
        f"{day(first)}</time></span>"
        if first
        else ""
    )
    status = claim["status"]
    badge = status_badge(status, _STATUS_LABELS.get(status, status))
    url, text = escape(claim_url(claim["slug"])), escape(claim["text"])
    return (
        '<li class="claim-row">\n'
        f'  <div class="claim-row__status">{badge}</div>\n'
        '  <div class="claim-row__body">\n'
        f'    <a class="claim-row__text" href="{url}">{text}</a>\n'
        '    <p class="claim-row__meta">\n'
        f"      {topics}\n"
        f"      {sides}\n"
        f"      {claimed}\n"
        "    </p>\n"
        "  </div>\n"
        "</li>\n"
    )


@register.simple_tag
def claim_rows(claims):
    """The <li> rows of `claims` (with_topics' rows), in order."""
    claim_url, topic_url = url_maker("claims:claim-detail", "slug"), url_maker("claims:topic-detail", "slug")
    return mark_safe("".join(claim_row(claim, claim_url, topic_url) for claim in claims))


def _escaped(value):
    """What format_html does to an argument (Django's conditional_escape):
    safe text as it is, anything else as escaped text, without the lazy-string
    wrapper Django's version goes through on every call."""
    return value.__html__() if hasattr(value, "__html__") else escape(str(value))


@register.simple_tag
def select_field(field):
    """A form field's label and <select>, its current value selected."""
    value = field.value()
    current = "" if value is None else str(value)
    choices = field.field.widget.choices  # the filter may narrow the field's (the topic menu)
    # Plain f-strings: format_html per option was a tenth of a search page.
    options = mark_safe(
        "".join(
            f'<option value="{_escaped(choice)}"{" selected" if str(choice) == current else ""}>'
            f"{_escaped(text)}</option>"
            for choice, text in choices
        )
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


@lru_cache(maxsize=256)
def _month_name(language, month):
    return str(MONTHS[month])


def _month(month):
    """The month's name in the active language, translated once per language
    (a lazy MONTHS entry is looked up again each time it is formatted)."""
    return _month_name(get_language(), month)


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
    return f"{value.day} {_month(value.month)} {value.year}"


@register.filter
def day_time(value):
    """3 April 2023, 14:05"""
    if not value:
        return ""
    value = _in_utc(value)
    return f"{value.day} {_month(value.month)} {value.year}, {value:%H:%M}"


@register.filter
def machine_time(value):
    """A datetime for <time datetime>, in UTC to the second (valid HTML)."""
    if not value:
        return ""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# The claim page's statement cards and source items (issue 16): dozens a page,
# written here as the templates wrote them (the same HTML: tests/golden), at a
# fifth of a template's cost per variable.


def _source_item(source, how):
    title = escape(source["title"])
    parts = ['<li class="source">']
    if source["publisher"]:
        parts.append(f'<span class="source__publisher">{escape(source["publisher"])}</span>: ')
    if source["url"]:
        parts.append(f'<a href="{escape(source["url"])}" rel="nofollow noopener">{title}</a>')
    else:
        parts.append(f'<span class="source__title">{title}</span>')
    parts.append('\n  <span class="source__meta">')
    if how:
        parts.append(f"{escape(how)} · ")
    parts.append(escape(source["kind_label"]))
    published_on, published_time = source["published_on"], source["published_time"]
    if published_on:
        if published_time:
            at = f"{published_time:%H:%M}"
            parts.append(
                f' · <time datetime="{iso_day(published_on)}T{at}Z">{day(published_on)}, {at} UTC</time>'
            )
        else:
            parts.append(f' · <time datetime="{iso_day(published_on)}">{day(published_on)}</time>')
    if source["archive_url"]:
        parts.append(
            f' · <a href="{escape(source["archive_url"])}" rel="nofollow noopener">archived copy'
            f'<span class="visually-hidden"> of {title}</span></a>'
        )
    parts.append("</span>\n  ")
    capture = source["capture"]
    if source["link_state"] == "gone":
        gone = source["gone_since"]
        parts.append(
            '<span class="source__evidence source__evidence--gone">Gone since '
            f'<time datetime="{iso_day(gone)}">{day(gone)}</time>'
        )
        if capture:
            parts.append(
                f': <a href="{escape(capture["url"])}">read our stored copy'
                f'<span class="visually-hidden"> of {title}</span></a>'
            )
        else:
            parts.append("; we hold no copy")
        parts.append("</span>\n  ")
    if capture:
        sha = escape(capture["sha256"])
        parts.append(
            f'<span class="source__evidence">Captured <time datetime="{machine_time(capture["fetched_at"])}">'
            f"{day_time(capture['fetched_at'])} UTC</time> · SHA-256 "
            f'<code class="hash" title="{sha}">{escape(capture["sha256"][:12])}…</code> · '
            f'<a href="{escape(capture["url"])}">stored copy'
            f'<span class="visually-hidden"> of {title}</span></a></span>'
        )
    elif source["url"] and source["capture_state"] == "pending":
        parts.append('<span class="source__evidence">Capture pending</span>')
    parts.append("</li>\n")
    return "".join(parts)


def _statement_card(statement):
    actor, affiliation = statement["actor"], statement["affiliation"]
    parts = [
        f'<article class="statement statement--{escape(statement["stance"])}" '
        f'id="statement-{statement["pk"]}">\n'
        f'  <p class="statement__stance">{escape(statement["stance_label"])}</p>\n'
        f'  <p class="statement__actor"><a href="{escape(actor["url"])}">{escape(actor["name"])}</a></p>\n  '
    ]
    if actor["role"] or affiliation:
        parts.append(f'<p class="statement__role">{escape(actor["role"])}')
        if affiliation:
            if actor["role"]:
                parts.append(" · ")
            parts.append(f'<a href="{escape(affiliation["url"])}">{escape(affiliation["name"])}</a>')
        parts.append("</p>")
    parts.append("\n  ")
    if statement["quote"]:
        parts.append(
            f'<blockquote class="quote" lang="{escape(statement["quote_language"])}">'
            f"<p>“{escape(statement['quote'])}”</p></blockquote>\n  "
        )
        if statement["translation"]:
            parts.append(
                '<p class="translation" lang="en"><span class="translation__label">Our translation:</span> '
                f"“{escape(statement['translation'])}”</p>"
            )
    parts.append("\n  ")
    if statement["summary"]:
        parts.append(f'<p class="statement__summary">{escape(statement["summary"])}</p>')
    stated_on = statement["stated_on"]
    parts.append(
        '\n  <p class="statement__date">Said on '
        f'<time datetime="{iso_day(stated_on)}">{day(stated_on)}</time></p>\n  '
    )
    sources = statement["sources"]
    if sources:
        parts.append(
            f'\n  <details class="sources" open>\n    <summary>Source{"" if len(sources) == 1 else "s"} '
            f"({len(sources)})</summary>\n    <ul>"
        )
        parts.extend(_source_item(source, source["how"]) for source in sources)
        parts.append("</ul>\n  </details>")
    parts.append("\n</article>\n")
    return "".join(parts)


@register.simple_tag
def statement_cards(statements):
    """The claim page's cards of `statements` (claims/views/claim_page.py's rows)."""
    return mark_safe("".join(_statement_card(statement) for statement in statements))


@register.simple_tag
def source_items(sources):
    """<li>s of an assessment's evidence (claim_page.py's rows)."""
    return mark_safe("".join(_source_item(source, "") for source in sources))
