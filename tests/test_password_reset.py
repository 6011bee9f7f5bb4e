"""A staff member who forgot their password asks for a link by email from the
admin's login page, follows it and sets a new one. Nobody else gets a mail,
and the page answers the same either way (no telling which addresses exist).
Setting the new password lifts a lockout of the username."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from .factories import UserFactory

RESET = reverse("admin_password_reset")
LOGIN = reverse("admin:login")
NEW_PASSWORD = "a new and long enough passphrase"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def desk(db):
    return UserFactory(username="desk", email="desk@newsroom.example", role="Editor")


def ask_for_a_link(client, email):
    return client.post(RESET, {"email": email}, follow=True)


def without_nonces(html):
    return re.sub(r' nonce="[^"]*"', "", html)


def link_in(message):
    return re.search(r"https?://[^/\s]+(/admin/reset/\S+/)", message.body)[1]


def test_the_login_page_offers_a_reset(client, db):
    assert RESET in client.get(LOGIN).text


def test_a_staff_member_resets_their_password_by_email(client, desk):
    response = ask_for_a_link(client, "desk@newsroom.example")
    assert response.redirect_chain[-1][0] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["desk@newsroom.example"]
    assert "desk" in message.body

    form = client.get(link_in(message), follow=True)
    assert form.status_code == 200
    assert "Counterclaim editors" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")

    fresh = Client()
    response = fresh.post(LOGIN, {"username": "desk", "password": NEW_PASSWORD, "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert fresh.get("/admin/").status_code == 200


def test_a_link_works_once(client, desk):
    ask_for_a_link(client, "desk@newsroom.example")
    link = link_in(mail.outbox[0])
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client().get(link, follow=True)
    assert "The password reset link was invalid" in again.text


def test_a_weak_new_password_is_a_form_error(client, desk):
    ask_for_a_link(client, "desk@newsroom.example")
    form = client.get(link_in(mail.outbox[0]), follow=True)
    response = client.post(form.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert "too short" in response.text


@pytest.mark.parametrize(
    "email", ["nobody@newsroom.example", "reader@newsroom.example", "gone@newsroom.example"]
)
def test_no_mail_for_anyone_else_and_the_same_page(client, desk, email):
    UserFactory(username="reader", email="reader@newsroom.example")  # not staff
    gone = UserFactory(username="gone", email="gone@newsroom.example", role="Editor")
    gone.is_active = False
    gone.save()
    for_staff = ask_for_a_link(Client(), "desk@newsroom.example")
    mail.outbox.clear()

    response = ask_for_a_link(client, email)
    assert mail.outbox == []
    assert response.status_code == 200
    assert response.redirect_chain == for_staff.redirect_chain
    assert without_nonces(response.text) == without_nonces(for_staff.text)


def test_setting_a_new_password_lifts_the_lockout(client, desk):
    for _ in range(10):
        Client().post(LOGIN, {"username": "desk", "password": "wrong"})
    assert (
        Client().post(LOGIN, {"username": "desk", "password": "correct horse battery staple"}).status_code
        == 429
    )

    ask_for_a_link(client, "desk@newsroom.example")
    form = client.get(link_in(mail.outbox[0]), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not AccessAttempt.objects.filter(username="desk").exists()
    assert Client().post(LOGIN, {"username": "desk", "password": NEW_PASSWORD}).status_code == 302


def test_staff_sessions_last_twelve_hours(client, desk):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    client.post(LOGIN, {"username": "desk", "password": "correct horse battery staple"})
    assert (
        timedelta(hours=11, minutes=59)
        < timedelta(seconds=client.session.get_expiry_age())
        <= timedelta(hours=12)
    )
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 12 * 3600


def test_too_many_requests_are_a_form_error_and_send_nothing(client, desk, settings):
    settings.PASSWORD_RESET_RATE = "2/hour"
    for _ in range(2):
        assert ask_for_a_link(Client(REMOTE_ADDR="203.0.113.9"), "desk@newsroom.example").redirect_chain
    mail.outbox.clear()

    response = client.post(RESET, {"email": "desk@newsroom.example"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    assert "Too many reset requests. Try again in" in response.text
    assert mail.outbox == []


def test_one_mailbox_is_not_flooded_from_many_addresses(client, desk, settings):
    settings.PASSWORD_RESET_RATE = "2/hour"
    for number in range(2):
        ask_for_a_link(Client(REMOTE_ADDR=f"203.0.113.{number + 1}"), "Desk@Newsroom.example")
    mail.outbox.clear()

    response = Client(REMOTE_ADDR="198.51.100.7").post(RESET, {"email": "desk@newsroom.example"})
    assert "Too many reset requests" in response.text
    assert mail.outbox == []
    # Another mailbox from that address is still served.
    other = UserFactory(username="night", email="night@newsroom.example", role="Editor")
    ask_for_a_link(Client(REMOTE_ADDR="198.51.100.7"), other.email)
    assert len(mail.outbox) == 1
