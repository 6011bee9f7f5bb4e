from django.core.management.base import BaseCommand

from claims.models import IDEMPOTENCY_RETENTION, IdempotencyKey


class Command(BaseCommand):
    help = (
        "Delete the API's idempotency keys older than the retention (24 hours): run it from cron, "
        "daily or hourly. A retry after that is a new request."
    )

    def handle(self, *args, **options):
        deleted, _ = IdempotencyKey.objects.expired().delete()
        hours = int(IDEMPOTENCY_RETENTION.total_seconds() // 3600)
        self.stdout.write(f"Deleted {deleted} idempotency keys older than {hours} hours.")
