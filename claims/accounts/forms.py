"""The sign-in forms: a code at login, the code that confirms an
authenticator, and the staff-only password reset."""

import math

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django_otp.forms import OTPTokenForm

from claims import rate_limit
from claims.client_address import rate_limit_key

from . import lockout, two_factor

CODE_WIDGET = forms.TextInput(
    attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false", "size": 12}
)


class SecondFactorForm(OTPTokenForm):
    """django-otp's form for a user who gave their password: pick a device
    (the app, or the backup codes), give its code. django-otp throttles
    guessing: each wrong code doubles the wait before the next try."""

    otp_error_messages = dict(
        OTPTokenForm.otp_error_messages,
        token_required="Enter the code from your authenticator app, or one of your backup codes.",
        invalid_token="That code is not right (or was already used). Try the next code.",
    )

    def __init__(self, user, request=None, *args, **kwargs):
        super().__init__(user, request, *args, **kwargs)
        self.fields["otp_device"].label = "Device"
        self.fields["otp_token"].label = "Code"
        self.fields["otp_token"].widget = CODE_WIDGET
        devices = [device for device in self.fields["otp_device"].choices if device[0]]
        if devices:
            # The app by default (django-otp lists it before the backup codes).
            self.initial.setdefault("otp_device", devices[0][0])


class AuthenticatorForm(forms.Form):
    """The first code from a new authenticator: proves it is set up right."""

    otp_token = forms.CharField(label="Code from the app", max_length=16, widget=CODE_WIDGET)

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"]
        if not two_factor.confirm_authenticator(self.device, token):
            raise forms.ValidationError(
                "That code does not match. Check the app shows this site's entry and enter its current code.",
                code="invalid_token",
            )
        return token


class StaffPasswordResetForm(PasswordResetForm):
    """Django's reset form (active users with a usable password), for staff
    only. The page answers the same whether or not a mail went out."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self):
        """PASSWORD_RESET_RATE requests per client address, and as many per
        mail address, whether or not it is a staff member's (so the refusal
        tells nothing): no one floods a mailbox or the mailer."""
        email = self.cleaned_data["email"]
        rate = rate_limit.parse_rate(settings.PASSWORD_RESET_RATE, "PASSWORD_RESET_RATE")
        if rate is None or self.request is None:
            return email
        waits = [
            rate_limit.hit("password-reset-ip", rate_limit_key(self.request), rate),
            rate_limit.hit("password-reset-email", email.strip().lower(), rate),
        ]
        wait = max((seconds for seconds in waits if seconds), default=None)
        if wait:
            minutes = math.ceil(wait / 60)
            raise forms.ValidationError(
                f"Too many reset requests. Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
                code="rate_limited",
            )
        return email

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)


class StaffSetPasswordForm(SetPasswordForm):
    """Setting a new password from a reset link also lifts a lockout of the
    username: the link proves the person reads the staff member's mail. An
    address locked as a whole (many usernames guessed) stays locked."""

    def save(self, commit=True):
        user = super().save(commit)
        if commit:
            lockout.unlock_username(user.get_username())
        return user
