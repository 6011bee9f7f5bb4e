"""Logging in without `next` lands on the admin's index (LOGIN_REDIRECT_URL),
not on /accounts/profile/ (which does not exist); a `next` on this site is
followed, one on another site is refused."""

import pytest
from django.conf import settings
from django.urls import reverse

from .factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(db):
    return UserFactory(username="desk", role="Editor")


def log_in(client, next_url=None):
    url = reverse("admin:login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": "desk", "password": PASSWORD})


def test_the_login_redirect_is_the_admin_index():
    assert settings.LOGIN_REDIRECT_URL == "admin:index"


def test_logging_in_without_next_lands_on_the_admin_index(client, staff):
    response = log_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


def test_the_admin_login_form_sends_the_index_as_next(client, db):
    assert 'name="next" value="/admin/"' in client.get(reverse("admin:login")).text


def test_a_next_on_this_site_is_followed(client, staff):
    assert log_in(client, "/admin/claims/claim/")["Location"] == "/admin/claims/claim/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_a_next_on_another_site_is_refused(client, staff, next_url):
    assert log_in(client, next_url)["Location"] == "/admin/"
