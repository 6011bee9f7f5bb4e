import os
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from claims.caching import page_memory
from claims.demo import TOWN_HALL, load_demo

from .browser_support import browser, site  # noqa: F401  (fixtures for the browser tests)
from .capture_support import capture_settings, threaded_server  # noqa: F401
from .factories import UserFactory


def pytest_configure(config):
    """Under pytest-xdist each worker process gets a Redis database of its own
    (the next numbers after REDIS_URL's): a test's cache.clear() empties the
    whole database, and must not empty another worker's cache mid-test."""
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    cache = settings.CACHES["default"]
    if worker.startswith("gw") and cache["BACKEND"].endswith("RedisCache"):
        url = urlsplit(cache["LOCATION"])
        database = int(url.path.strip("/") or 0) + int(worker.removeprefix("gw"))
        cache["LOCATION"] = url._replace(path=f"/{database}").geturl()


@pytest.fixture(autouse=True)
def forget_served_pages():
    """Each test starts with an empty in-process page memory, as a new server
    process would (the shared cache keeps its own keys, versioned as ever)."""
    page_memory.clear()


@pytest.fixture(autouse=True)
def page_versions_move_at_once(request, monkeypatch):
    """A test in a transaction that is rolled back, never committed, would
    never move a page's version counter (it moves on commit): there it moves
    at once, as the commit would. Tests that commit (transaction=True, the
    live server) keep the real on_commit."""
    from claims.caching import counters

    marker = request.node.get_closest_marker("django_db")
    committing = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if not committing:
        monkeypatch.setattr(counters, "after_commit", lambda func: func())


@pytest.fixture
def demo(db):
    """The seed article's claims; returns {slug: claim}."""
    return load_demo()


@pytest.fixture
def town_hall(demo):
    return demo[TOWN_HALL]


@pytest.fixture
def editor(db):
    return UserFactory(username="ed", role="Editor")


@pytest.fixture
def reviewer(db):
    return UserFactory(username="rev", role="Reviewer")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def api_client(db):
    """A REST framework test client, anonymous; the throttles (counted in the
    cache) start from zero."""
    from django.core.cache import cache
    from rest_framework.test import APIClient

    cache.clear()
    return APIClient()


@pytest.fixture
def api_client_for(api_client):
    """`api_client_for(user)`: a client that sends the user's API token;
    `api_client_for("Editor")` makes a user of that group first ("" for none)."""
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    def make(user):
        if isinstance(user, str):
            role, user = user, get_user_model().objects.create(username=f"api-{user or 'reader'}".lower())
            if role:
                user.groups.add(Group.objects.get(name=role))
        token, _ = Token.objects.get_or_create(user=user)
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api_client

    return make
