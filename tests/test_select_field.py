"""The claim list's menus (`{% select_field %}`) are written with f-strings:
they write what format_html wrote per option before, escaping included."""

import pytest
from django.template import Context, Template
from django.utils.html import format_html_join

from claims.filters import ClaimListFilter
from claims.models import Claim

from .factories import TopicFactory

pytestmark = pytest.mark.django_db


def old_options(field):
    """The options as select_field wrote them before, with format_html_join."""
    value = field.value()
    current = "" if value is None else str(value)
    choices = field.field.widget.choices
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((choice, " selected" if str(choice) == current else "", text) for choice, text in choices),
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"topic": "war-peace", "status": "refuted", "stance": "denies"},
        {"topic": 'no "such" <topic>', "status": "not-a-status"},
    ],
)
def test_menus_are_what_format_html_wrote(data):
    TopicFactory(name='War & <peace> "now"', slug="war-peace")
    TopicFactory(name="Aid", slug="aid")
    form = ClaimListFilter(data, queryset=Claim.objects.all()).form
    form.is_valid()
    template = Template("{% load reader %}{% select_field field %}")
    for name in ("status", "topic", "stance"):
        new = template.render(Context({"field": form[name]}))
        options = old_options(form[name])
        assert f'id="id_{name}">{options}</select>' in new or f'aria-invalid="true">{options}</select>' in new
    assert "War &amp; &lt;peace&gt; &quot;now&quot;" in template.render(Context({"field": form["topic"]}))
