"""The app's one door to the internet, guarded against what an attacker would
send through it (a source URL is anyone's input).

    fetched = fetch("https://www.reuters.com/...")   # or raises FetchError

Refused before any byte is sent: schemes other than http and https, and any
host that resolves to an address that is not public (private, loopback,
link-local and cloud metadata, multicast, reserved), checked after DNS and
again on every redirect. The connection goes to the address that was
checked, so a second DNS answer cannot swap it (DNS rebinding); TLS still
verifies the certificate for the host name. Refused while fetching: more
than MAX_REDIRECTS redirects, a body over CAPTURE_MAX_BYTES, and anything
that takes longer than CAPTURE_TIMEOUT seconds in all. Loopback (127.0.0.0/8
and ::1, nothing else) is allowed only with CAPTURE_ALLOW_LOOPBACK, for tests
and local demos.

Each failure is a FetchError with a plain reason ("refused: address 10.0.0.5
is private", "timed out after 20 s") and whether trying again later can help.
An HTTP error status (404, 410, 500) is not a failure: it is what the server
answered, returned like any other response.

Webhook deliveries POST through the same door, under every guard:

    fetch(url, method="POST", body=b"{...}", headers={...}, follow_redirects=False)

A POST's redirect is not followed (a webhook receiver must answer at its own
address): the 3xx is returned like any other answer. `check_destination(url)`
applies the same checks without sending anything (a subscription's URL when
it is given).
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils import timezone

MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024


class FetchError(Exception):
    """Why a fetch ended without a response; `retryable` where later may work."""

    def __init__(self, reason, *, retryable=False, gone=False):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.gone = gone  # the address no longer resolves: the source may be gone

    @property
    def refused(self):
        """Our guard said no (the address, the scheme, a limit): asking again will not help."""
        return self.reason.startswith("refused")


@dataclass
class Fetched:
    requested_url: str
    final_url: str
    status: int
    reason: str
    headers: list  # [(name, value)] as received
    body: bytes
    address: str  # the peer the response came from
    fetched_at: object = field(default_factory=timezone.now)
    seconds: float = 0.0
    redirects: list = field(default_factory=list)  # [(status, url)] in order

    @property
    def content_type(self):
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value.split(";")[0].strip().lower()
        return ""


def _setting(name, default):
    return getattr(settings, name, default)


def _describe(address):
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_private:
        return "private"
    return "not public"


def vet_address(address, allow_loopback):
    """Raise FetchError unless `address` may be fetched from."""
    address = ipaddress.ip_address(address)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if allow_loopback and address.is_loopback:
        return address
    if not address.is_global or address.is_multicast:
        raise FetchError(f"refused: address {address} is {_describe(address)}")
    return address


def resolve(host, port, allow_loopback):
    """The addresses `host` resolves to, every one of them allowed, or FetchError."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError(
            f"DNS: {host} does not resolve ({error.strerror})", retryable=True, gone=True
        ) from error
    addresses = []
    for *_, sockaddr in infos:
        address = vet_address(sockaddr[0], allow_loopback)
        if address not in addresses:
            addresses.append(address)
    return addresses


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to a fresh DNS answer."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = str(address)

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = str(address)

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def request_headers():
    """What every fetch sends (the WARC request record repeats it). Identity
    encoding: the body we hash is the body as the server sent it."""
    return {
        "User-Agent": f"Counterclaim evidence capture (+{_setting('SITE_URL', '')})",
        "Accept": "*/*",
        "Accept-Encoding": "identity",
    }


def _check_url(url):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"refused: scheme {parts.scheme or '(none)'} is not http or https")
    if not parts.hostname:
        raise FetchError("refused: the address has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise FetchError("refused: the port is not a number from 1 to 65535") from error
    return parts, port


def check_destination(url, *, allow_loopback=None):
    """Raise FetchError unless `url` is one fetch would send a request to:
    http or https, a host that resolves, every address it resolves to public."""
    if allow_loopback is None:
        allow_loopback = _setting("CAPTURE_ALLOW_LOOPBACK", False)
    try:
        parts, port = _check_url(url)
        return resolve(parts.hostname, port, allow_loopback)
    except ValueError as error:
        raise FetchError("refused: the address is not a valid URL") from error


def _one_exchange(url, deadline, max_bytes, allow_loopback, method="GET", body=None, headers=None):
    parts, port = _check_url(url)
    addresses = resolve(parts.hostname, port, allow_loopback)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, addresses[0], timeout=remaining)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(method, path, body=body, headers={**request_headers(), **(headers or {})})
        sock = connection.sock  # http.client lets go of it once the body is read
        response = connection.getresponse()
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchError(f"refused: body of {int(length):,} bytes is over the {max_bytes:,}-byte limit")
        body = bytearray()
        while chunk := response.read(CHUNK):
            body += chunk
            if len(body) > max_bytes:
                raise FetchError(f"refused: body is over the {max_bytes:,}-byte limit")
            if time.monotonic() > deadline:
                raise TimeoutError
            if not response.isclosed():  # the rest of the body within what time is left
                sock.settimeout(max(0.01, deadline - time.monotonic()))
        return response, bytes(body), str(addresses[0])
    finally:
        connection.close()


def fetch(
    url,
    *,
    max_bytes=None,
    timeout=None,
    allow_loopback=None,
    method="GET",
    body=None,
    headers=None,
    follow_redirects=True,
):
    """GET `url` (or send `method` with `body` and `headers` added to ours),
    following up to MAX_REDIRECTS redirects, each hop checked, unless
    `follow_redirects` is off. Returns a Fetched; raises FetchError with the reason."""
    max_bytes = max_bytes if max_bytes is not None else _setting("CAPTURE_MAX_BYTES", 25 * 1024 * 1024)
    timeout = timeout if timeout is not None else _setting("CAPTURE_TIMEOUT", 20)
    if allow_loopback is None:
        allow_loopback = _setting("CAPTURE_ALLOW_LOOPBACK", False)
    started = time.monotonic()
    deadline = started + timeout
    current, redirects = url, []
    try:
        while True:
            response, answer, address = _one_exchange(
                current, deadline, max_bytes, allow_loopback, method, body, headers
            )
            location = response.getheader("Location")
            if follow_redirects and response.status in REDIRECTS and location:
                if len(redirects) >= MAX_REDIRECTS:
                    raise FetchError(f"refused: more than {MAX_REDIRECTS} redirects")
                redirects.append((response.status, current))
                current = urljoin(current, location)
                continue
            return Fetched(
                requested_url=url,
                final_url=current,
                status=response.status,
                reason=response.reason,
                headers=list(response.getheaders()),
                body=answer,
                address=address,
                seconds=round(time.monotonic() - started, 3),
                redirects=redirects,
            )
    except TimeoutError as error:
        raise FetchError(f"timed out after {timeout:g} s", retryable=True) from error
    except ValueError as error:  # urlsplit on "http://[::1", IDNA on a 64-character label
        raise FetchError("refused: the address is not a valid URL") from error
    except ssl.SSLError as error:
        raise FetchError(f"TLS: {error.reason or error}", retryable=False) from error
    except ConnectionRefusedError as error:
        raise FetchError("connection refused", retryable=True) from error
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(f"connection failed: {error.__class__.__name__}", retryable=True) from error
