"""The early door (claims/caching/early.py): a warm anonymous page is answered
before the rest of the middleware, with every header the whole stack gives it,
and never when the stack would have answered differently."""

import pytest
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import override_settings

from claims.caching import counters

TOWN_HALL = "wagner-captured-bakhmut-city-administration"
CLAIM_PAGE = f"/claims/{TOWN_HALL}/"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not counters.enabled(), reason="the early door needs Redis counters (REDIS_URL)"),
]


@pytest.fixture
def stack_calls(monkeypatch):
    """How many requests went past the door into the rest of the stack."""
    calls = []
    process_request = SessionMiddleware.process_request

    def counted(self, request):
        calls.append(request.path)
        return process_request(self, request)

    monkeypatch.setattr(SessionMiddleware, "process_request", counted)
    return calls


def test_a_warm_page_is_answered_before_the_rest_of_the_stack(client, demo, stack_calls):
    whole = client.get(CLAIM_PAGE)
    early = client.get(CLAIM_PAGE)
    assert stack_calls == [CLAIM_PAGE]
    assert early.status_code == 200
    assert early.content == whole.content


READER_PAGES = [CLAIM_PAGE, "/", "/claims/", "/actors/serhiy-cherevatiy/", "/topics/battle-of-bakhmut/"]


@pytest.mark.parametrize("path", READER_PAGES)
def test_an_early_page_has_every_header_of_the_whole_stack(client, demo, stack_calls, path):
    whole = client.get(path)
    early = client.get(path)
    assert len(stack_calls) == 1
    assert dict(early.items()) == dict(whole.items())
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "ETag", "Vary"):
        assert early[header]


def test_an_edit_is_seen_by_the_next_request(client, demo):
    client.get(CLAIM_PAGE)
    client.get(CLAIM_PAGE)
    claim = demo[TOWN_HALL]
    claim.context = "Context written after the page was warm."
    claim.save()
    assert "Context written after the page was warm." in client.get(CLAIM_PAGE).text


def test_an_unpublished_claim_is_a_404_not_its_warm_page(client, demo):
    client.get(CLAIM_PAGE)
    assert client.get(CLAIM_PAGE).status_code == 200
    claim = demo[TOWN_HALL]
    claim.is_published = False
    claim.save()
    response = client.get(CLAIM_PAGE)
    assert response.status_code == 404
    assert "ETag" not in response


def test_a_logged_in_editor_never_gets_the_early_page(client, demo, editor, stack_calls):
    client.get(CLAIM_PAGE)
    client.get(CLAIM_PAGE)
    client.force_login(editor)
    response = client.get(CLAIM_PAGE)
    assert len(stack_calls) == 2
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Token 0123456789abcdef"},
        {"HTTP_IF_MODIFIED_SINCE": "Mon, 03 Apr 2023 00:00:00 GMT"},
        {"HTTP_COOKIE": "messages=anything"},
    ],
    ids=["credentials", "conditional", "messages"],
)
def test_credentials_conditions_and_messages_go_the_whole_way(client, demo, stack_calls, headers):
    client.get(CLAIM_PAGE)
    client.get(CLAIM_PAGE, **headers)
    assert len(stack_calls) == 2


def test_a_conditional_request_still_gets_its_304(client, demo):
    etag = client.get(CLAIM_PAGE)["ETag"]
    client.get(CLAIM_PAGE)
    assert client.get(CLAIM_PAGE, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_host_not_allowed_is_refused_though_the_page_is_warm(client, demo):
    client.get(CLAIM_PAGE)
    client.get(CLAIM_PAGE)
    assert client.get(CLAIM_PAGE, HTTP_HOST="evil.example").status_code == 400


def test_plain_http_is_redirected_though_the_page_is_warm_over_https(client, demo):
    with override_settings(SECURE_SSL_REDIRECT=True):
        client.get(CLAIM_PAGE, secure=True)
        assert client.get(CLAIM_PAGE, secure=True).status_code == 200
        response = client.get(CLAIM_PAGE)
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_a_page_over_https_is_not_answered_to_plain_http(client, demo):
    with override_settings(SECURE_HSTS_SECONDS=3600):
        secure = client.get(CLAIM_PAGE, secure=True)
        assert client.get(CLAIM_PAGE, secure=True)["Strict-Transport-Security"]
        plain = client.get(CLAIM_PAGE)
    assert "Strict-Transport-Security" in secure
    assert "Strict-Transport-Security" not in plain


def test_every_warm_search_still_counts_against_the_limit(client, demo, stack_calls):
    with override_settings(SEARCH_RATE="3/minute"):
        statuses = [client.get("/claims/?q=Bakhmut").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert len(stack_calls) == 4


def test_every_warm_api_read_still_counts_against_the_throttle(api_client, demo):
    rates = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "3/minute"}}
    with override_settings(REST_FRAMEWORK=rates):
        statuses = [api_client.get("/api/v1/topics/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_without_the_page_cache_the_door_answers_nothing(client, demo, stack_calls):
    with override_settings(PAGE_CACHE=False):
        client.get(CLAIM_PAGE)
        client.get(CLAIM_PAGE)
    assert len(stack_calls) == 2
