"""Repeated wrong passwords on the admin's login lock the username from that
address (10 within 15 minutes), and an address as a whole at a higher
threshold (50, any usernames), so one guesser behind a newsroom's NAT does
not lock everyone out. While locked, the right password is refused with a
plain page; the `axes_reset_*` commands and the admin unlock."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .factories import UserFactory

PASSWORD = "correct horse battery staple"
LOGIN = reverse("admin:login")
HOME = "192.0.2.10"  # the newsroom's one public address (NAT)
ELSEWHERE = "198.51.100.7"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """Dozens of logins: a fast hasher (set before the users are made) keeps
    the test quick; the lockout does not depend on it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def desk(db):
    return UserFactory(username="desk", role="Editor")


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", role="Reviewer")


def log_in(username, password, address=HOME, client=None):
    client = client or Client()
    response = client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )
    return response


def fail(username, times, address=HOME):
    return [log_in(username, "wrong password", address).status_code for _ in range(times)]


def assert_locked(response):
    assert response.status_code == 429
    assert "Too many failed logins" in response.text
    assert "_auth_user_id" not in response.client.session


def test_the_limits_are_ten_per_username_and_fifty_per_address_in_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 50
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_ten_failures_lock_the_username_and_the_right_password_is_refused(desk):
    # Nine wrong passwords get the form again; the tenth locks.
    assert fail("desk", 10) == [200] * 9 + [429]
    response = log_in("desk", PASSWORD)
    assert_locked(response)
    assert "Try again in 15 minutes" in response.text
    assert AccessAttempt.objects.get(username="desk", ip_address=HOME).failures_since_start >= 10


def test_a_right_password_forgets_the_earlier_failures(desk):
    fail("desk", 9)
    assert log_in("desk", PASSWORD).status_code == 302
    assert fail("desk", 9) == [200] * 9
    assert log_in("desk", PASSWORD).status_code == 302


def test_a_locked_out_user_sees_a_plain_page_in_the_admins_look(desk):
    fail("desk", 10)
    response = log_in("desk", PASSWORD)
    assert_locked(response)
    assert "Counterclaim editors" in response.text
    assert reverse("admin_password_reset") in response.text
    assert "<script>" not in response.text and "style=" not in response.text


def test_the_unlock_command_lets_the_right_password_in(desk):
    fail("desk", 10)
    assert_locked(log_in("desk", PASSWORD))
    call_command("axes_reset_username", "desk")
    assert log_in("desk", PASSWORD).status_code == 302


def test_unlocking_by_address_and_username_lets_the_right_password_in(desk):
    fail("desk", 10)
    call_command("axes_reset_ip_username", HOME, "desk")
    assert log_in("desk", PASSWORD).status_code == 302


def test_a_superuser_unlocks_by_deleting_the_attempts_in_the_admin(desk, admin_client):
    fail("desk", 10)
    assert_locked(log_in("desk", PASSWORD))

    changelist = reverse("admin:axes_accessattempt_changelist")
    page = admin_client.get(changelist)
    assert page.status_code == 200
    assert "desk" in page.text and "Locked Out" in page.text
    attempt = AccessAttempt.objects.get(username="desk")
    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="desk").exists()
    assert log_in("desk", PASSWORD).status_code == 302


def test_a_reviewer_cannot_see_or_delete_the_attempts(desk, reviewer_client):
    fail("desk", 10)
    assert reviewer_client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_another_username_from_the_same_address_is_not_locked(desk, colleague):
    fail("desk", 10)
    assert log_in("colleague", PASSWORD).status_code == 302
    # And the locked username from another address is not locked either.
    assert log_in("desk", PASSWORD, address=ELSEWHERE).status_code == 302


def test_an_address_is_locked_across_usernames_at_fifty(desk, colleague):
    # One guesser behind the newsroom's address tries names, 7 each:
    # no username reaches 10, the address reaches 49.
    for number in range(7):
        assert fail(f"guess{number}", 7) == [200] * 7
    assert log_in("colleague", PASSWORD).status_code == 302

    fail("guess7", 1)  # the 50th failure from the address
    assert_locked(log_in("colleague", PASSWORD))
    assert_locked(log_in("desk", PASSWORD))
    # Elsewhere, the same people sign in.
    assert log_in("colleague", PASSWORD, address=ELSEWHERE).status_code == 302
    # The operator unlocks the address.
    call_command("axes_reset_ip", HOME)
    assert log_in("desk", PASSWORD).status_code == 302


def test_failures_older_than_the_window_do_not_count(desk):
    fail("desk", 9)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert fail("desk", 1) == [200]
    assert log_in("desk", PASSWORD).status_code == 302


def test_failures_within_the_window_count(desk):
    fail("desk", 9)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert fail("desk", 1) == [429]
    assert_locked(log_in("desk", PASSWORD))


def test_the_lockout_lifts_once_the_window_has_passed(desk):
    fail("desk", 10)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in("desk", PASSWORD).status_code == 302


def test_the_address_comes_from_the_trusted_proxy(settings, desk, colleague):
    """Behind one proxy, X-Forwarded-For names the client (claims/client_address.py):
    two clients behind the proxy are two addresses, not the proxy's one."""
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(HTTP_X_FORWARDED_FOR="203.0.113.5")
    for _ in range(10):
        client.post(LOGIN, {"username": "desk", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    assert AccessAttempt.objects.get(username="desk").ip_address == "203.0.113.5"
    other = Client(HTTP_X_FORWARDED_FOR="203.0.113.6")
    response = other.post(LOGIN, {"username": "desk", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302
