"""schema.org ClaimReview JSON-LD, as Google's fact-check markup asks for it.

One builder serves the claim page's <script type="application/ld+json"> and the
API's /claimreview/ endpoint and export, so they never disagree.
"""

from django.conf import settings

from claims.vocabularies import Stance, Status

from .vocabulary import STATUS_RATING


def absolute_url(path):
    return f"{settings.SITE_URL}{path}"


def build_claim_review(claim):
    """ClaimReview for a published claim with `with_statements()` prefetched data.

    Returns None when the claim has no published assessment: there is no
    review to mark up yet."""
    assessments = getattr(claim, "published_assessments", None)
    if assessments is None:
        assessments = list(claim.assessments.published().timeline())
    if not assessments:
        return None
    latest = assessments[-1]
    status = Status(latest.status)
    statements = list(claim.statements.all())
    asserting = [s for s in statements if s.stance == Stance.ASSERTS]
    first = asserting[0] if asserting else (statements[0] if statements else None)

    item_reviewed = {"@type": "Claim"}
    if first is not None:
        item_reviewed["author"] = {
            "@type": "Person" if first.actor.kind == "person" else "Organization",
            "name": first.actor.name,
        }
        if first.actor.wikidata_id:
            item_reviewed["author"]["sameAs"] = f"https://www.wikidata.org/wiki/{first.actor.wikidata_id}"
        item_reviewed["datePublished"] = first.stated_on.isoformat()
        appearances = []
        for statement in asserting or [first]:
            for link in statement.statement_sources.all():
                if link.source.url and link.source.url not in appearances:
                    appearances.append(link.source.url)
        if appearances:
            item_reviewed["appearance"] = [{"@type": "CreativeWork", "url": url} for url in appearances]
    elif claim.first_claimed_on:
        item_reviewed["datePublished"] = claim.first_claimed_on.isoformat()

    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute_url(claim.get_absolute_url()),
        "claimReviewed": claim.text,
        "datePublished": latest.assessed_at.date().isoformat(),
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
