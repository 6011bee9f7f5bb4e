import sys

from django.core.management.base import BaseCommand, CommandError

from claims.accounts.users import ROLES, AccountError, create_staff_user


class Command(BaseCommand):
    help = (
        "Create a staff account in a role (editor or reviewer). Prints its generated password, "
        "and with --token its API token, once: neither can be shown again."
    )
    # As createsuperuser: tests pass `stdin=` to call_command.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLES), help="the account's group")
        parser.add_argument("--email", default="", help="for password reset mails")
        parser.add_argument("--token", action="store_true", help="also create an API token")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input instead of generating one",
        )

    def handle(self, *args, username, role, email, token, password_stdin, **options):
        password = None
        if password_stdin:
            password = options.get("stdin", sys.stdin).readline().rstrip("\r\n")
            if not password:
                raise CommandError("--password-stdin: no password on standard input.")
        try:
            user, password, token_key = create_staff_user(
                username, role, email=email, password=password, with_token=token
            )
        except AccountError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Created {role} {user.username!r} (staff, group {ROLES[role]}).")
        )
        if not password_stdin:
            self.stdout.write(f"Password: {password}")
        if token_key:
            self.stdout.write(f"API token: {token_key}")
        self.stdout.write("Shown once: pass them on now; nothing here can show them again.")
