"""Throttles: settings-driven rates; a 429 with Retry-After, in JSON."""

import pytest
from django.conf import settings
from django.test import override_settings


def rates(anon, user):
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user}}
    )


@pytest.mark.parametrize("role", [None, "", "Editor"])
def test_too_many_requests_is_429_with_retry_after(api_client, api_client_for, role):
    client = api_client if role is None else api_client_for(role)
    with rates("3/minute", "3/minute"):
        statuses = [client.get("/api/v1/topics/").status_code for _ in range(4)]
        response = client.get("/api/v1/topics/")
    assert statuses == [200, 200, 200, 429]
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["code"] == "throttled"
    assert response.json()["retry_after"] == int(response["Retry-After"])


def test_token_users_have_their_own_rate(api_client, api_client_for):
    with rates("1/minute", "100/minute"):
        assert api_client.get("/api/v1/topics/").status_code == 200
        assert api_client.get("/api/v1/topics/").status_code == 429
        client = api_client_for("")
        assert [client.get("/api/v1/topics/").status_code for _ in range(3)] == [200, 200, 200]


def test_the_default_rates_come_from_the_environment():
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {
        "anon": settings.API_THROTTLE_ANON,
        "user": settings.API_THROTTLE_USER,
    }


def test_a_rate_of_off_lets_every_request_through(api_client):
    with rates("1/minute", "1/minute"):
        assert [api_client.get("/api/v1/topics/").status_code for _ in range(2)] == [200, 429]
    with rates(None, None):
        assert {api_client.get("/api/v1/topics/").status_code for _ in range(3)} == {200}


@pytest.mark.parametrize(
    ("value", "rate"), [("off", None), ("OFF ", None), ("", None), ("20/second", "20/second")]
)
def test_a_rate_is_read_from_the_environment(monkeypatch, value, rate):
    from tracker.settings import env_rate

    monkeypatch.setenv("API_THROTTLE_ANON", value)
    assert env_rate("API_THROTTLE_ANON", "600/minute") == rate
