from django.core.management.base import BaseCommand

from claims.demo import load_demo


class Command(BaseCommand):
    help = "Load the worked example (Bakhmut, 3 April 2023) and the seed article's other claims. Idempotent."

    def handle(self, *args, **options):
        claims = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(claims)} claims."))
