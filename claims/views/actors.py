"""The actor page (/actors/<slug>/): who they are, what they said, and how it stands."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from claims.caching import actor_version, cached_page
from claims.models import Actor, Claim
from claims.vocabularies import Stance, Status

CLAIMS_SHOWN = 50
TRACK_RECORD_STANCES = (Stance.ASSERTS, Stance.DENIES, Stance.QUALIFIES, Stance.DECLINES, Stance.RETRACTS)


def track_record(actor):
    """[(stance label, total, [(status, label, count)])] for every stance the actor took."""
    counts = {}
    for row in Claim.objects.track_record(actor):
        counts.setdefault(row["statements__stance"], {})[row["status"]] = row["claims"]
    record = []
    for stance in TRACK_RECORD_STANCES:
        if stance not in counts:
            continue
        by_status = [
            (status, status.label, counts[stance][status]) for status in Status if status in counts[stance]
        ]
        record.append((stance, stance.label, sum(n for _, _, n in by_status), by_status))
    return record


@require_safe
@cached_page(actor_version)
def actor_detail(request, slug):
    actor = get_object_or_404(Actor.objects.select_related("affiliation"), slug=slug)
    claims = list(Claim.objects.stated_by(actor).order_by("-updated_at", "-pk")[: CLAIMS_SHOWN + 1])
    return render(
        request,
        "claims/actor_detail.html",
        {
            "actor": actor,
            "aliases": list(actor.aliases.all()),
            "claims": claims[:CLAIMS_SHOWN],
            "more_claims": len(claims) > CLAIMS_SHOWN,
            "track_record": track_record(actor),
        },
    )
