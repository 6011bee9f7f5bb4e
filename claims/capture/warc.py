"""The raw exchange of one capture as a WARC file (ISO 28500, gzipped per
record), so it replays in standard tools (pywb, ReplayWeb.page) and outlives us.

Records, in order: warcinfo (who wrote it), request (what we sent), response
(the status line, headers and body as received), metadata (the redirects that
led there and the address the response came from).
"""

import io
from urllib.parse import urlsplit

from django.conf import settings
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .fetcher import request_headers

# http.client has already undone these: the stored body is not chunked, so a
# replay tool must not try to de-chunk it.
HOP_BY_HOP = {"transfer-encoding", "connection", "keep-alive"}


def _warc_date(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def build_warc(fetched):
    """Bytes of a WARC file holding `fetched` (a fetcher.Fetched)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    date = _warc_date(fetched.fetched_at)
    url = fetched.final_url

    info = writer.create_warcinfo_record(
        "counterclaim.warc.gz",
        {"software": "Counterclaim evidence capture", "operator": getattr(settings, "SITE_URL", "")},
    )
    writer.write_record(info)

    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = [("Host", parts.netloc), *request_headers().items()]
    request = writer.create_warc_record(
        url,
        "request",
        payload=io.BytesIO(b""),
        length=0,
        http_headers=StatusAndHeaders(f"GET {path} HTTP/1.1", sent, is_http_request=True),
        warc_headers_dict={"WARC-Date": date},
    )

    received = [(name, value) for name, value in fetched.headers if name.lower() not in HOP_BY_HOP]
    response = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(fetched.body),
        length=len(fetched.body),
        http_headers=StatusAndHeaders(f"{fetched.status} {fetched.reason}", received, protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": date, "WARC-IP-Address": fetched.address},
    )
    # WARC-Concurrent-To ties the request to its response for replay tools.
    request.rec_headers.add_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
    writer.write_record(request)
    writer.write_record(response)

    lines = [f"requested: {fetched.requested_url}"]
    lines += [f"redirect: {status} {hop}" for status, hop in fetched.redirects]
    lines += [f"final: {url}", f"peer: {fetched.address}", f"seconds: {fetched.seconds}"]
    metadata = writer.create_warc_record(
        url,
        "metadata",
        payload=io.BytesIO(("\n".join(lines) + "\n").encode()),
        warc_content_type="text/plain",
        warc_headers_dict={
            "WARC-Date": date,
            "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
        },
    )
    writer.write_record(metadata)
    return buffer.getvalue()


def read_response(stream):
    """(status, headers, body) of the response record in a stored WARC."""
    for record in ArchiveIterator(stream):
        if record.rec_type == "response":
            headers = record.http_headers
            return int(headers.get_statuscode()), headers.headers, record.content_stream().read()
    return None
