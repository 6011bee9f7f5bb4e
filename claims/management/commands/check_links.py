from django.core.management.base import BaseCommand

from claims.capture import health


class Command(BaseCommand):
    help = (
        "Check the sources' links: queue a check of each source not checked for "
        "LINK_CHECK_EVERY_HOURS (run it from cron), or --now to check them here, or "
        "--schedule to keep the check on the worker's own schedule."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="At most this many sources.")
        parser.add_argument("--now", action="store_true", help="Check here and now, not on the worker.")
        parser.add_argument(
            "--schedule",
            type=int,
            metavar="MINUTES",
            help="Queue the check on the worker every MINUTES (once: a second call changes nothing).",
        )

    def handle(self, *args, limit, now, schedule, **options):
        if schedule:
            result = health.schedule_link_checks(schedule)
            self.stdout.write("Link checks scheduled." if result else "Link checks were scheduled already.")
            return
        if now:
            states = [
                health.check_link(pk) for pk in health.due_sources().values_list("pk", flat=True)[:limit]
            ]
            self.stdout.write(f"Checked {len(states)} sources.")
            return
        self.stdout.write(f"Queued {health.enqueue_due_checks(limit=limit)} link checks.")
