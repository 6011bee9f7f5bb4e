import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

PASSWORD_FILE = Path(settings.BASE_DIR) / ".local-editor-password"


class Command(BaseCommand):
    help = (
        "Create (the first time) and print a local editor login for development. Refuses when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("A local editor login is for development only (DEBUG is off).")
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None or not PASSWORD_FILE.exists():
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User(username=username, is_staff=True, is_superuser=True)
            user.set_password(password)
            user.save()
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
        password = PASSWORD_FILE.read_text().strip()
        user.groups.add(*Group.objects.filter(name__in=["Editor", "Reviewer"]))
        self.stdout.write(
            self.style.SUCCESS(f"Local editor login: {username} / {password}  (http://127.0.0.1:8000/admin/)")
        )
