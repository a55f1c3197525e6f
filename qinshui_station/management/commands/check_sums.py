"""``manage.py check_sums``: every value the services keep with its rows (the ledger's sums, funding/sums.py; the
names a batch's applications share, applications/overlaps.py — each app registers its own, ``register_kept``)
against a recomputation from the rows. Exit status 1 and the differences when any differs; ``--repair`` recomputes
them all."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from qinshui_station.registry import registry


class Command(BaseCommand):
    help = "Compare every value kept with its rows (sums, shared names) with a recomputation from the rows."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="recompute every kept value from the rows")

    def handle(self, *args, repair, **options):
        found = [(kept, kept.mismatches()) for kept in registry.kept]
        if repair and any(lines for _kept, lines in found):
            with transaction.atomic():
                for kept, lines in found:
                    if lines:
                        kept.refresh_all()
            for kept, lines in found:
                if lines:
                    self.stdout.write(f"repaired {kept.what}: {len(lines)} differences found before (the first ones):")
                    for line in lines:
                        self.stdout.write(f"  {line}")
            found = [(kept, kept.mismatches()) for kept in registry.kept]
        differing = [line for _kept, lines in found for line in lines]
        if differing:
            for line in differing:
                self.stderr.write(line)
            raise CommandError(f"{len(differing)} kept sums differ from their rows (manage.py check_sums --repair)")
        self.stdout.write("every kept value equals its rows: " + "; ".join(kept.what for kept in registry.kept))
