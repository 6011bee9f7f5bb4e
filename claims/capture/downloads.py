"""A capture's WARC file for the editors (any source, cited or not): a
download, never a page of our origin, so nothing in someone else's bytes can
run here. The reader door (views.capture_warc) serves only what published
material cites; this one is for the admin, behind its login and permission."""

from django.http import FileResponse, Http404

from .views import untrusted


def warc_attachment(capture):
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
    response = untrusted(response)
    response["Cache-Control"] = "private, no-store"  # any source's, cited or not: editors only
    return response
