"""Two-factor sign-in (django-otp): with REQUIRE_2FA on, Reviewers and
superusers enrol an authenticator app before the admin opens to them, then
give a code after their password at every login (or a one-time backup
code); Editors may enrol, and once enrolled give a code too. Session API
writes need the same; API tokens do not. With REQUIRE_2FA off (development,
and these tests unless one turns it on) nobody is forced."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from claims.accounts import two_factor
from claims.models import Topic

from .factories import UserFactory
from .settings_support import setting_in_fresh_process

PASSWORD = "correct horse battery staple"
LOGIN = reverse("admin:login")
ENROL = reverse("admin:two_factor_enrol")
VERIFY = reverse("admin:two_factor_verify")
BACKUP_CODES = reverse("admin:two_factor_backup_codes")


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True


@pytest.fixture
def no_throttle(settings):
    """django-otp makes the next try wait after a wrong code (1 s, 2 s, ...):
    off where a test gives a wrong code and then the right one at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code(device, steps_ahead=0):
    """The code the device's app shows now (or `steps_ahead` 30-second steps on:
    a code is accepted once, so a second login in the same step uses the next)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def wrong_code(device):
    valid = {code(device, steps) for steps in (-1, 0, 1, 2)}
    return next(candidate for candidate in ("000000", "111111", "222222", "333333") if candidate not in valid)


def log_in(client, username, next_url="/admin/"):
    return client.post(LOGIN, {"username": username, "password": PASSWORD, "next": next_url})


def enrolled(user):
    return TOTPDevice.objects.create(user=user, name=two_factor.AUTHENTICATOR_NAME, confirmed=True)


def give_code(client, device, token, next_url="/admin/"):
    return client.post(VERIFY, {"otp_device": device.persistent_id, "otp_token": token, "next": next_url})


def test_require_2fa_is_on_by_default_when_debug_is_off():
    def require_2fa_with(**env):
        return setting_in_fresh_process("settings.REQUIRE_2FA", unset={"REQUIRE_2FA"}, **env)

    assert require_2fa_with(DEBUG="0") == "True"
    assert require_2fa_with(DEBUG="1") == "False"
    assert require_2fa_with(DEBUG="0", REQUIRE_2FA="0") == "False"


def test_a_reviewer_with_only_a_password_is_sent_to_enrol(require_2fa, client, reviewer):
    response = log_in(client, "rev")
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Fadmin%2F"
    # Nothing in the admin opens until then: each page leads back to enrolling.
    for url in ["/admin/", reverse("admin:claims_claim_changelist"), reverse("admin:password_change")]:
        final = client.get(url, follow=True)
        assert final.redirect_chain[-1][0].startswith(ENROL), url
    page = client.get(ENROL)
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.text
    assert "publish" in page.text  # why it is required
    device = TOTPDevice.objects.get(user=reviewer)
    assert not device.confirmed
    assert two_factor.authenticator_secret(device) in page.text


def test_enrolling_with_a_wrong_code_is_a_form_error(require_2fa, client, reviewer):
    log_in(client, "rev")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=reviewer)
    response = client.post(ENROL, {"otp_token": wrong_code(device), "next": "/admin/"})
    assert response.status_code == 200
    assert "That code does not match" in response.text
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/admin/").status_code == 302


def test_enrolling_with_the_apps_code_opens_the_admin(require_2fa, client, reviewer):
    log_in(client, "rev")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=reviewer)
    response = client.post(ENROL, {"otp_token": code(device), "next": "/admin/claims/claim/"})
    assert response.status_code == 302
    assert response["Location"] == f"{BACKUP_CODES}?next=%2Fadmin%2Fclaims%2Fclaim%2F"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/claims/claim/").status_code == 200


def test_the_next_login_needs_a_code_and_a_wrong_one_is_refused(require_2fa, no_throttle, reviewer):
    device = enrolled(reviewer)
    client = Client()
    response = log_in(client, "rev", next_url="/admin/claims/claim/")
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Fclaims%2Fclaim%2F"
    assert client.get("/admin/").status_code == 302

    refused = give_code(client, device, wrong_code(device))
    assert refused.status_code == 200
    assert "That code is not right" in refused.text
    assert client.get("/admin/").status_code == 302

    accepted = give_code(client, device, code(device), next_url="/admin/claims/claim/")
    assert accepted.status_code == 302
    assert accepted["Location"] == "/admin/claims/claim/"
    assert client.get("/admin/").status_code == 200
    # A code is good once: the next login in the same 30 seconds needs the next one.
    again = Client()
    log_in(again, "rev")
    assert give_code(again, device, code(device)).status_code == 200


def test_guessing_codes_is_slowed_down(require_2fa, client, reviewer):
    device = enrolled(reviewer)
    log_in(client, "rev")
    give_code(client, device, wrong_code(device))
    # Straight after a wrong code, even the right one must wait.
    response = give_code(client, device, code(device))
    assert response.status_code == 200
    assert "Verification temporarily disabled" in response.text


def test_backup_codes_are_shown_once_and_each_works_once(require_2fa, client, reviewer):
    device = enrolled(reviewer)
    log_in(client, "rev")
    give_code(client, device, code(device))
    made = client.post(BACKUP_CODES, {"next": "/admin/"})
    assert made.status_code == 200
    codes = made.context["codes"]
    assert len(codes) == 10 and all(c in made.text for c in codes)
    shown_later = client.get(BACKUP_CODES)
    assert "You have 10 unused" in shown_later.text
    assert not any(c in shown_later.text for c in codes)

    backup = StaticDevice.objects.get(user=reviewer)
    first = Client()
    log_in(first, "rev")
    assert give_code(first, backup, codes[0]).status_code == 302
    assert first.get("/admin/").status_code == 200

    second = Client()
    log_in(second, "rev")
    reused = give_code(second, backup, codes[0])
    assert reused.status_code == 200
    assert second.get("/admin/").status_code == 302


def test_making_new_backup_codes_retires_the_old(require_2fa, no_throttle, client, reviewer):
    enrolled(reviewer)
    old = two_factor.new_backup_codes(reviewer)
    new = two_factor.new_backup_codes(reviewer)
    backup = StaticDevice.objects.get(user=reviewer)
    log_in(client, "rev")
    assert give_code(client, backup, old[0]).status_code == 200
    assert client.get("/admin/").status_code == 302
    assert give_code(client, backup, new[0]).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_superuser_must_enrol_too(require_2fa, client, db):
    # A superuser in no group: the rule follows who may publish.
    boss = UserFactory(username="boss", is_superuser=True)
    boss.is_staff = True
    boss.save()
    assert log_in(client, "boss")["Location"].startswith(ENROL)


def test_an_editor_is_not_forced_to_enrol(require_2fa, client, editor):
    response = log_in(client, "ed")
    assert response["Location"] == "/admin/"
    index = client.get("/admin/")
    assert index.status_code == 200
    assert ENROL in index.text  # the link to enrol of their own accord


def test_an_editor_who_enrolled_is_asked_for_a_code(require_2fa, client, editor):
    log_in(client, "ed")
    page = client.get(ENROL)
    assert "publish" not in page.text
    device = TOTPDevice.objects.get(user=editor)
    assert client.post(ENROL, {"otp_token": code(device)}).status_code == 302
    client.post(reverse("admin:logout"))

    response = log_in(client, "ed")
    assert response["Location"].startswith(VERIFY)
    assert client.get("/admin/").status_code == 302
    give_code(client, device, code(device, steps_ahead=1))
    assert client.get("/admin/").status_code == 200


def test_an_enrolled_user_gives_a_code_even_with_require_2fa_off(client, editor):
    device = enrolled(editor)
    assert log_in(client, "ed")["Location"].startswith(VERIFY)
    give_code(client, device, code(device))
    assert client.get("/admin/").status_code == 200


def test_someone_at_the_code_step_can_log_out(require_2fa, client, reviewer):
    enrolled(reviewer)
    log_in(client, "rev")
    assert "Log out" in client.get(VERIFY).text
    client.post(reverse("admin:logout"))
    assert "_auth_user_id" not in client.session


def test_a_session_api_write_needs_the_second_factor(require_2fa, client, reviewer):
    device = enrolled(reviewer)
    log_in(client, "rev")
    response = client.post("/api/v1/topics/", {"name": "Unverified"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"
    assert "Two-factor sign-in is required" in response.json()["detail"]
    assert not Topic.objects.filter(name="Unverified").exists()
    # Reading is not writing.
    assert client.get("/api/v1/topics/").status_code == 200

    give_code(client, device, code(device))
    response = client.post("/api/v1/topics/", {"name": "Verified"}, content_type="application/json")
    assert response.status_code == 201


def test_a_session_api_write_by_a_reviewer_who_has_not_enrolled_is_refused(require_2fa, client, reviewer):
    log_in(client, "rev")
    response = client.post("/api/v1/topics/", {"name": "Not enrolled"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"


def test_token_writes_are_unaffected(require_2fa, api_client, reviewer):
    enrolled(reviewer)
    token = Token.objects.create(user=reviewer)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api_client.post("/api/v1/topics/", {"name": "By token"}, format="json").status_code == 201


def test_with_require_2fa_off_a_reviewer_signs_in_with_the_password(client, reviewer):
    assert not django_settings.REQUIRE_2FA
    response = log_in(client, "rev")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.post("/api/v1/topics/", {"name": "Off"}, content_type="application/json").status_code == 201


def test_a_verified_reviewer_may_set_up_a_new_phone(require_2fa, client, reviewer):
    old = enrolled(reviewer)
    log_in(client, "rev")
    give_code(client, old, code(old))
    page = client.get(ENROL)
    assert "Set up a new authenticator" in page.text
    new = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    assert client.post(ENROL, {"otp_token": code(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=reviewer)) == [new]


def test_the_sign_in_pages_need_a_signed_in_staff_member(client, db):
    for url in [VERIFY, ENROL, BACKUP_CODES]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_the_code_step_ignores_a_next_on_another_site(require_2fa, client, reviewer):
    device = enrolled(reviewer)
    log_in(client, "rev")
    response = give_code(client, device, code(device), next_url="https://evil.example/")
    assert response["Location"] == "/admin/"


@pytest.mark.browser
def test_a_reviewer_enrols_in_a_real_browser(browser, site, settings):
    """The enrolment page under our CSP: the QR code is a data: image, no
    inline script or style; scanning is replaced by reading the key."""
    from playwright import sync_api

    from .browser_support import DESKTOP, new_page, shoot_for_docs, watch_problems
    from .browser_support import log_in as browser_log_in

    settings.REQUIRE_2FA = True
    reviewer = UserFactory(username="desk-reviewer", role="Reviewer")
    context, page = new_page(browser, DESKTOP)
    problems = watch_problems(page)
    browser_log_in(page, site, "desk-reviewer", PASSWORD)
    sync_api.expect(
        page.get_by_role("heading", name="Two-factor sign-in: set up an authenticator app")
    ).to_be_visible()
    qr = page.get_by_role("img", name="QR code for setting up an authenticator app")
    sync_api.expect(qr).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", qr.element_handle()) > 0  # the data: URI decoded
    shoot_for_docs(page, "two-factor-enrol", full_page=True)

    device = TOTPDevice.objects.get(user=reviewer)
    page.get_by_label("Code from the app").fill(code(device))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    sync_api.expect(page.locator(".messagelist")).to_contain_text("Two-factor sign-in is on")
    page.get_by_role("button", name="Make backup codes").click()
    sync_api.expect(page.locator(".backup-codes li")).to_have_count(10)
    page.get_by_role("link", name="Continue").click()
    sync_api.expect(page.locator("#site-name")).to_contain_text("Counterclaim editors")
    sync_api.expect(page.get_by_role("link", name="Two-factor sign-in")).to_be_visible()
    assert page.url == site + "/admin/"
    assert problems == []
    context.close()
