"""Every API write is in the same history as an admin edit, with the token's user."""

import pytest
from rest_framework.authtoken.models import Token

from claims.models import ActorAlias, Assessment, Claim, Statement, StatementSource

from .factories import ActorFactory, ClaimFactory, SourceFactory, TopicFactory


@pytest.fixture
def reviewer(api_client_for, db):
    return api_client_for("Reviewer")


def token_user():
    return Token.objects.get().user


def test_a_claim_logged_with_a_token_is_recorded_with_that_user(reviewer):
    TopicFactory(slug="battle-of-bakhmut")
    data = {"text": "Logged by a tool.", "topics": ["battle-of-bakhmut"], "is_published": True}
    slug = reviewer.post("/api/v1/claims/", data).json()["slug"]
    claim = Claim.objects.get(slug=slug)
    records = list(claim.history.all())
    assert records and all(record.history_user == token_user() for record in records)
    assert claim.history.latest().is_published


def test_changes_and_nested_rows_are_recorded_with_the_token_user(reviewer):
    claim = ClaimFactory(slug="c")
    actor = ActorFactory(slug="a")
    source = SourceFactory()
    data = {
        "claim": "c",
        "actor": "a",
        "stance": "asserts",
        "stated_on": "2023-04-03",
        "sources": [{"source": source.pk, "how": "told reporters"}],
    }
    statement_id = reviewer.post("/api/v1/statements/", data).json()["id"]
    reviewer.patch(f"/api/v1/statements/{statement_id}/", {"summary": "Changed."})
    reviewer.patch("/api/v1/actors/a/", {"aliases": [{"name": "PMC A", "language": "en"}]})
    assessment_id = reviewer.post(
        "/api/v1/assessments/", {"claim": "c", "status": "refuted", "rationale": "No.", "is_published": True}
    ).json()["id"]
    user = token_user()
    assert {r.history_user for r in Statement.history.filter(id=statement_id)} == {user}
    assert Statement.history.filter(id=statement_id).count() == 2
    assert {r.history_user for r in StatementSource.history.all()} == {user}
    assert {r.history_user for r in ActorAlias.history.filter(actor_id=actor.pk)} == {user}
    assert {r.history_user for r in Assessment.history.filter(id=assessment_id)} == {user}
    assert claim.pk


def test_a_delete_is_recorded_with_the_token_user(reviewer):
    claim = ClaimFactory(slug="gone")
    assert reviewer.delete("/api/v1/claims/gone/").status_code == 204
    deletion = Claim.history.filter(id=claim.pk, history_type="-").get()
    assert deletion.history_user == token_user()
