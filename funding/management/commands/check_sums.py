"""``manage.py check_sums``: every sum the services keep with its rows (funding/sums.py) against a recomputation
from the rows. Exit status 1 and the differences when any differs; ``--repair`` recomputes them all."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from funding import sums


class Command(BaseCommand):
    help = "Compare the grants' and batch years' kept sums with a recomputation from their rows."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="recompute every kept sum from the rows")

    def handle(self, *args, repair, **options):
        found = sums.mismatches()
        if found and repair:
            with transaction.atomic():
                sums.refresh_all()
            self.stdout.write(f"repaired: {len(found)} differences found before (the first ones):")
            for line in found:
                self.stdout.write(f"  {line}")
            found = sums.mismatches()
        if found:
            for line in found:
                self.stderr.write(line)
            raise CommandError(f"{len(found)} kept sums differ from their rows (manage.py check_sums --repair)")
        self.stdout.write("every kept sum equals its rows")
