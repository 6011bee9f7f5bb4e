"""The client's address: REMOTE_ADDR unless TRUSTED_PROXY_COUNT proxies in
front are trusted to append to X-Forwarded-For; the API throttles count by it,
so a made-up X-Forwarded-For cannot skip them."""

import random

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from claims.client_address import client_address, rate_limit_key


def request(remote_addr="192.0.2.1", xff=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if xff is not None:
        headers["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **headers)


def random_address():
    return ".".join(str(random.randint(1, 254)) for _ in range(4))


def test_by_default_x_forwarded_for_is_ignored():
    assert settings.TRUSTED_PROXY_COUNT == 0
    assert client_address(request("192.0.2.1", "203.0.113.9")) == "192.0.2.1"
    assert client_address(request("192.0.2.1", "203.0.113.9, 198.51.100.4")) == "192.0.2.1"


@pytest.mark.parametrize(
    ("count", "xff", "client"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        (1, " 6.6.6.6 ,  203.0.113.9 ", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "::ffff:203.0.113.9", "203.0.113.9"),
        # Fewer addresses than proxies, none, or nonsense: the peer's address.
        (2, "203.0.113.9", "192.0.2.1"),
        (1, None, "192.0.2.1"),
        (1, "", "192.0.2.1"),
        (1, "6.6.6.6, not-an-address", "192.0.2.1"),
        (1, "6.6.6.6, 203.0.113.9:4711", "203.0.113.9"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
    ],
)
def test_behind_trusted_proxies_the_nth_address_from_the_right_is_the_client(count, xff, client):
    with override_settings(TRUSTED_PROXY_COUNT=count):
        assert client_address(request("192.0.2.1", xff)) == client


def test_ipv6_clients_are_limited_by_their_64_bit_prefix():
    assert rate_limit_key(request("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::/64"
    assert rate_limit_key(request("2001:db8:1:2:bbbb::7")) == "2001:db8:1:2::/64"
    assert rate_limit_key(request("203.0.113.9")) == "203.0.113.9"


@pytest.mark.parametrize(("value", "count"), [(None, 0), ("", 0), ("0", 0), ("2", 2)])
def test_the_proxy_count_is_read_from_the_environment(monkeypatch, value, count):
    from tracker.settings import env_proxy_count

    if value is None:
        monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
    else:
        monkeypatch.setenv("TRUSTED_PROXY_COUNT", value)
    assert env_proxy_count("TRUSTED_PROXY_COUNT") == count


@pytest.mark.parametrize("value", ["-1", "two"])
def test_a_bad_proxy_count_stops_the_start(monkeypatch, value):
    from tracker.settings import env_proxy_count

    monkeypatch.setenv("TRUSTED_PROXY_COUNT", value)
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY_COUNT"):
        env_proxy_count("TRUSTED_PROXY_COUNT")


def anon_rate(rate):
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": rate, "user": None}}
    )


def test_made_up_x_forwarded_for_headers_do_not_skip_the_api_throttle(api_client):
    with anon_rate("5/minute"):
        statuses = [
            api_client.get("/api/v1/topics/", HTTP_X_FORWARDED_FOR=random_address()).status_code
            for _ in range(300)
        ]
    assert statuses == [200] * 5 + [429] * 295


def test_behind_one_proxy_the_api_throttle_counts_the_rightmost_address(api_client):
    def get(xff):
        return api_client.get("/api/v1/topics/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=xff).status_code

    with anon_rate("2/minute"), override_settings(TRUSTED_PROXY_COUNT=1):
        first = [get(f"{random_address()}, 203.0.113.9") for _ in range(3)]
        other = [get(f"{random_address()}, 203.0.113.10") for _ in range(2)]
    assert first == [200, 200, 429]
    assert other == [200, 200]
