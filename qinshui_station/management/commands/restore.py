from django.core.management.base import BaseCommand, CommandError

from qinshui_station import backup


class Command(BaseCommand):
    help = ("Restore a backup made by `manage.py backup` into an EMPTY database and an empty storage root, then "
            "compare row counts per table and file checksums with its manifest. See docs/security.md.")

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--database-name", help="restore into this (empty) database on the same server "
                                                    "instead of the portal's own")
        parser.add_argument("--media-root", help="restore the files here instead of MEDIA_ROOT")

    def handle(self, *args, directory, database_name=None, media_root=None, **options):
        try:
            report = backup.restore(directory, database=database_name, media_root=media_root)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"restored: {report['tables']} tables, {report['rows']} rows, {report['files']} files; "
                          "row counts and checksums match the manifest")
