"""Import ClaimReview: read and check every record (parse.py), then store
them all or none (store.py). The one importer behind
`POST /api/v1/import/claimreview/` and `manage.py import_claimreview FILE`."""

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction

from claims import services
from claims.changes.recording import hold_stream

from .parse import ImportFailed, read_reviews, refused
from .store import OUTCOMES, ReviewStore


class _NothingStored(Exception):
    """Raised inside the transaction to roll back what the good records stored."""

    def __init__(self, report):
        super().__init__("rolled back")
        self.report = report


def check_importer(user):
    if user is None:
        return
    if not user.is_authenticated:
        raise PermissionDenied("Log in as a Reviewer to import reviews.")
    if not (services.can_publish_claims(user) and user.has_perm("claims.publish_assessment")):
        raise PermissionDenied("Only reviewers can import reviews: an import publishes claims.")


def import_claim_reviews(payload, user=None):
    """Store the reviews of `payload` (parsed JSON). All or nothing.

    Returns the report: `records` (per record, in payload order: index,
    outcome, claim slug, rating_added, changed, errors), `outcomes` (how many
    of each), `created` (new rows by kind) and `claims` (each stored record's
    claim slug). Raises ImportFailed, with the same per-record list, when any
    record is refused; nothing is stored then.

    With a `user` (the API, or the command's --user) that user must be a
    Reviewer and the history names them; without one (the command line) the
    history names nobody."""
    check_importer(user)
    reviews, bad = read_reviews(payload)
    try:
        with transaction.atomic():
            hold_stream()  # the change stream's head first, then the rows: no deadlock with another writer
            report = ReviewStore(user).run(reviews)
            if bad:
                # What the good records would do, then none of it kept.
                raise _NothingStored(report)
    except _NothingStored as rolled_back:
        records = sorted(rolled_back.report["records"] + bad, key=lambda record: record["index"])
        raise ImportFailed(records) from None
    except DatabaseError as error:
        # A concurrent edit (two imports making the same slug at once, say).
        message = str(error).strip().splitlines()[0] if str(error).strip() else "database error"
        raise ImportFailed(
            [refused(None, [{"field": "", "message": f"Nothing was stored: {message}"}])]
        ) from error
    report["outcomes"] = dict.fromkeys(OUTCOMES, 0)
    for record in report["records"]:
        report["outcomes"][record["outcome"]] += 1
    return report
