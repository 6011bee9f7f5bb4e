"""Which captures readers may see: those of a source that published material
cites (a statement on a published claim, or the evidence of a published
assessment of one). Every reader door (the capture pages, the claim page's
evidence, the bundle) asks here; a capture no reader may see is a plain 404."""

from django.db.models import Exists, OuterRef

from claims.models import Assessment, Capture, Claim, Source, StatementSource


def cited_sources():
    """Sources that published material cites."""
    on_statements = StatementSource.objects.filter(
        source_id=OuterRef("pk"), statement__claim__is_published=True
    )
    as_evidence = Assessment.evidence.through.objects.filter(
        source_id=OuterRef("pk"),
        assessment__is_published=True,
        assessment__claim__is_published=True,
    )
    return Source.objects.filter(Exists(on_statements) | Exists(as_evidence))


def public_captures():
    return Capture.objects.captured().filter(source__in=cited_sources())


def sources_cited_by(claim):
    """The sources a published claim's page shows: its statements' and its
    published assessments' evidence."""
    if not claim.is_published:
        return Source.objects.none()
    return Source.objects.filter(
        Exists(StatementSource.objects.filter(source_id=OuterRef("pk"), statement__claim=claim))
        | Exists(
            Assessment.evidence.through.objects.filter(
                source_id=OuterRef("pk"), assessment__claim=claim, assessment__is_published=True
            )
        )
    )


def published_claims_citing(capture):
    """The published claims whose pages cite this capture's source."""
    return Claim.objects.published().filter(
        Exists(StatementSource.objects.filter(statement__claim=OuterRef("pk"), source_id=capture.source_id))
        | Exists(
            Assessment.evidence.through.objects.filter(
                assessment__claim=OuterRef("pk"),
                assessment__is_published=True,
                source_id=capture.source_id,
            )
        )
    )
