"""The database itself refuses what breaks the domain's rules; so do the models."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims.models import Actor, Assessment, Claim, ClaimLink, Source, Statement
from claims.urls_normalise import normalise_url

from .factories import (
    ActorFactory,
    AssessmentFactory,
    ClaimFactory,
    ClaimLinkFactory,
    SourceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


def assert_db_refuses(queryset, **values):
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**values)


def test_database_refuses_a_stance_outside_the_vocabulary():
    statement = StatementFactory()
    assert_db_refuses(Statement.objects.filter(pk=statement.pk), stance="maybe")


def test_database_refuses_a_status_outside_the_vocabulary():
    assessment = AssessmentFactory()
    assert_db_refuses(Assessment.objects.filter(pk=assessment.pk), status="true-ish")
    assert_db_refuses(Claim.objects.filter(pk=assessment.claim_id), status="true-ish")


def test_database_refuses_a_kind_or_language_outside_the_vocabulary():
    source = SourceFactory()
    assert_db_refuses(Source.objects.filter(pk=source.pk), kind="rumour")
    assert_db_refuses(Source.objects.filter(pk=source.pk), language="xx")
    assert_db_refuses(Actor.objects.filter(pk=source.publisher_id), kind="alien")


def test_database_refuses_a_malformed_wikidata_id_and_non_http_archive_url():
    actor = ActorFactory()
    assert_db_refuses(Actor.objects.filter(pk=actor.pk), wikidata_id="188664")
    source = SourceFactory()
    assert_db_refuses(Source.objects.filter(pk=source.pk), archive_url="javascript:alert(1)")


def test_models_refuse_values_outside_the_vocabularies():
    statement = StatementFactory.build(claim=ClaimFactory(), actor=ActorFactory(), stance="maybe")
    with pytest.raises(ValidationError) as error:
        statement.full_clean()
    assert "stance" in error.value.message_dict
    actor = ActorFactory.build(wikidata_id="Q12x")
    with pytest.raises(ValidationError) as error:
        actor.full_clean()
    assert "wikidata_id" in error.value.message_dict


def test_a_claim_cannot_link_to_itself():
    claim = ClaimFactory()
    link = ClaimLink(from_claim=claim, to_claim=claim, kind="supports")
    with pytest.raises(ValidationError):
        link.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        link.save()
    other = ClaimLinkFactory()
    assert_db_refuses(ClaimLink.objects.filter(pk=other.pk), to_claim=other.from_claim)


def test_slugs_are_unique():
    ClaimFactory(slug="same")
    with pytest.raises(ValidationError) as error:
        ClaimFactory.build(slug="same").full_clean()
    assert "slug" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFactory(slug="same")


@pytest.mark.parametrize(
    "spelling",
    [
        "HTTPS://News.Example.org/story/1/",
        "https://news.example.org/story/1?utm_source=x&utm_medium=social",
        "https://NEWS.example.org/story/1/?utm_campaign=y",
    ],
)
def test_one_source_row_per_normalised_url(spelling):
    SourceFactory(url="https://news.example.org/story/1")
    duplicate = SourceFactory.build(url=spelling, publisher=None)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "A source with this URL is already stored." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_normalising_keeps_what_identifies_the_document():
    assert normalise_url("HTTPS://Example.ORG/Path/To/?id=7&utm_source=tw#part") == (
        "https://example.org/Path/To?id=7#part"
    )
    assert normalise_url("") == ""


def test_sources_without_url_may_be_many():
    SourceFactory(url="")
    SourceFactory(url="")
    assert Source.objects.filter(url="").count() == 2


def test_a_place_needs_both_coordinates_or_neither():
    from claims.models import Place

    with pytest.raises(IntegrityError), transaction.atomic():
        Place.objects.create(name="Half", slug="half", latitude=48.5)
