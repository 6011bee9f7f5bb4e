"""Every admin page an editor uses renders, and the claim list stays cheap."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim

from .factories import ClaimFactory, StatementFactory, TopicFactory

pytestmark = pytest.mark.django_db

CLAIMS_MODELS = [model for model in admin.site._registry if model._meta.app_label == "claims"]


def urls_for(model):
    info = model._meta.app_label, model._meta.model_name
    yield reverse("admin:{}_{}_changelist".format(*info))
    yield reverse("admin:{}_{}_deleted".format(*info))
    first = model._default_manager.order_by("pk").first()
    if first is not None:
        yield reverse("admin:{}_{}_change".format(*info), args=[first.pk])
        yield reverse("admin:{}_{}_history".format(*info), args=[first.pk])


@pytest.mark.parametrize("model", CLAIMS_MODELS, ids=lambda m: m._meta.model_name)
def test_each_admin_page_renders_for_an_editor(demo, editor_client, editor, model):
    for url in urls_for(model):
        response = editor_client.get(url)
        assert response.status_code == 200, url
    add_url = reverse(f"admin:claims_{model._meta.model_name}_add")
    expected = 200 if editor.has_perm(f"claims.add_{model._meta.model_name}") else 403
    assert editor_client.get(add_url).status_code == expected


def test_changelist_search_and_filters_render(demo, editor_client):
    url = reverse("admin:claims_claim_changelist")
    for query in [
        "?q=Bakhmut",
        "?q=Cherevatiy",
        "?status__exact=disputed",
        "?is_published__exact=1",
        f"?topics__id__exact={demo['civilians-remaining-in-bakhmut'].topics.get().pk}",
        "?first_claimed_on__year=2023",
    ]:
        response = editor_client.get(url + query)
        assert response.status_code == 200, query
    response = editor_client.get(url + "?q=Cherevatiy")
    assert len(response.context["cl"].result_list) == 2


def test_claim_changelist_shows_status_topics_and_statement_counts(demo, editor_client):
    response = editor_client.get(reverse("admin:claims_claim_changelist"))
    html = response.content.decode()
    assert "Disputed" in html and "Battle of Bakhmut" in html
    row = next(c for c in response.context["cl"].result_list if c.slug.startswith("wagner"))
    assert row.statement_count == 4


def changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 200
    return len(queries)


def test_claim_changelist_query_count_does_not_grow_with_claims(editor_client):
    topic = TopicFactory()
    for _ in range(2):
        StatementFactory(claim=ClaimFactory(topics=[topic]), sources=1)
    few = changelist_queries(editor_client)
    for _ in range(40):
        StatementFactory(claim=ClaimFactory(topics=[topic]), sources=1)
    assert Claim.objects.count() == 42
    assert changelist_queries(editor_client) == few


def test_changelist_search_finds_quotes_and_aliases(demo, editor_client):
    url = reverse("admin:claims_claim_changelist")
    found = editor_client.get(url + "?q=ЧВК Вагнер").context["cl"].result_list
    assert [claim.slug for claim in found] == ["wagner-captured-bakhmut-city-administration"]
    found = editor_client.get(url + "?q=mildly").context["cl"].result_list
    assert len(found) == 2


def test_changelist_counts_at_most_a_bounded_number_of_rows(editor_client, monkeypatch):
    from claims.admin.base import BoundedCountPaginator

    monkeypatch.setattr(BoundedCountPaginator, "COUNT_LIMIT", 3)
    ClaimFactory.create_batch(5)
    response = editor_client.get(reverse("admin:claims_claim_changelist"))
    assert response.context["cl"].result_count == 4  # "more than 3", not the whole table


def test_date_drill_down_needs_no_scan_of_the_list(demo, editor_client):
    url = reverse("admin:claims_claim_changelist")
    with CaptureQueriesContext(connection) as queries:
        html = editor_client.get(url + "?q=Bakhmut").content.decode()
    assert "?first_claimed_on__year=2023" in html or "first_claimed_on__year=2023" in html
    assert not [q for q in queries if "DISTINCT" in q["sql"] and "first_claimed_on" in q["sql"]]
    months = editor_client.get(url + "?first_claimed_on__year=2023").content.decode()
    assert "April 2023" in months and "December 2023" in months
    days = editor_client.get(url + "?first_claimed_on__year=2023&first_claimed_on__month=4").content.decode()
    assert "April 30" in days
    day = editor_client.get(
        url + "?first_claimed_on__year=2023&first_claimed_on__month=4&first_claimed_on__day=3"
    )
    assert len(day.context["cl"].result_list) == 6
