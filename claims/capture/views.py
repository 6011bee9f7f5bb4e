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
from .public import claims_citing, public_captures

# No script, no plugins, no forms, no loads from any origin; styles inline
# only, images only as data: URIs (a copied page must not beacon its author).
SANDBOX_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
INLINE_TYPES = {"text/html", "text/plain", "application/xhtml+xml"}


def _capture_or_404(pk):
    return get_object_or_404(public_captures().select_related("source__publisher"), pk=pk)


@require_safe
def capture_detail(request, pk):
    capture = _capture_or_404(pk)
    return render(
        request,
        "claims/capture_detail.html",
        {"capture": capture, "source": capture.source, "claims": list(claims_citing(capture)[:50])},
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
    return untrusted(response)


@require_safe
def capture_warc(request, pk):
    capture = _capture_or_404(pk)
    if not capture.warc:
        raise Http404
    response = FileResponse(
        capture.warc.open("rb"),
        as_attachment=True,
        filename=f"capture-{capture.pk}.warc.gz",
        content_type="application/warc",
    )
    return untrusted(response)


def untrusted(response):
    """Headers for someone else's bytes: a sandbox of their own, never sniffed."""
    response._csp_config = {}  # ours is replaced, not merged (Django's CSP middleware)
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "public, max-age=3600"
    return response


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
