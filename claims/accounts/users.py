"""Making a staff account with its role, for operators (`manage.py create_user`)."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from claims.roles import ROLE_PERMISSIONS

# The role as an operator types it, and its group (claims/roles.py).
ROLES = {name.lower(): name for name in ROLE_PERMISSIONS}


class AccountError(Exception):
    """The account cannot be made as asked; the message says why."""


def generate_password():
    return secrets.token_urlsafe(18)


def create_staff_user(username, role, *, email="", password=None, with_token=False):
    """A new active staff member in the role's group. Returns (user, password,
    token key or None); the password is generated unless given (and then
    checked against the password validators). An existing username is an
    error: this never changes an account that is already there."""
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}: choose one of {', '.join(sorted(ROLES))}.")
    User = get_user_model()
    # "Alice" beside "alice" would be two accounts for one person.
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(
            f"A user named {username!r} already exists; change their role or token in the admin."
        )
    user = User(username=username, email=email, is_staff=True, is_active=True)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise AccountError(_messages(error)) from None
    if password is None:
        password = generate_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise AccountError(_messages(error)) from None
    user.set_password(password)
    with transaction.atomic():
        user.save()
        user.groups.add(Group.objects.get(name=ROLES[role]))
        token = Token.objects.create(user=user).key if with_token else None
    return user, password, token


def _messages(error):
    if hasattr(error, "message_dict"):
        return " ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)
