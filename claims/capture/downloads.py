"""Someone else's bytes, served: the sandbox every stored copy goes out
under, and a capture's WARC file as a download. The reader doors
(views.py) serve only what published material cites; the admin serves any
source's, behind its login and permission, and never lets it be cached.

A stored page is never a page of our origin: `Content-Security-Policy:
sandbox` (no script, no same-origin access) with nothing loadable from
anywhere, and `nosniff`, so nothing in it can run here or beacon its author.
"""

from django.http import FileResponse, Http404

# No script, no plugins, no forms, no loads from any origin; styles inline
# only, images only as data: URIs (a copied page must not beacon its author).
SANDBOX_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
PUBLIC_CACHE = "public, max-age=3600"
PRIVATE_NO_STORE = "private, no-store"


def untrusted(response, *, cache_control):
    """Headers for someone else's bytes: a sandbox of their own, never sniffed."""
    response._csp_config = {}  # ours is replaced, not merged (Django's CSP middleware)
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = cache_control
    return response


def warc_attachment(capture, *, cache_control):
    """The capture's WARC as an attachment, sandboxed and not sniffed; 404
    when it has none (pending or failed) or the file is missing."""
    if not capture.warc:
        raise Http404("This capture has no WARC file.")
    try:
        stored = capture.warc.open("rb")
    except FileNotFoundError as error:
        raise Http404("The WARC file is missing from storage.") from error
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=f"capture-{capture.pk}.warc.gz",
        content_type="application/warc",
    )
    return untrusted(response, cache_control=cache_control)
