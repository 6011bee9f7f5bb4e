from django.core.management.base import BaseCommand, CommandError

from bench.datagen import generate  # tooling: the benchmark's data generator


class Command(BaseCommand):
    help = (
        "Add N synthetic claims (with actors, sources, statements, assessments, topics, places and links) "
        "to the configured database, deterministically for a seed. For benchmarks: no history rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, required=True, help="How many claims to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")

    def handle(self, *args, claims, seed, **options):
        if claims < 1:
            raise CommandError("--claims must be at least 1.")
        counts = generate(claims, seed=seed, log=lambda message: self.stdout.write(message))
        summary = ", ".join(f"{table.removeprefix('claims_')} {count}" for table, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Generated: {summary}."))
