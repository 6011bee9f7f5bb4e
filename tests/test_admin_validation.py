"""Bad input in the admin gets a form error on the field, and nothing is stored."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Actor, Source, Statement

from .admin_forms import form_data
from .factories import ActorFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def post_form(client, page_url, **values):
    data = form_data(client.get(page_url))
    data.update(values)
    return client.post(page_url, data)


def field_errors(response):
    assert response.status_code == 200, "the form was accepted"
    return response.context["adminform"].form.errors


def test_malformed_source_url_is_a_form_error(editor_client):
    response = post_form(
        editor_client,
        reverse("admin:claims_source_add"),
        url="not a url",
        title="T",
        kind="news_report",
        language="en",
    )
    assert "url" in field_errors(response)
    assert not Source.objects.exists()


@pytest.mark.parametrize("archive_url", ["ftp://archive.example.org/x", "javascript:alert(1)"])
def test_archive_url_must_be_http(editor_client, archive_url):
    response = post_form(
        editor_client,
        reverse("admin:claims_source_add"),
        url="https://example.org/a",
        title="T",
        kind="news_report",
        language="en",
        archive_url=archive_url,
    )
    assert "archive_url" in field_errors(response)


def test_duplicate_source_url_names_the_existing_source(editor_client):
    existing = SourceFactory(url="https://example.org/story", title="The original report")
    response = post_form(
        editor_client,
        reverse("admin:claims_source_add"),
        url="HTTPS://EXAMPLE.org/story/?utm_source=x",
        title="T",
        kind="news_report",
        language="en",
    )
    errors = field_errors(response)
    assert "The original report" in str(errors["url"])
    assert Source.objects.get() == existing


@pytest.mark.parametrize("wikidata_id", ["188664", "q188664", "Q", "Q12a", "Q012"])
def test_wikidata_id_must_be_q_and_digits(editor_client, wikidata_id):
    response = post_form(
        editor_client,
        reverse("admin:claims_actor_add"),
        name="Someone",
        slug="someone",
        kind="person",
        wikidata_id=wikidata_id,
        **{"aliases-TOTAL_FORMS": 0},
    )
    assert "wikidata_id" in field_errors(response)
    assert not Actor.objects.exists()


def test_valid_wikidata_id_is_accepted(editor_client):
    response = post_form(
        editor_client,
        reverse("admin:claims_actor_add"),
        name="Someone",
        slug="someone",
        kind="person",
        wikidata_id="Q188664",
        **{"aliases-TOTAL_FORMS": 0},
    )
    assert response.status_code == 302


def test_statement_dated_in_the_future_is_a_form_error(editor_client):
    claim, actor = ClaimFactory(), ActorFactory()
    tomorrow = timezone.localdate() + dt.timedelta(days=2)  # past today anywhere on Earth
    response = post_form(
        editor_client,
        reverse("admin:claims_statement_add"),
        claim=claim.pk,
        actor=actor.pk,
        stance="asserts",
        stated_on=tomorrow.isoformat(),
        **{"statement_sources-TOTAL_FORMS": 0},
    )
    assert "stated_on" in field_errors(response)
    assert not Statement.objects.exists()


def test_quote_needs_its_language(editor_client):
    claim, actor = ClaimFactory(), ActorFactory()
    response = post_form(
        editor_client,
        reverse("admin:claims_statement_add"),
        claim=claim.pk,
        actor=actor.pk,
        stance="asserts",
        stated_on="2023-04-03",
        quote="Бахмут — це Україна",
        **{"statement_sources-TOTAL_FORMS": 0},
    )
    assert "quote_language" in field_errors(response)


def test_bad_input_on_an_existing_claim_loses_nothing(editor_client):
    claim = ClaimFactory(text="Original wording.", first_claimed_on=dt.date(2023, 4, 3))
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    response = post_form(editor_client, url, text="New wording.", first_claimed_on="2999-01-01")
    assert "first_claimed_on" in field_errors(response)
    claim.refresh_from_db()
    assert claim.text == "Original wording."
