"""`manage.py import_claimreview FILE`: the same importer as
POST /api/v1/import/claimreview/ (claims/claimreview/).

Prints the totals, then a line for each record that touched a claim already
stored (`-v 2`: every record). A refused record stops the import: every error
of every refused record is listed and nothing is stored."""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from claims.claimreview import ImportFailed, import_claim_reviews


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
                f"  record {record['index']}, {error['field'] or '(record)'}: {error['message']}"
                for record in failed.records
                for error in record["errors"]
            ]
            raise CommandError("Nothing was imported:\n" + "\n".join(lines)) from failed
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        outcomes = ", ".join(
            f"{count} {name}" for name, count in report["outcomes"].items() if name != "refused"
        )
        created = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in report["created"].items())
        self.stdout.write(f"Imported {len(report['records'])} reviews ({outcomes}); created {created}.")
        for record in report["records"]:
            if record["outcome"] == "matched" or options["verbosity"] >= 2:
                self.stdout.write(
                    f"  record {record['index']}: {record['outcome']} {record['claim']}{note(record)}"
                )


def note(record):
    if record["outcome"] == "duplicate":
        return " (nothing changed)"
    if record["rating_added"]:
        return " (their rating added as rated elsewhere)"
    if record["outcome"] == "matched" and record["changed"]:
        return " (the author's statement or its sources added)"
    return " (one of our own pages: no rating stored)"
