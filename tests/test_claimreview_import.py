"""The ClaimReview importer stores a payload set by set: what it matches, what
it records in the history, what pages it refreshes, and a query count that
does not grow with the number of records. Ratings are stored as rated
elsewhere (ExternalReview), never as our assessments."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.claimreview import import_claim_reviews
from claims.demo import TOWN_HALL
from claims.models import Actor, Assessment, Claim, ExternalReview, Source, Statement, StatementSource
from claims.services import restore_claim
from claims.vocabularies import Status

from .factories import ActorAliasFactory, ActorFactory, ClaimFactory
from .test_api_claimreview import review


def numbered(n, **overrides):
    """A distinct review: its own claim, author and appearance."""
    return review(
        claimReviewed=f"Imported claim number {n}.",
        url=f"https://factcheck.example.org/checks/{n}",
        itemReviewed={
            "@type": "Claim",
            "author": {"@type": "Person", "name": f"Speaker {n}"},
            "datePublished": "2023-04-03",
            "appearance": [f"https://news.example.org/{n}", "https://news.example.org/shared"],
        },
        **overrides,
    )


def test_records_of_one_payload_share_claims_actors_and_sources(db):
    first = review()
    # The same claim again, by the same author spelt in capitals, rated
    # another way on another day, with one more appearance.
    second = review(datePublished="2023-04-05", reviewRating={"alternateName": "Misleading"})
    second["itemReviewed"] = {
        **first["itemReviewed"],
        "author": {"@type": "Person", "name": "JENS STOLTENBERG"},
        "appearance": [*first["itemReviewed"]["appearance"], "https://apnews.com/finland"],
    }
    report = import_claim_reviews([first, second])
    assert report["created"] == {
        "claims": 1,
        "actors": 1,
        "statements": 1,
        "sources": 3,
        "external_reviews": 2,
    }
    assert report["claims"] == [Claim.objects.get().slug] * 2
    assert [record["outcome"] for record in report["records"]] == ["created", "matched"]
    statement = Statement.objects.get()
    assert statement.statement_sources.count() == 3
    claim = Claim.objects.get()
    assert claim.status == Status.UNVERIFIED  # two ratings elsewhere, no verdict of ours
    assert sorted(claim.external_reviews.values_list("rating", flat=True)) == ["Misleading", "True"]
    assert not Assessment.objects.exists()


def test_an_author_is_matched_by_wikidata_id_then_name_then_alias(db):
    by_wikidata = ActorFactory(name="J. Stoltenberg", wikidata_id="Q57108")
    by_name = ActorFactory(name="Yevhen Prigozhin")
    by_alias = ActorAliasFactory(name="Серхій Черевaтий").actor
    records = [
        review(claimReviewed="One.", itemReviewed={"author": {"name": "Jens", "sameAs": "Q57108 no"}}),
        review(
            claimReviewed="Two.",
            itemReviewed={"author": {"name": "Jens", "sameAs": "https://www.wikidata.org/wiki/Q57108"}},
        ),
        review(claimReviewed="Three.", itemReviewed={"author": {"name": "yevhen prigozhin"}}),
        review(claimReviewed="Four.", itemReviewed={"author": {"name": "Серхій Черевaтий"}}),
    ]
    import_claim_reviews(records)
    speakers = dict(Statement.objects.values_list("claim__text", "actor"))
    assert speakers["Two."] == by_wikidata.pk
    assert speakers["Three."] == by_name.pk
    assert speakers["Four."] == by_alias.pk
    assert Actor.objects.get(pk=speakers["One."]).name == "Jens"  # no id it could match: new


def test_a_review_of_a_stored_claim_adds_to_it_and_its_page_changes(client, demo):
    claim = demo[TOWN_HALL]
    before = client.get(claim.get_absolute_url())
    wagner_page = client.get("/actors/wagner-group/")
    record = review(
        claimReviewed=claim.text,
        datePublished="2023-05-20",
        reviewRating={"alternateName": "Confirmed"},
        itemReviewed={
            "author": {"@type": "Organization", "name": "Wagner Group"},
            "datePublished": "2023-05-20",
        },
    )
    status = Claim.objects.get(pk=claim.pk).status
    assert status == Status.DISPUTED
    report = import_claim_reviews([record])
    assert report["claims"] == [claim.slug]
    assert report["created"]["claims"] == 0
    assert report["records"][0]["outcome"] == "matched"
    after = client.get(claim.get_absolute_url())
    assert after["ETag"] != before["ETag"]
    assert "Rated elsewhere" in after.text and "Example Fact Check" in after.text
    assert Claim.objects.get(pk=claim.pk).status == status  # theirs is not ours
    # The new statement (another day) shows on the speaker's page.
    assert client.get("/actors/wagner-group/")["ETag"] != wagner_page["ETag"]


def test_a_rating_alone_changes_the_claim_page_and_nothing_else(client, demo):
    claim = demo[TOWN_HALL]
    record = review(claimReviewed=claim.text, itemReviewed={})
    before = client.get(claim.get_absolute_url())
    speaker = claim.statements.first().actor
    speaker_updated = speaker.updated_at
    report = import_claim_reviews([record])
    assert report["records"][0] | {"claim": None} == {
        "index": 0,
        "outcome": "matched",
        "claim": None,
        "rating_added": True,
        "changed": True,
        "errors": [],
    }
    assert client.get(claim.get_absolute_url())["ETag"] != before["ETag"]
    speaker.refresh_from_db()
    assert speaker.updated_at == speaker_updated


def test_a_slug_taken_by_another_claim_is_not_reused(db):
    ClaimFactory(slug="finland-becomes-natos-31st-member-on-4-april-2023", text="Something else.")
    ClaimFactory(slug="ours", text="Ours.")
    records = [
        review(),
        # Our own page finds its claim by slug, whatever the text says now.
        review(claimReviewed="Another.", url="http://127.0.0.1:8000/claims/ours/"),
        # Our own page of a claim we no longer have: made again, under its slug.
        review(claimReviewed="Gone.", url="http://127.0.0.1:8000/claims/gone/"),
    ]
    report = import_claim_reviews(records)
    assert report["claims"] == ["finland-becomes-natos-31st-member-on-4-april-2023-2", "ours", "gone"]
    assert [record["outcome"] for record in report["records"]] == ["created", "matched", "created"]
    assert [record["rating_added"] for record in report["records"]] == [True, False, False]


def test_imported_rows_have_history_that_restores_them(db, reviewer):
    import_claim_reviews([review()], user=reviewer)
    claim = Claim.objects.get()
    record = claim.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        reviewer,
        "ClaimReview import",
    )
    for model in (Actor, Source, Statement, StatementSource, ExternalReview):
        assert model.history.filter(history_user=reviewer).count() == model.objects.count()
    assert ExternalReview.history.get().history_change_reason == "ClaimReview import"
    rating = ExternalReview.objects.values("reviewer_name", "rating", "review_url", "reviewed_on").get()
    claim_id = claim.pk
    claim.delete()
    restored = restore_claim(claim_id, user=reviewer)
    assert (
        restored.external_reviews.values("reviewer_name", "rating", "review_url", "reviewed_on").get()
        == rating
    )
    assert restored.statements.get().statement_sources.count() == 2


def test_an_editor_cannot_import(db, editor):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_claim_reviews([review()], user=editor)
    assert not Claim.objects.exists()


def test_the_query_count_does_not_grow_with_the_records(db):
    def queries_for(records):
        with CaptureQueriesContext(connection) as captured:
            import_claim_reviews(records)
        return len(captured)

    few = queries_for([numbered(n) for n in range(3)])
    many = queries_for([numbered(n) for n in range(100, 160)])
    assert many == few
    # Again: everything is found, nothing is stored.
    assert queries_for([numbered(n) for n in range(100, 160)]) <= few
    assert Claim.objects.count() == 63
