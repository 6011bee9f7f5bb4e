"""An assessment's evidence, and a statement's sources, come back in the
order the client sent them, on create and on update, through the flat
endpoints and in a claim set."""

import datetime as dt

import pytest

from .factories import ActorFactory, ClaimFactory, SourceFactory


@pytest.fixture
def sources(db):
    # Sources sort by newest first by default: the order sent is another one.
    return [SourceFactory(published_on=dt.date(2023, 4, day)) for day in (1, 2, 3, 4)]


def ids(rows):
    return [row["id"] if isinstance(row, dict) else row for row in rows]


def test_evidence_keeps_the_order_sent_on_create_and_update(api_client_for, sources):
    ClaimFactory(slug="town-hall")
    client = api_client_for("Reviewer")
    first = [sources[0].pk, sources[2].pk, sources[1].pk]
    body = {"claim": "town-hall", "status": "disputed", "rationale": "Because.", "is_published": True}
    created = client.post("/api/v1/assessments/", body | {"evidence": first})
    assert created.status_code == 201, created.json()
    assert created.json()["evidence"] == first
    path = f"/api/v1/assessments/{created.json()['id']}/"
    assert client.get(path).json()["evidence"] == first
    claim = client.get("/api/v1/claims/town-hall/").json()
    assert ids(claim["assessments"][0]["evidence"]) == first

    for then in (
        [sources[1].pk, sources[0].pk, sources[3].pk],  # reordered, one left out, one new
        [sources[1].pk, sources[0].pk, sources[3].pk, sources[2].pk],  # one added at the end
        [sources[3].pk, sources[1].pk],
    ):
        changed = client.patch(path, {"evidence": then})
        assert changed.status_code == 200, changed.json()
        assert changed.json()["evidence"] == then
        assert client.get(path).json()["evidence"] == then
        claim = client.get("/api/v1/claims/town-hall/").json()
        assert ids(claim["assessments"][0]["evidence"]) == then
    put = client.put(path, body | {"evidence": first})
    assert put.json()["evidence"] == first


def test_a_claim_sets_evidence_keeps_the_order_sent(api_client_for, sources):
    client = api_client_for("Reviewer")
    order = [sources[0].pk, sources[3].pk, sources[1].pk]
    assessment = {"status": "disputed", "rationale": "Because.", "is_published": True}
    body = {
        "text": "A claim with evidence.",
        "is_published": True,
        "assessments": [assessment | {"evidence": [{"id": pk} for pk in order]}],
    }
    created = client.post("/api/v1/claims/", body)
    assert created.status_code == 201, created.json()
    slug, [stored] = created.json()["slug"], created.json()["assessments"]
    assert ids(stored["evidence"]) == order
    reordered = [sources[3].pk, sources[2].pk, sources[0].pk]
    changed = client.patch(
        f"/api/v1/claims/{slug}/",
        {"assessments": [assessment | {"id": stored["id"], "evidence": [{"id": pk} for pk in reordered]}]},
    )
    assert changed.status_code == 200, changed.json()
    assert ids(changed.json()["assessments"][0]["evidence"]) == reordered
    assert client.get(f"/api/v1/assessments/{stored['id']}/").json()["evidence"] == reordered


def test_a_statements_sources_keep_the_order_sent(api_client_for, sources):
    ClaimFactory(slug="town-hall")
    ActorFactory(slug="kirby")
    client = api_client_for("Editor")
    order = [sources[0].pk, sources[2].pk, sources[1].pk]
    body = {"claim": "town-hall", "actor": "kirby", "stance": "denies", "stated_on": "2023-04-03"}
    created = client.post("/api/v1/statements/", body | {"sources": [{"source": pk} for pk in order]})
    assert created.status_code == 201, created.json()
    assert [row["source"] for row in created.json()["sources"]] == order
    path = f"/api/v1/statements/{created.json()['id']}/"
    reordered = [sources[1].pk, sources[3].pk, sources[0].pk]
    changed = client.patch(path, {"sources": [{"source": pk} for pk in reordered]})
    assert [row["source"] for row in changed.json()["sources"]] == reordered
    assert [row["source"] for row in client.get(path).json()["sources"]] == reordered


def test_a_claim_sets_statement_sources_keep_the_order_sent(api_client_for, sources):
    client = api_client_for("Editor")
    ActorFactory(slug="kirby")
    statement = {"actor": "kirby", "stance": "denies", "stated_on": "2023-04-03"}

    def sent(order):
        return [{"id": pk, "how": "said"} for pk in order]

    def got(body):
        [row] = body["statements"]["denies"]
        return [link["source"]["id"] for link in row["sources"]]

    order = [sources[2].pk, sources[0].pk, sources[3].pk]
    created = client.post(
        "/api/v1/claims/", {"text": "A claim.", "statements": [statement | {"sources": sent(order)}]}
    )
    assert created.status_code == 201, created.json()
    assert got(created.json()) == order
    slug, statement_id = created.json()["slug"], created.json()["statements"]["denies"][0]["id"]
    reordered = [sources[0].pk, sources[1].pk, sources[2].pk]
    changed = client.patch(
        f"/api/v1/claims/{slug}/",
        {"statements": [statement | {"id": statement_id, "sources": sent(reordered)}]},
    )
    assert changed.status_code == 200, changed.json()
    assert got(changed.json()) == reordered
    assert got(client.get(f"/api/v1/claims/{slug}/").json()) == reordered
