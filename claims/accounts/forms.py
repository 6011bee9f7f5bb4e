"""The sign-in forms: a code at login, the code that confirms an
authenticator, and the staff-only password reset."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django_otp.forms import OTPTokenForm

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
