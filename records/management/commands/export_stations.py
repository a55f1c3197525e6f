"""``manage.py export_stations FILE``: every station in the portal as the import template (round trip: importing
the file changes nothing)."""

import shutil

from django.core.management.base import BaseCommand

from records import workbook


class Command(BaseCommand):
    help = "Export every station as the import workbook (docs/import.md)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        spool = workbook.export_workbook()
        with open(path, "wb") as out:
            shutil.copyfileobj(spool, out)
        spool.close()
        self.stdout.write(f"written {path}")
