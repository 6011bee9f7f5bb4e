"""Reader doors to the evidence: a capture's page (what was fetched, its
hashes, the text read from it), its raw body (sandboxed), its WARC file, and
a claim's evidence bundle. Only captures that published material cites
(public.py); anything else answers the same 404 as an unknown id.

A stored page is someone else's HTML: it is never served as a page of our
origin. The raw body goes out with `Content-Security-Policy: sandbox` (no
script, no same-origin access, no loads from anywhere) and `nosniff`, and
anything but HTML or plain text as a download.
"""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from claims.models import Claim

from . import warc
from .bundle import build_bundle
from .downloads import PUBLIC_CACHE, untrusted, warc_attachment
from .public import public_captures, published_claims_citing

INLINE_TYPES = {"text/html", "text/plain", "application/xhtml+xml"}


def _capture_or_404(pk):
    return get_object_or_404(public_captures().select_related("source__publisher"), pk=pk)


@require_safe
def capture_detail(request, pk):
    capture = _capture_or_404(pk)
    return render(
        request,
        "claims/capture_detail.html",
        {"capture": capture, "source": capture.source, "claims": list(published_claims_citing(capture)[:50])},
    )


@require_safe
def capture_raw(request, pk):
    capture = _capture_or_404(pk)
    if not capture.warc:
        raise Http404
    with capture.warc.open("rb") as stored:
        found = warc.read_response(stored)
    if found is None:
        raise Http404
    _, headers, body = found
    sent_type = next((value for name, value in headers if name.lower() == "content-type"), "")
    if capture.content_type in INLINE_TYPES:
        # As the server sent it (with its charset); sandboxed, so never active.
        response = HttpResponse(body, content_type=sent_type or capture.content_type)
        response["Content-Disposition"] = "inline"
    else:
        response = HttpResponse(body, content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="capture-{capture.pk}"'
    return untrusted(response, cache_control=PUBLIC_CACHE)


@require_safe
def capture_warc(request, pk):
    return warc_attachment(_capture_or_404(pk), cache_control=PUBLIC_CACHE)


@require_safe
def claim_evidence(request, slug):
    claim = get_object_or_404(Claim.objects.published().with_statements(), slug=slug)
    return evidence_response(claim)


def evidence_response(claim):
    """The bundle as a download (the API's evidence action answers with it too)."""
    bundle = build_bundle(claim)
    return FileResponse(
        bundle,
        as_attachment=True,
        filename=f"evidence-{slugify(claim.slug)[:80]}.zip",
        content_type="application/zip",
    )
