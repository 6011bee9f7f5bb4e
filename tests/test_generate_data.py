from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import connection

from bench import datagen
from claims.models import (
    ActorAlias,
    Assessment,
    Claim,
    ClaimLink,
    Statement,
    StatementSource,
)
from claims.search import search_claims
from claims.search.document import refresh_search_documents
from claims.status import latest_published_assessment
from claims.vocabularies import Stance, Status

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "claims": list(
            Claim.objects.order_by("pk").values_list(
                "pk", "slug", "text", "status", "status_changed_at", "updated_at", "search_document"
            )
        ),
        "statements": list(
            Statement.objects.order_by("pk").values_list(
                "pk", "claim_id", "actor_id", "stance", "quote", "stated_on"
            )
        ),
        "sources": list(StatementSource.objects.order_by("pk").values_list("statement_id", "source_id")),
        "assessments": list(
            Assessment.objects.order_by("pk").values_list("claim_id", "status", "is_published")
        ),
    }


def wipe():
    with connection.cursor() as cursor:
        for model, _ in reversed([t for n, t in vars(datagen.Tables).items() if not n.startswith("_")]):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    datagen.generate(40, seed=7)
    first = snapshot()
    wipe()
    datagen.generate(40, seed=7)
    assert snapshot() == first
    wipe()
    datagen.generate(40, seed=8)
    assert snapshot()["claims"] != first["claims"]


def test_sizes_and_ranges_hold():
    counts = datagen.generate(150, seed=3)
    assert Claim.objects.count() == 150 == counts["claims_claim"]
    per_claim = defaultdict(list)
    for claim_id, stance in Statement.objects.values_list("claim_id", "stance"):
        per_claim[claim_id].append(stance)
    assert len(per_claim) == 150
    for stances in per_claim.values():
        assert 2 <= len(stances) <= 20
        assert Stance.ASSERTS in stances and Stance.DENIES in stances
    assert {s for stances in per_claim.values() for s in stances} == set(Stance.values)
    sources_per_statement = Counter(StatementSource.objects.values_list("statement_id", flat=True))
    assert len(sources_per_statement) == Statement.objects.count()
    assert set(sources_per_statement.values()) <= set(range(1, 6))
    # Sources come from a shared pool: some are cited by several statements.
    assert max(Counter(StatementSource.objects.values_list("source_id", flat=True)).values()) > 1
    assessments = Counter(Assessment.objects.values_list("claim_id", flat=True))
    assert len(assessments) == 150 and set(assessments.values()) <= {1, 2, 3, 4}
    assert Assessment.objects.filter(is_published=False).exists()
    assert set(Statement.objects.exclude(quote="").values_list("quote_language", flat=True)) == {
        "en",
        "uk",
        "ru",
    }
    assert set(ActorAlias.objects.values_list("language", flat=True)) >= {"uk", "ru"}
    assert Statement.objects.filter(actor__affiliation__isnull=False).exists()
    assert ClaimLink.objects.exists() and Claim.topics.through.objects.exists()
    assert Claim.objects.filter(is_published=False).exists()
    # Generated data is not an editor's edit: no history rows.
    assert not Claim.history.exists() and not Statement.history.exists()


def test_derived_status_is_the_latest_published_assessment():
    datagen.generate(120, seed=4)
    statuses = set()
    for claim in Claim.objects.all():
        latest = latest_published_assessment(claim.pk)
        expected = (latest.status, latest.assessed_at) if latest else (Status.UNVERIFIED, None)
        assert (claim.status, claim.status_changed_at) == expected
        statuses.add(claim.status)
    assert len(statuses) > 3


def test_search_text_matches_what_the_services_build():
    datagen.generate(30, seed=5)
    before = dict(Claim.objects.values_list("pk", "search_document"))
    vectors = dict(Claim.objects.values_list("pk", "search_vector"))
    refresh_search_documents(list(before))
    assert dict(Claim.objects.values_list("pk", "search_document")) == before
    if connection.vendor == "postgresql":
        assert all(vectors.values())
        assert dict(Claim.objects.values_list("pk", "search_vector")) == vectors


def test_search_finds_generated_claims():
    datagen.generate(60, seed=6)
    claim = Claim.objects.published().select_related("place").first()
    found = search_claims(Claim.objects.published(), claim.place.name)
    assert claim in found
    # A Ukrainian spelling of the place (an alias) finds it too.
    ukrainian = claim.place.aliases.splitlines()[0]
    assert claim in search_claims(Claim.objects.published(), ukrainian)


def test_generated_data_adds_to_existing_rows_and_sequences_continue(demo):
    before = Claim.objects.count()
    call_command("generate_data", claims=5, seed=2, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Claim.objects.count() == before + 5
    # New rows after the generator get fresh ids (sequences were reset).
    statement = Statement.objects.first()
    statement.pk = None
    statement.stated_on = statement.stated_on.replace(year=2000)
    statement.save()
    assert statement.pk > Statement.objects.exclude(pk=statement.pk).order_by("-pk").first().pk
