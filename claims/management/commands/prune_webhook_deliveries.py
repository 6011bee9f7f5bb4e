from django.core.management.base import BaseCommand

from claims.models import WEBHOOK_LOG_RETENTION, WebhookDelivery


class Command(BaseCommand):
    help = (
        "Delete webhook deliveries delivered more than 30 days ago from the delivery log: run it from "
        "cron, daily. Pending and failed deliveries are kept."
    )

    def handle(self, *args, **options):
        deleted, _ = WebhookDelivery.objects.expired().delete()
        self.stdout.write(
            f"Deleted {deleted} webhook deliveries older than {WEBHOOK_LOG_RETENTION.days} days."
        )
