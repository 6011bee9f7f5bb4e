"""`manage.py import_claimreview FILE`: the same importer as
POST /api/v1/import/claimreview/ (claims/api/claimreview_import.py)."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from claims.api.claimreview_import import ImportFailed, import_claim_reviews


class Command(BaseCommand):
    help = "Import schema.org ClaimReview JSON-LD (an object, a list or an @graph); all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON file, or - for standard input.")
        parser.add_argument(
            "--user",
            help="Import as this user (a Reviewer): publishing goes through the roles and the history "
            "names them. Without it, claims are stored published with no user in the history.",
        )

    def handle(self, *args, file, user=None, **options):
        try:
            if file == "-":
                import sys

                payload = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as handle:
                    payload = json.load(handle)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        as_user = None
        if user:
            as_user = get_user_model().objects.filter(username=user).first()
            if as_user is None:
                raise CommandError(f"No user {user!r}.")
        try:
            report = import_claim_reviews(payload, user=as_user)
        except ImportFailed as failed:
            lines = [
                f"  record {e['index']}, {e['field'] or '(record)'}: {e['message']}" for e in failed.records
            ]
            raise CommandError("Nothing was imported:\n" + "\n".join(lines)) from failed
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        created = ", ".join(f"{count} {name}" for name, count in report["created"].items())
        self.stdout.write(f"Imported {len(report['claims'])} reviews; created {created}.")
