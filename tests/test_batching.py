"""Side effects of many edits in one batch run once, at the end of the batch."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.batching import batched
from claims.models import Claim

from .factories import ClaimFactory, StatementFactory


def search_text(claim):
    return Claim.objects.filter(pk=claim.pk).values_list("search_document", flat=True).get()


def test_a_batch_refreshes_each_claims_search_text_once_at_the_end(db):
    claim = ClaimFactory(text="Convoy seen near Soledar.")
    with CaptureQueriesContext(connection) as queries, batched():
        for quote in ["перший", "другий", "третій"]:
            StatementFactory(claim=claim, quote=quote, quote_language="uk")
        assert "третій" not in search_text(claim)  # not yet
    assert "третій" in search_text(claim)
    refreshes = [q for q in queries if q["sql"].startswith('UPDATE "claims_claim" SET "search_document"')]
    assert len(refreshes) == 1


def test_a_batch_touches_each_page_once_at_the_end(db):
    claim = ClaimFactory()
    before = Claim.objects.get(pk=claim.pk).updated_at
    with CaptureQueriesContext(connection) as queries, batched():
        for _ in range(3):
            StatementFactory(claim=claim)
        assert Claim.objects.get(pk=claim.pk).updated_at == before
    assert Claim.objects.get(pk=claim.pk).updated_at > before
    touches = [q for q in queries if q["sql"].startswith('UPDATE "claims_claim" SET "updated_at"')]
    assert len(touches) == 1


def test_without_a_batch_every_save_refreshes_at_once(db):
    claim = ClaimFactory()
    StatementFactory(claim=claim, quote="негайно", quote_language="uk")
    assert "негайно" in search_text(claim)
