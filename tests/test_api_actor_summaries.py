"""A statement's actor in a claim's detail says who they are: kind, role,
affiliation and country, with no request (or query) more per actor."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.vocabularies import ActorKind, Stance

from .factories import ActorFactory, ClaimFactory, StatementFactory


def speakers(detail):
    return [statement["actor"] for stance in detail["statements"].values() for statement in stance]


@pytest.fixture
def ministry(db):
    return ActorFactory(
        name="Ministry of Defence of the Russian Federation",
        slug="russian-mod",
        kind=ActorKind.GOVERNMENT_BODY,
        country="RU",
    )


def test_a_statements_actor_carries_kind_affiliation_and_country(api_client, ministry):
    claim = ClaimFactory(slug="mh17")
    general = ActorFactory(
        name="Andrey Kartapolov", slug="kartapolov", role="Lt Gen", affiliation=ministry, country="RU"
    )
    StatementFactory(claim=claim, actor=general, stance=Stance.DENIES)
    StatementFactory(claim=claim, actor=ministry, stance=Stance.DENIES, stated_on="2023-04-04")

    [first, second] = speakers(api_client.get("/api/v1/claims/mh17/").json())
    assert first == {
        "api_url": "http://testserver/api/v1/actors/kartapolov/",
        "slug": "kartapolov",
        "name": "Andrey Kartapolov",
        "kind": "person",
        "role": "Lt Gen",
        "affiliation": {"slug": "russian-mod", "name": "Ministry of Defence of the Russian Federation"},
        "country": "RU",
    }
    assert second["affiliation"] is None and second["kind"] == ActorKind.GOVERNMENT_BODY


def test_actor_summaries_cost_no_query_per_actor(api_client_for, ministry):
    """Counted for a token reader, whom the page cache does not serve."""
    client = api_client_for("")

    def queries(count):
        claim = ClaimFactory()
        for number in range(count):
            actor = ActorFactory(affiliation=ActorFactory(kind=ActorKind.ORGANISATION), country="UA")
            StatementFactory(claim=claim, actor=actor, stated_on=f"2023-04-{number + 1:02d}")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/api/v1/claims/{claim.slug}/").status_code == 200
        return len(captured)

    assert queries(1) == queries(10)
