import pytest

from claims.demo import TOWN_HALL, load_demo

from .factories import UserFactory


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
