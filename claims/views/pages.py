"""Home, methodology, robots.txt and favicon.ico."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from claims.caching import cached_page, claim_list_version
from claims.filters import ClaimListFilter
from claims.models import Claim, Topic, with_topics
from claims.vocabularies import Stance, Status

HOME_LIST_LENGTH = 6

STATUS_MEANINGS = {
    Status.UNVERIFIED: "We have not yet been able to check the claim. Every claim starts here.",
    Status.DISPUTED: "Credible parties say opposite things and the evidence does not yet settle it.",
    Status.CONFIRMED: "Independent evidence shows the claim is true.",
    Status.REFUTED: "Independent evidence shows the claim is false.",
    Status.MIXED: "Parts of the claim are true and parts are false.",
    Status.MISLEADING: "The claim contains accurate facts but leaves a false impression.",
    Status.UNVERIFIABLE: "The claim cannot be checked with the evidence that exists or can be had.",
}

STANCE_MEANINGS = {
    Stance.ASSERTS: "The actor says the claim is true.",
    Stance.DENIES: "The actor says the claim is false.",
    Stance.QUALIFIES: "The actor partly supports the claim, or adds conditions to it.",
    Stance.DECLINES: "The actor declines, or fails, to confirm the claim.",
    Stance.RETRACTS: "The actor withdraws an assertion it made earlier.",
}


@require_safe
@cached_page(claim_list_version)
def home(request):
    return render(
        request,
        "claims/home.html",
        {
            "recently_assessed": with_topics(Claim.objects.recently_assessed().for_list()[:HOME_LIST_LENGTH]),
            "recently_updated": with_topics(Claim.objects.recently_updated().for_list()[:HOME_LIST_LENGTH]),
            "most_contested": with_topics(Claim.objects.most_contested().for_list()[:HOME_LIST_LENGTH]),
            "topics": Topic.objects.all()[:30],
            "search_form": ClaimListFilter().form,
        },
    )


@require_safe
def methodology(request):
    return render(
        request,
        "claims/methodology.html",
        {
            "statuses": [(status, status.label, STATUS_MEANINGS[status]) for status in Status],
            "stances": [(stance, stance.label, STANCE_MEANINGS[stance]) for stance in Stance],
        },
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {settings.SITE_URL}{reverse('claims:sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    # Pages name the SVG icon; this answers browsers and feed readers that ask for
    # /favicon.ico anyway. Not permanent: the static name changes with its content.
    response = HttpResponseRedirect(static("favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
