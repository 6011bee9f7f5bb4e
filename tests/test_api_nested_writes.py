"""POST and PUT of a claim with its statements, sources, assessments and links:
all stored or nothing, bad input a 400 naming the item's path."""

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Actor, Assessment, Capture, Claim, ClaimLink, Source, Statement, StatementSource
from claims.vocabularies import Status

from .factories import ActorFactory, ClaimFactory, SourceFactory

CLAIMS = "/api/v1/claims/"


def claim_set(**overrides):
    body = {
        "text": "The Wagner Group captured Bakhmut's city administration building.",
        "statements": [
            {
                "actor": {"name": "Wagner Group", "kind": "armed_group"},
                "stance": "asserts",
                "stated_on": "2023-04-03",
                "quote": "The town hall is ours.",
                "quote_language": "en",
                "sources": [
                    {
                        "url": "https://www.reuters.com/world/europe/wagner-bakhmut/",
                        "title": "Reuters report",
                        "how": "posted on Telegram",
                    }
                ],
            },
            {
                "actor": {"name": "Serhiy Cherevatiy", "kind": "person"},
                "stance": "denies",
                "stated_on": "2023-04-03",
                "summary": "Bakhmut is Ukrainian.",
                "sources": [
                    {"url": "https://www.reuters.com/world/europe/wagner-bakhmut", "how": "by phone"}
                ],
            },
        ],
        "assessments": [
            {
                "status": "disputed",
                "rationale": "Both sides' words only.",
                "is_published": True,
                "evidence": [{"url": "https://www.reuters.com/world/europe/wagner-bakhmut"}],
            }
        ],
    }
    body.update(overrides)
    return body


def stored():
    return (
        Claim.objects.count(),
        Statement.objects.count(),
        Source.objects.count(),
        Actor.objects.count(),
        Assessment.objects.count(),
        ClaimLink.objects.count(),
        StatementSource.objects.count(),
    )


def test_a_claim_set_is_stored_with_every_row_and_their_history(api_client_for, db):
    client = api_client_for("Reviewer")
    response = client.post(CLAIMS, claim_set(), format="json")
    assert response.status_code == 201, response.json()
    claim = Claim.objects.get(slug=response.json()["slug"])
    assert claim.status == Status.DISPUTED  # the published assessment moved the status
    statements = list(claim.statements.order_by("stance"))
    assert [s.actor.name for s in statements] == ["Wagner Group", "Serhiy Cherevatiy"]
    # One source: the second statement's URL is the first's, spelt otherwise.
    source = Source.objects.get()
    assert source.url == "https://www.reuters.com/world/europe/wagner-bakhmut"
    assert sorted(StatementSource.objects.values_list("how", flat=True)) == ["by phone", "posted on Telegram"]
    assert list(claim.assessments.get().evidence.all()) == [source]
    user = response.wsgi_request.user
    for model in (Actor, Source, Statement, StatementSource, Assessment):
        assert model.history.filter(history_type="+", history_user=user).exists(), model
    history = Assessment.history.get()
    assert [row.source_id for row in history.evidence.all()] == [source.pk]
    # What the receivers do on a save: the new source is captured, the claim searchable.
    assert Capture.objects.filter(source=source).exists()
    assert "cherevatiy" in Claim.objects.values_list("search_document", flat=True).get(pk=claim.pk)
    body = response.json()
    assert [item["actor"]["name"] for item in body["statements"]["denies"]] == ["Serhiy Cherevatiy"]


def test_stored_actors_and_sources_are_used_by_slug_id_and_url(api_client_for, db):
    actor = ActorFactory(slug="serhiy-cherevatiy")
    by_id = SourceFactory(url="https://example.org/by-id")
    by_url = SourceFactory(url="https://example.org/by-url", title="Stored title")
    other = ClaimFactory(slug="other-claim")
    body = {
        "text": "A claim using stored rows.",
        "statements": [
            {
                "actor": "serhiy-cherevatiy",
                "stance": "denies",
                "stated_on": "2023-04-03",
                "sources": [
                    {"id": by_id.pk},
                    {"url": "HTTPS://EXAMPLE.ORG/by-url/?utm_source=x", "title": "Ignored"},
                ],
            }
        ],
        "links": [{"claim": "other-claim", "kind": "contradicts", "note": "the counterclaim"}],
    }
    response = api_client_for("Editor").post(CLAIMS, body, format="json")
    assert response.status_code == 201, response.json()
    statement = Statement.objects.get()
    assert statement.actor == actor
    assert set(statement.sources.all()) == {by_id, by_url}
    by_url.refresh_from_db()
    assert by_url.title == "Stored title"  # a stored source is used as it is
    assert ClaimLink.objects.get().to_claim == other
    assert Source.objects.count() == 2 and Actor.objects.filter(slug__startswith="serhiy").count() == 1


