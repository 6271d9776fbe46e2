"""`manage.py backup [--output FILE] [--database-url URL]`: a pg_dump custom-format backup of the
database (var/backups/chainwork-<name>-<time>.dump by default); prints the file's path."""

from pathlib import Path

from django.core.management.base import BaseCommand

from chainwork.backups import Target, backup


class Command(BaseCommand):
    help = "Back up the database with pg_dump (custom format) into var/backups/ or --output."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="File to write (default: var/backups/…-<time>.dump)")
        parser.add_argument("--database-url", help="Back up this postgres:// database instead of the app's")

    def handle(self, *args, output=None, database_url=None, **options):
        target = Target.from_url(database_url) if database_url else Target.from_settings()
        path = backup(target, output)
        self.stdout.write(str(path))
