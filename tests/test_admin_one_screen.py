"""One screen per claim: the claim's admin form holds its statements, each
statement its sources, and the assessments (django-nested-admin). Its query
count does not grow with its rows; one POST stores it all under the same
rules as before (publication rule, assessment author, history user); a bad
nested row is a form error that stores nothing and keeps what was typed."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Assessment, Claim, Statement, StatementSource
from claims.vocabularies import Stance, Status

from .admin_forms import add_inline_rows, form_data
from .factories import (
    ActorFactory,
    AssessmentFactory,
    ClaimFactory,
    ClaimLinkFactory,
    SourceFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:claims_claim_add")
AUTOCOMPLETE_URL = reverse("admin:autocomplete")


def change_url(claim):
    return reverse("admin:claims_claim_change", args=[claim.pk])


def claim_with(statements, sources_each):
    claim = ClaimFactory()
    for _ in range(statements):
        StatementFactory(claim=claim, sources=sources_each)
    for _ in range(statements):
        AssessmentFactory(claim=claim).evidence.set(SourceFactory.create_batch(sources_each))
        ClaimLinkFactory(from_claim=claim)
    return claim


def queries_to_show(client, claim):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(change_url(claim))
    assert response.status_code == 200
    return len(queries)


def test_claim_page_queries_do_not_grow_with_statements_and_sources(reviewer_client):
    small, large = claim_with(1, 1), claim_with(8, 3)
    queries_to_show(reviewer_client, small)  # sessions, permissions, content types: cached alike
    assert queries_to_show(reviewer_client, large) == queries_to_show(reviewer_client, small)


def test_claim_page_shows_each_statement_with_its_sources_under_natural_headings(editor_client):
    claim = ClaimFactory()
    source = SourceFactory(title="Reuters report of the Bakhmut fighting")
    StatementFactory(claim=claim, sources=[source])
    page = editor_client.get(change_url(claim)).content.decode()
    assert "Sources that carry this statement" in page
    assert "Reuters report of the Bakhmut fighting" in page
    assert 'name="statements-0-statement_sources-0-source"' in page
    assert "Source that carries it" not in page
    assert "Add another Source" in page


def new_claim_data(client, **fields):
    data = form_data(client.get(ADD_URL))
    data.update(
        text="Wagner fighters control the Bakhmut railway station.",
        slug="wagner-fighters-control-the-bakhmut-railway-station",
        first_claimed_on="2023-04-03",
        **fields,
    )
    return data


def statement_row(actor, stance, *sources, **fields):
    return {
        "actor": actor.pk,
        "stance": stance,
        "stated_on": "2023-04-03",
        "summary": f"{actor.name} {stance} it.",
        "statement_sources": [{"source": source.pk, "how": how} for source, how in sources],
        **fields,
    }


def assessment_row(**fields):
    return {
        "status": Status.DISPUTED,
        "rationale": "Each side says the other is wrong.",
        "assessed_at_0": "2023-04-03",
        "assessed_at_1": "18:00",
        **fields,
    }


@pytest.fixture
def actors(db):
    return ActorFactory(name="Wagner Group"), ActorFactory(name="Serhiy Cherevatiy")


@pytest.fixture
def sources(db):
    return SourceFactory(title="Wagner's channel"), SourceFactory(title="Reuters"), SourceFactory(title="AJ")


def test_one_post_stores_claim_statements_their_sources_and_an_assessment(
    reviewer_client, reviewer, actors, sources
):
    wagner, cherevatiy = actors
    channel, reuters, al_jazeera = sources
    data = new_claim_data(reviewer_client, is_published="on")
    add_inline_rows(
        data,
        "statements",
        [
            statement_row(wagner, Stance.ASSERTS, (channel, "on its own channel"), (reuters, "reported")),
            statement_row(cherevatiy, Stance.DENIES, (reuters, "told Reuters by phone"), (al_jazeera, "")),
        ],
    )
    add_inline_rows(data, "assessments", [assessment_row(is_published="on", evidence=[reuters.pk])])

    response = reviewer_client.post(ADD_URL, data)

    assert response.status_code == 302, response.context["errors"]
    claim = Claim.objects.get(slug="wagner-fighters-control-the-bakhmut-railway-station")
    assert claim.is_published and claim.status == Status.DISPUTED
    stored = {
        (s.statement.actor.name, s.statement.stance, s.source.title, s.how)
        for s in StatementSource.objects.filter(statement__claim=claim)
    }
    assert stored == {
        ("Wagner Group", Stance.ASSERTS, "Wagner's channel", "on its own channel"),
        ("Wagner Group", Stance.ASSERTS, "Reuters", "reported"),
        ("Serhiy Cherevatiy", Stance.DENIES, "Reuters", "told Reuters by phone"),
        ("Serhiy Cherevatiy", Stance.DENIES, "AJ", ""),
    }
    assessment = claim.assessments.get()
    assert assessment.author == reviewer and assessment.is_published
    assert list(assessment.evidence.all()) == [reuters]
    # Every row's history names who saved it, nested rows included.
    rows = [
        claim,
        assessment,
        *claim.statements.all(),
        *StatementSource.objects.filter(statement__claim=claim),
    ]
    assert {row.history.latest().history_user for row in rows} == {reviewer}


def test_sources_are_added_to_an_existing_statement_on_the_claim_page(editor_client, editor, sources):
    claim = ClaimFactory()
    statement = StatementFactory(claim=claim, sources=[sources[0]])
    data = form_data(editor_client.get(change_url(claim)))
    add_inline_rows(data, "statements-0-statement_sources", [{"source": sources[1].pk, "how": "by phone"}])

    response = editor_client.post(change_url(claim), data)

    assert response.status_code == 302, response.context["errors"]
    assert list(statement.statement_sources.values_list("source__title", "how")) == [
        ("Wagner's channel", "reported"),
        ("Reuters", "by phone"),
    ]
    assert statement.statement_sources.get(how="by phone").history.latest().history_user == editor


def assert_nothing_stored_and_input_kept(response, *typed):
    assert response.status_code == 200
    assert not Claim.objects.exists()
    assert not Statement.objects.exists()
    assert not StatementSource.objects.exists()
    assert not Assessment.objects.exists()
    page = response.content.decode()
    for text in typed:
        assert text in page


def test_the_same_source_twice_on_one_statement_is_a_form_error(reviewer_client, actors, sources):
    wagner, _ = actors
    data = new_claim_data(reviewer_client)
    add_inline_rows(
        data,
        "statements",
        [statement_row(wagner, Stance.ASSERTS, (sources[0], "first"), (sources[0], "again"))],
    )

    response = reviewer_client.post(ADD_URL, data)

    assert "Please correct the duplicate data for source" in " ".join(map(str, response.context["errors"]))
    assert_nothing_stored_and_input_kept(
        response, "Wagner fighters control", "Wagner Group asserts it.", "again"
    )


def test_a_statement_without_a_stance_is_a_form_error(reviewer_client, actors, sources):
    wagner, _ = actors
    data = new_claim_data(reviewer_client)
    add_inline_rows(data, "statements", [statement_row(wagner, "", (sources[1], "told Reuters"))])

    response = reviewer_client.post(ADD_URL, data)

    statement_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert "stance" in statement_form.errors
    assert_nothing_stored_and_input_kept(response, "Wagner fighters control", "told Reuters")


def test_a_bad_source_row_keeps_the_whole_claim_unsaved(reviewer_client, actors):
    wagner, _ = actors
    data = new_claim_data(reviewer_client)
    add_inline_rows(
        data,
        "statements",
        [
            {
                **statement_row(wagner, Stance.ASSERTS),
                "statement_sources": [{"source": 999_999, "how": "gone"}],
            }
        ],
    )

    response = reviewer_client.post(ADD_URL, data)

    assert_nothing_stored_and_input_kept(response, "Wagner fighters control", "gone")


def test_editor_cannot_add_or_publish_an_assessment_through_the_nested_form(editor_client, actors, sources):
    wagner, _ = actors
    data = new_claim_data(editor_client)
    add_inline_rows(data, "statements", [statement_row(wagner, Stance.ASSERTS, (sources[0], "channel"))])
    add_inline_rows(data, "assessments", [assessment_row(is_published="on")])

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.statements.get().sources.get() == sources[0]  # the editor's part is stored
    assert not Assessment.objects.exists()
    assert not claim.is_published and claim.status == Status.UNVERIFIED


def test_assessor_without_publish_permission_stores_only_a_draft_assessment(client, actors):
    """Who may add assessments but not publish (no role is that, a custom
    account may be): the nested form stores the assessment as a draft."""
    user = UserFactory(username="assessor", role="Editor")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_assessment", "change_assessment"])
    )
    client.force_login(user)
    claim = ClaimFactory(is_published=False)
    data = form_data(client.get(change_url(claim)))
    add_inline_rows(data, "assessments", [assessment_row(is_published="on")])

    response = client.post(change_url(claim), data)

    assert response.status_code == 302, response.context["errors"]
    assessment = claim.assessments.get()
    assert not assessment.is_published
    assert assessment.author == user


@pytest.mark.parametrize(
    "term",
    ["Bakhmut fighting", "Reuters", "reuters.com/world/europe"],
    ids=["title", "publisher", "url"],
)
def test_a_statement_source_is_found_by_title_publisher_or_url(editor_client, term):
    wanted = SourceFactory(
        title="Report of the Bakhmut fighting",
        publisher=ActorFactory(name="Reuters"),
        url="https://www.reuters.com/world/europe/bakhmut-2023-04-03/",
    )
    SourceFactory(title="Something else entirely")
    response = editor_client.get(
        AUTOCOMPLETE_URL,
        {"app_label": "claims", "model_name": "statementsource", "field_name": "source", "term": term},
    )
    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [str(wanted.pk)]


def test_deleting_a_statement_on_the_claim_page_takes_its_sources_with_it(editor_client, sources):
    claim = ClaimFactory()
    kept = StatementFactory(claim=claim, sources=[sources[0]])
    StatementFactory(claim=claim, stance=Stance.DENIES, sources=[sources[1], sources[2]])
    data = form_data(editor_client.get(change_url(claim))) | {"statements-1-DELETE": "on"}

    response = editor_client.post(change_url(claim), data)

    assert response.status_code == 302, response.context["errors"]
    assert list(claim.statements.all()) == [kept]
    assert list(StatementSource.objects.values_list("statement", "source")) == [(kept.pk, sources[0].pk)]


def test_a_source_is_taken_off_a_statement_on_the_claim_page(editor_client, sources):
    claim = ClaimFactory()
    statement = StatementFactory(claim=claim, sources=[sources[0], sources[1]])
    data = form_data(editor_client.get(change_url(claim))) | {"statements-0-statement_sources-0-DELETE": "on"}

    response = editor_client.post(change_url(claim), data)

    assert response.status_code == 302, response.context["errors"]
    assert list(statement.sources.all()) == [sources[1]]
