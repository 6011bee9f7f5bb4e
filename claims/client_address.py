"""The one answer to "which address is this request from?".

`X-Forwarded-For` is only a header: anyone can send one with any address in
it. It is trusted only as far as settings.TRUSTED_PROXY_COUNT says: that many
reverse proxies (a load balancer, a CDN) stand in front of the app, and each
appends the address it received the request from. The client is then the
Nth address from the right; the addresses left of it were sent by the client
and prove nothing. With the default of 0, X-Forwarded-For is ignored and the
client is the peer (REMOTE_ADDR).

Everything that counts or records clients uses this: the API throttles
(claims/api/throttling.py), the reader search limit (claims/views/limits.py),
the logs, and the login lockout (django-axes, to be configured with
`client_address` as its client IP callable).

Lower layer: imports nothing of the views or the API.
"""

import ipaddress
import re

from django.conf import settings

# An address as a proxy may write it: bare, "[IPv6]:port" or "IPv4:port".
_WITH_PORT = re.compile(r"^\[(?P<v6>[0-9A-Fa-f:.]+)\](?::\d+)?$|^(?P<v4>[0-9.]+):\d+$")


def parse_address(value):
    """An `ipaddress` address from a header value, or None if it is not one.
    IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`) are IPv4."""
    value = (value or "").strip()
    if match := _WITH_PORT.match(value):
        value = match["v6"] or match["v4"]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(forwarded) >= proxies and (address := parse_address(forwarded[-proxies])) is not None:
            return address
    # No proxy trusted, or the chain is shorter than the proxies in front
    # (the request did not come through them) or garbled: the peer.
    return parse_address(remote) or remote


def client_address(request):
    """The client's IP address as text (for throttles, lockouts and logs)."""
    return str(_client_ip(request))


def rate_limit_key(request):
    """Whom a per-client rate limit counts: the address, or for IPv6 its /64
    (one subscriber usually has a whole /64 and could rotate through it)."""
    address = _client_ip(request)
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
