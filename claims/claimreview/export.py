"""schema.org ClaimReview JSON-LD, as Google's fact-check markup asks for it.

One builder serves the claim page's <script type="application/ld+json"> and the
API's /claimreview/ endpoint and export, so they never disagree.
"""

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings

from claims.vocabularies import Stance, Status

from .vocabulary import STATUS_RATING


def absolute_url(path):
    return f"{settings.SITE_URL}{path}"


class Said(NamedTuple):
    """What the markup needs of a statement: who said it, when, and where it appeared."""

    stance: str
    actor_kind: str
    actor_name: str
    actor_wikidata_id: str
    stated_on: dt.date
    urls: Iterable  # read at most once, and only for the statements the markup names


def build_claim_review(claim):
    """ClaimReview for a published claim with `with_statements()` prefetched data.

    Returns None when the claim has no published assessment: there is no
    review to mark up yet."""
    assessments = getattr(claim, "published_assessments", None)
    if assessments is None:
        assessments = list(claim.assessments.published().timeline())
    latest = assessments[-1] if assessments else None
    said = [
        Said(
            statement.stance,
            statement.actor.kind,
            statement.actor.name,
            statement.actor.wikidata_id,
            statement.stated_on,
            (link.source.url for link in statement.statement_sources.all()),
        )
        for statement in claim.statements.all()
    ]
    return claim_review(
        claim.get_absolute_url(),
        claim.text,
        claim.first_claimed_on,
        latest and (latest.status, latest.assessed_at),
        said,
    )


def claim_review(path, text, first_claimed_on, latest, said):
    """ClaimReview of the claim at `path` whose latest published assessment
    is `latest` ((status, assessed_at), or None: no markup) and whose
    statements are `said` (`Said`, in page order). The claim page reads its
    rows as values and calls this directly."""
    if not latest:
        return None
    status = Status(latest[0])
    asserting = [s for s in said if s.stance == Stance.ASSERTS]
    first = asserting[0] if asserting else (said[0] if said else None)

    item_reviewed = {"@type": "Claim"}
    if first is not None:
        item_reviewed["author"] = {
            "@type": "Person" if first.actor_kind == "person" else "Organization",
            "name": first.actor_name,
        }
        if first.actor_wikidata_id:
            item_reviewed["author"]["sameAs"] = f"https://www.wikidata.org/wiki/{first.actor_wikidata_id}"
        item_reviewed["datePublished"] = first.stated_on.isoformat()
        appearances = []
        for statement in asserting or [first]:
            for url in statement.urls:
                if url and url not in appearances:
                    appearances.append(url)
        if appearances:
            item_reviewed["appearance"] = [{"@type": "CreativeWork", "url": url} for url in appearances]
    elif first_claimed_on:
        item_reviewed["datePublished"] = first_claimed_on.isoformat()

    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute_url(path),
        "claimReviewed": text,
        "datePublished": latest[1].date().isoformat(),
        "author": {
            "@type": "Organization",
            "name": settings.ORGANISATION_NAME,
            "url": settings.ORGANISATION_URL,
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": STATUS_RATING[status],
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": status.label,
        },
        "itemReviewed": item_reviewed,
    }
