"""One spelling per source URL, so that a URL is stored once."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def normalise_url(url):
    """Lower-case scheme and host, drop `utm_*` tracking parameters and a
    trailing slash. Leaves an empty string empty."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith("utm_")
        ]
    )
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, parts.fragment))
