"""Reader search is rate limited per address (SEARCH_RATE): the search over
the limit gets a plain 429 page with Retry-After that is never cached;
browsing without a search, and other addresses, are not limited."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from claims import rate_limit

SEARCH = "/claims/?q=Bakhmut"


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, fixed at the start of a window; `clock.now += 60`."""

    class Clock:
        now = 1_700_000_040.0  # a whole minute

    monkeypatch.setattr(rate_limit, "now", lambda: Clock.now)
    cache.clear()
    return Clock


@pytest.fixture
def limited(demo, clock):
    with override_settings(SEARCH_RATE="3/minute"):
        yield clock


def test_the_search_over_the_limit_is_a_429_with_retry_after(client, limited):
    limited.now += 20
    statuses = [client.get("/claims/", {"q": f"word{i}"}).status_code for i in range(3)]
    response = client.get(SEARCH)
    assert statuses == [200, 200, 200]
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    assert "Too many searches" in response.text
    assert "Try again in 40 seconds" in response.text
    assert response.templates[0].name == "429.html"
    assert "base.html" in [t.name for t in response.templates]


def test_the_429_page_is_never_cached(client, limited):
    for _ in range(4):
        response = client.get(SEARCH)
    assert response.status_code == 429
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert not response.has_header("ETag")
    limited.now += 60
    again = client.get(SEARCH)
    assert again.status_code == 200
    assert "Too many searches" not in again.text
    assert "wagner-captured-bakhmut-city-administration" in again.text


def test_cached_results_count_too(client, limited):
    assert [client.get(SEARCH).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_another_address_is_not_limited(client, limited):
    assert [client.get(SEARCH).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get(SEARCH, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_a_made_up_x_forwarded_for_is_still_the_same_address(client, limited):
    statuses = [client.get(SEARCH, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.parametrize("query", [{}, {"q": ""}, {"q": "   "}, {"status": "refuted"}, {"page": "2"}])
def test_browsing_without_a_search_is_never_limited(client, limited, query):
    assert [client.get(SEARCH).status_code for _ in range(4)][-1] == 429
    assert {client.get("/claims/", query).status_code for _ in range(5)} == {200}


def test_other_pages_are_not_limited(client, limited):
    assert [client.get(SEARCH).status_code for _ in range(4)][-1] == 429
    assert client.get("/").status_code == 200
    assert client.get("/claims/wagner-captured-bakhmut-city-administration/").status_code == 200


def test_head_requests_count_as_searches(client, limited):
    assert [client.head(SEARCH).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_editors_logged_in_are_not_limited(editor_client, limited):
    assert {editor_client.get(SEARCH).status_code for _ in range(5)} == {200}


def test_a_rate_of_off_lets_every_search_through(client, demo, clock):
    with override_settings(SEARCH_RATE=None):
        assert {client.get("/claims/", {"q": f"w{i}"}).status_code for i in range(40)} == {200}


def test_the_default_rate_comes_from_the_environment(monkeypatch):
    from tracker.settings import env_rate

    assert env_rate("SEARCH_RATE", "30/minute") == settings.SEARCH_RATE
    monkeypatch.setenv("SEARCH_RATE", "off")
    assert env_rate("SEARCH_RATE", "30/minute") is None


@pytest.mark.parametrize(
    ("rate", "parsed"), [("30/minute", (30, 60)), ("5/s", (5, 1)), ("100/hour", (100, 3600)), (None, None)]
)
def test_rates_are_read_like_the_api_throttles(rate, parsed):
    assert rate_limit.parse_rate(rate, "SEARCH_RATE") == parsed


@pytest.mark.parametrize("rate", ["thirty/minute", "30", "30/fortnight", "-1/minute"])
def test_a_bad_rate_names_the_setting(rate):
    with pytest.raises(ImproperlyConfigured, match="SEARCH_RATE"):
        rate_limit.parse_rate(rate, "SEARCH_RATE")


def test_the_counter_starts_afresh_when_its_key_expired_between_add_and_incr(clock, monkeypatch):
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    assert rate_limit.hit("test", "192.0.2.1", (1, 60)) is None


def test_the_benchmark_turns_the_search_limit_off():
    """bench/run.py searches from one address under load: its servers run with
    SEARCH_RATE=off, as with the API throttles."""
    from bench import run

    env = run.production_env("postgres://bench", "redis://bench")
    assert env["SEARCH_RATE"] == "off"
    assert env["API_THROTTLE_ANON"] == "off"
