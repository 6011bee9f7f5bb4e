"""Two-factor sign-in (django-otp): who must give a second factor, and the
two kinds of device a person has: an authenticator app (TOTP, enrolled from
a QR code) and one-time backup codes.

The rule: a signed-in staff member whose session has not given a code yet
must give one if they have a device (anyone may enrol, Editors too), and must
enrol first if two-factor sign-in is required of them: Reviewers and
superusers, who may publish, when settings.REQUIRE_2FA is on.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10

# What a signed-in user still owes (second_factor_step).
VERIFY = "verify"  # give a code from a device they have
ENROL = "enrol"  # set up an authenticator, then they are verified


def two_factor_required(user):
    """Must this user sign in with a second factor? Whoever may publish
    (Reviewers, superusers), when REQUIRE_2FA is on."""
    if not settings.REQUIRE_2FA or not (user.is_authenticated and user.is_active):
        return False
    return user.has_perm("claims.publish_claim") or user.has_perm("claims.publish_assessment")


def is_verified(user):
    """Has this session given a code? (django-otp's OTPMiddleware says so on
    request.user; a user object from elsewhere has not.)"""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def has_second_factor(user):
    return user_has_device(user, confirmed=True)


def has_authenticator(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def second_factor_step(user):
    """VERIFY, ENROL, or None when the user owes nothing (anonymous users
    included: the login asks them for a password first)."""
    if not user.is_authenticated or is_verified(user):
        return None
    if has_second_factor(user):
        return VERIFY
    if two_factor_required(user):
        return ENROL
    return None


def mark_verified(request, device):
    """This session has given a code from `device` (a new session key: the
    session now carries more trust)."""
    request.session.cycle_key()
    otp_login(request, device)


def pending_authenticator(user):
    """The authenticator being set up: unconfirmed until a code from it is
    given. Made on first call, the same one until confirmed."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def confirm_authenticator(device, token):
    """Confirm `device` with a code from it; it replaces any authenticator
    the user had. False (nothing changed) when the code does not match."""
    with transaction.atomic():
        if not device.verify_token((token or "").strip().replace(" ", "")):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    return True


def authenticator_qr(device):
    """The device's otpauth:// URL as a QR code, an SVG data: URI for an
    <img> (the CSP allows data: images and no inline markup of ours)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def authenticator_secret(device):
    """The key in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def new_backup_codes(user, count=BACKUP_CODE_COUNT):
    """A fresh set of one-time backup codes (the old ones stop working);
    returned once, to be shown once."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=BACKUP_CODES_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(count)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
