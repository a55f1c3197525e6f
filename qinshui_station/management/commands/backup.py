from django.core.management.base import BaseCommand, CommandError

from qinshui_station import backup


class Command(BaseCommand):
    help = ("Back up the database (pg_dump, custom format) and the stored files (MEDIA_ROOT) into DIR, with "
            "manifest.json: row counts per table and the SHA-256 of every file. See docs/security.md.")

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        try:
            manifest = backup.backup(directory)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{directory}: {len(manifest['tables'])} tables, {sum(manifest['tables'].values())} rows, "
                          f"{len(manifest['files'])} files")
