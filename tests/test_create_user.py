"""An operator makes an Editor or Reviewer account (and its API token) from
the command line; the password and token are printed once and work."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from claims.models import Topic


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def create_user(*args, **options):
    out = io.StringIO()
    call_command("create_user", *args, stdout=out, **options)
    return out.getvalue()


def printed(name, output):
    return re.search(rf"^{name}: (\S+)$", output, re.MULTILINE)[1]


def test_an_operator_makes_a_reviewer_who_logs_in_with_the_printed_password(db):
    output = create_user("alice", "--role", "reviewer", "--email", "alice@newsroom.example")
    user = get_user_model().objects.get(username="alice")
    assert user.is_staff and user.is_active and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Reviewer"]
    assert user.email == "alice@newsroom.example"
    assert "API token" not in output

    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": "alice", "password": printed("Password", output)}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:claims_assessment_add")).status_code == 200


def test_an_editor_with_a_token_writes_through_the_api(db):
    output = create_user("bob", "--role", "editor", "--token")
    user = get_user_model().objects.get(username="bob")
    assert list(user.groups.values_list("name", flat=True)) == ["Editor"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {printed('API token', output)}")
    assert api.post("/api/v1/topics/", {"name": "From a tool"}, format="json").status_code == 201
    assert Topic.objects.filter(name="From a tool").exists()
    # An Editor's token cannot do a Reviewer's work.
    assert api.delete("/api/v1/topics/from-a-tool/").status_code == 403


def test_the_password_can_come_from_standard_input(db):
    stdin = io.StringIO("a passphrase from a vault\n")
    output = create_user("carol", "--role", "editor", "--password-stdin", stdin=stdin)
    assert "Password:" not in output
    assert get_user_model().objects.get(username="carol").check_password("a passphrase from a vault")


def test_a_weak_password_from_standard_input_is_refused(db):
    with pytest.raises(CommandError, match="too common"):
        create_user("carol", "--role", "editor", "--password-stdin", stdin=io.StringIO("password\n"))
    assert not get_user_model().objects.filter(username="carol").exists()


def test_an_existing_user_is_a_clear_error_and_stays_as_it_was(db):
    create_user("alice", "--role", "editor")
    before = get_user_model().objects.get(username="alice")
    for name in ["alice", "Alice"]:
        with pytest.raises(CommandError, match="already exists"):
            create_user(name, "--role", "reviewer", "--token")
    after = get_user_model().objects.get(username="alice")
    assert after.password == before.password
    assert list(after.groups.values_list("name", flat=True)) == ["Editor"]
    assert not hasattr(after, "auth_token")
    assert get_user_model().objects.count() == 1


def test_a_bad_role_is_a_clear_error(db):
    with pytest.raises(CommandError, match="invalid choice: 'admin'.*editor.*reviewer"):
        create_user("dave", "--role", "admin")
    assert not get_user_model().objects.filter(username="dave").exists()


def test_a_bad_username_or_email_is_a_clear_error(db):
    with pytest.raises(CommandError, match="username"):
        create_user("no spaces allowed", "--role", "editor")
    with pytest.raises(CommandError, match="email"):
        create_user("erin", "--role", "editor", "--email", "not-an-address")
    assert get_user_model().objects.count() == 0


def test_each_account_gets_its_own_password(db):
    first = printed("Password", create_user("one", "--role", "editor"))
    second = printed("Password", create_user("two", "--role", "editor"))
    assert first != second and len(first) >= 20