BAD_INPUT = {
    "unknown actor slug": (
        lambda b: b["statements"][1].update(actor="no-such-actor"),
        {"statements[1].actor": ["No actor has the slug “no-such-actor”."]},
    ),
    "bad URL in a nested source": (
        lambda b: b["statements"][0]["sources"][0].update(url="not a url"),
        {"statements[0].sources[0].url": ["Enter a valid URL."]},
    ),
    "a new source without a title": (
        lambda b: b["statements"][1]["sources"].append({"url": "https://example.org/untitled"}),
        {"statements[1].sources[1].title": ["Give a title: no source with this URL is stored yet."]},
    ),
    "unknown source id": (
        lambda b: b["statements"][1]["sources"].append({"id": 999999}),
        {"statements[1].sources[1].id": ["No source has the id 999999."]},
    ),
    "a source twice in one statement": (
        lambda b: b["statements"][0]["sources"].append(
            {"url": "https://www.reuters.com/world/europe/wagner-bakhmut"}
        ),
        {"statements[0].sources[1]": ["This source is given twice (as statements[0].sources[0] too)."]},
    ),
    "duplicate statement rows": (
        lambda b: b["statements"].append(copy.deepcopy(b["statements"][1])),
        {
            "statements[2]": [
                "The same actor, stance and day as statements[1]: one statement a day per actor and stance."
            ]
        },
    ),
    "a link to an unknown claim": (
        lambda b: b.update(links=[{"claim": "no-such-claim", "kind": "contradicts"}]),
        {"links[0].claim": ["No claim has the slug “no-such-claim”."]},
    ),
    "a bad stance and a missing actor name": (
        lambda b: (b["statements"][0].update(stance="shouts"), b["statements"][1]["actor"].pop("name")),
        {
            "statements[0].stance": ['"shouts" is not a valid choice.'],
            "statements[1].actor.name": ["This field is required."],
        },
    ),
    "a quote without its language": (
        lambda b: b["statements"][0].pop("quote_language"),
        {"statements[0].quote_language": ["Say which language the quote is in."]},
    ),
    "statements not a list": (
        lambda b: b.update(statements={"actor": "x"}),
        {"statements": ['Expected a list of items but got type "dict".']},
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_at_every_level_is_a_400_naming_the_path_and_stores_nothing(api_client_for, db, case):
    ClaimFactory(slug="other-claim")
    before = stored()
    body = claim_set()
    change, errors = BAD_INPUT[case]
    change(body)
    response = api_client_for("Reviewer").post(CLAIMS, body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["errors"] == errors
    assert response.json()["code"] == "invalid"
    assert stored() == before


def test_an_editor_publishing_an_assessment_is_a_400_naming_it(api_client_for, db):
    response = api_client_for("Editor").post(CLAIMS, claim_set(), format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "assessments[0].is_published": [
            "Only reviewers can publish, unpublish or change published assessments."
        ]
    }
    assert stored() == (0, 0, 0, 0, 0, 0, 0)


def test_an_editor_may_not_add_even_a_draft_assessment(api_client_for, db):
    body = claim_set()
    body["assessments"][0]["is_published"] = False
    response = api_client_for("Editor").post(CLAIMS, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"assessments[0]": ["Only reviewers can add assessments."]}
    assert Claim.objects.count() == 0


def test_an_inline_actor_with_a_stored_slug_is_refused(api_client_for, db):
    ActorFactory(slug="wagner-group")
    body = claim_set()
    body["statements"][0]["actor"]["slug"] = "wagner-group"
    response = api_client_for("Reviewer").post(CLAIMS, body, format="json")
    assert response.json()["errors"] == {
        "statements[0].actor.slug": [
            'An actor has this slug already: give "actor": "wagner-group" to use it.'
        ]
    }


def test_claim_errors_and_row_errors_come_together(api_client_for, db):
    body = claim_set(text="")
    body["statements"][0]["stated_on"] = "yesterday"
    response = api_client_for("Reviewer").post(CLAIMS, body, format="json")
    errors = response.json()["errors"]
    assert set(errors) == {"text", "statements[0].stated_on"}


def test_a_link_to_the_claim_itself_is_refused(api_client_for, db):
    body = claim_set(slug="self", links=[{"claim": "self", "kind": "duplicates"}])
    response = api_client_for("Reviewer").post(CLAIMS, body, format="json")
    assert response.json()["errors"] == {"links[0].claim": ["A claim cannot be linked to itself."]}


def sized_claim_set(statements, sources_each, tag):
    return {
        "text": f"A claim with {statements} statements ({tag}).",
        "statements": [
            {
                "actor": {"name": f"Actor {tag} {n}", "kind": "person"},
                "stance": "asserts" if n % 2 else "denies",
                "stated_on": "2023-04-03",
                "sources": [
                    {"url": f"https://example.org/{tag}/{n}/{m}", "title": f"Source {n}.{m}"}
                    for m in range(sources_each)
                ],
            }
            for n in range(statements)
        ],
    }


def queries_for(client, body):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(CLAIMS, body, format="json")
    assert response.status_code == 201, response.json()
    return len(queries)


def test_the_query_count_does_not_grow_with_statements_or_sources(api_client_for, db):
    client = api_client_for("Editor")
    queries_for(client, sized_claim_set(1, 1, "warm-up"))  # sessions, permissions, content types
    small = queries_for(client, sized_claim_set(2, 5, "small"))
    large = queries_for(client, sized_claim_set(20, 50, "large"))
    assert Source.objects.filter(url__contains="/large/").count() == 1000
    assert large == small


# --- PUT and PATCH -------------------------------------------------------------------


@pytest.fixture
def stored_set(api_client_for, db):
    ClaimFactory(slug="other-claim")
    client = api_client_for("Reviewer")
    body = claim_set(slug="town-hall", links=[{"claim": "other-claim", "kind": "contradicts"}])
    response = client.post(CLAIMS, body, format="json")
    assert response.status_code == 201
    return client, response.json()


def test_put_replaces_the_nested_lists_matching_rows_by_id(stored_set):
    client, created = stored_set
    kept = created["statements"]["asserts"][0]
    dropped = created["statements"]["denies"][0]
    body = {
        "text": created["text"],
        "statements": [
            {
                "id": kept["id"],
                "actor": kept["actor"]["slug"],
                "stance": "asserts",
                "stated_on": "2023-04-02",
                "quote": "The town hall is ours.",
                "quote_language": "en",
                "sources": [{"url": "https://example.org/new-source", "title": "New"}],
            },
            {
                "actor": {"name": "John Kirby", "kind": "person"},
                "stance": "denies",
                "stated_on": "2023-04-03",
            },
        ],
        "links": [],
    }
    response = client.put(f"{CLAIMS}town-hall/", body, format="json")
    assert response.status_code == 200, response.json()
    claim = Claim.objects.get(slug="town-hall")
    statements = {s.pk: s for s in claim.statements.all()}
    assert kept["id"] in statements and dropped["id"] not in statements
    assert str(statements[kept["id"]].stated_on) == "2023-04-02"
    assert [s.url for s in statements[kept["id"]].sources.all()] == ["https://example.org/new-source"]
    assert {s.actor.name for s in statements.values()} == {"Wagner Group", "John Kirby"}
    assert not claim.links_out.exists()
    assert claim.assessments.count() == 1  # not sent: kept as it is
    assert Statement.history.filter(id=dropped["id"], history_type="-").exists()


def test_a_put_without_nested_lists_keeps_the_rows(stored_set):
    client, created = stored_set
    response = client.put(f"{CLAIMS}town-hall/", {"text": "Reworded."}, format="json")
    assert response.status_code == 200
    claim = Claim.objects.get(slug="town-hall")
    assert claim.statements.count() == 2 and claim.links_out.count() == 1


def test_patch_with_a_list_replaces_only_that_list(stored_set):
    client, created = stored_set
    response = client.patch(f"{CLAIMS}town-hall/", {"links": []}, format="json")
    assert response.status_code == 200, response.json()
    claim = Claim.objects.get(slug="town-hall")
    assert claim.links_out.count() == 0 and claim.statements.count() == 2


def test_a_put_naming_a_row_of_another_claim_is_refused(stored_set):
    client, created = stored_set
    other = ClaimFactory(slug="third")
    foreign = Statement.objects.create(
        claim=other, actor=ActorFactory(), stance="asserts", stated_on="2023-01-01"
    )
    body = {
        "text": "x",
        "statements": [
            {"id": foreign.pk, "actor": foreign.actor.slug, "stance": "asserts", "stated_on": "2023-01-01"}
        ],
    }
    response = client.put(f"{CLAIMS}town-hall/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "statements[0].id": [f"This claim has no statement with the id {foreign.pk}."]
    }
    assert Claim.objects.get(slug="town-hall").statements.count() == 2


def test_an_editor_cannot_drop_a_published_assessment_by_leaving_it_out(stored_set, api_client_for):
    editor = api_client_for("Editor")
    response = editor.patch(f"{CLAIMS}town-hall/", {"assessments": []}, format="json")
    assert response.status_code == 400
    assert "assessments" in response.json()["errors"]
    assert Assessment.objects.count() == 1


def test_new_sources_are_captured_through_one_queued_task(
    api_client_for, db, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from claims.capture.capturing import queue_captures

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for("Editor").post(CLAIMS, sized_claim_set(3, 4, "captured"), format="json")
    assert response.status_code == 201
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("queue_captures")
    queue_captures.call(*queued.args_kwargs["args"])
    captures = DBTaskResult.objects.filter(task_path__endswith="capture_source")
    assert captures.count() == Capture.objects.count() == 12


def test_a_new_source_with_a_publisher_is_stored_with_it(api_client_for, db):
    # Was a 500: the planner kept new sources' publishers in a dict keyed by
    # the unsaved source (a row without a pk is unhashable).
    ActorFactory(slug="reuters", name="Reuters")
    body = claim_set()
    body["statements"][0]["sources"][0]["publisher"] = "reuters"
    response = api_client_for("Reviewer").post(CLAIMS, body)
    assert response.status_code == 201, response.json()
    assert (
        Source.objects.get(url="https://www.reuters.com/world/europe/wagner-bakhmut").publisher.slug
        == "reuters"
    )
