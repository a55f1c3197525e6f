"""The import page as a command: ``manage.py import_stations FILE --user HR_USERNAME`` prints the preview (every
row's outcome, each refusal at its cell); with ``--commit`` it then writes, all or nothing, as that HR user."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from qinshui_station.models import User
from qinshui_station.roles import Role
from records import services
from records.reader import FileRefused
from records.validation import CHANGED, NEW, REFUSED, UNCHANGED


class Command(BaseCommand):
    help = "Preview, and with --commit import, a workbook of stations recognized before the portal (docs/import.md)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="the HR account the import is recorded as")
        parser.add_argument("--commit", action="store_true", help="write the rows when none is refused")

    def handle(self, *args, path, user, commit, **options):
        actor = User.objects.filter(username=user, role=Role.HR, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active HR account named {user!r}")
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"no file {path}")
        data, name = file.read_bytes(), file.name
        try:
            result = services.preview(data=data, name=name)
        except FileRefused as refused:
            raise CommandError(refused.message) from None
        for row in result.check.rows:
            detail = "；".join(f"{cell}：{message}" for cell, message in row.errors) or "、".join(row.changes)
            self.stdout.write(f"{row.number}\t{row.values.get('plaque_number', '')}\t{row.status_label}\t{detail}")
            for warning in row.warnings:
                self.stdout.write(f"\t\t{warning}")
        counts = {s: result.check.count(s) for s in (NEW, UNCHANGED, CHANGED, REFUSED)}
        self.stdout.write(f"new {counts[NEW]}, unchanged {counts[UNCHANGED]}, changed {counts[CHANGED]}, "
                          f"refused {counts[REFUSED]}; sha256 {result.sha256}")
        if not commit:
            return
        if counts[REFUSED]:
            raise CommandError(f"{counts[REFUSED]} rows refused: nothing written")
        try:
            kept = services.commit(actor=actor, data=data, name=name, expected_sha256=result.sha256)
        except (FileRefused, ValidationError) as error:
            raise CommandError(getattr(error, "message", None) or "；".join(error.messages)) from None
        if kept is None:
            self.stdout.write("the portal already holds this file's data: nothing written")
        else:
            self.stdout.write(self.style.SUCCESS(f"imported as file #{kept.pk}: {kept.created} new, "
                                                 f"{kept.changed} changed, {kept.unchanged} unchanged"))
