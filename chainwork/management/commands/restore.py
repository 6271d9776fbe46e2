"""`manage.py restore FILE [--database-url URL] [--replace] [--noinput]`: restore a backup made by
`manage.py backup` into the app's database or the one of --database-url (created when missing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chainwork.backups import Target, restore


class Command(BaseCommand):
    help = "Restore a backup (pg_restore) into an empty or new database; --replace drops an existing one first."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--database-url", help="Restore into this postgres:// database instead of the app's")
        parser.add_argument("--replace", action="store_true",
                            help="Drop and re-create the database first (ends its sessions; stop web and worker)")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="Do not ask to confirm --replace")

    def handle(self, *args, file, database_url=None, replace=False, interactive=True, **options):
        target = Target.from_url(database_url) if database_url else Target.from_settings()
        if replace and interactive:
            answer = input(f"Drop {target} and replace it with {file}? Type the database name to confirm: ")
            if answer.strip() != target.name:
                raise CommandError("Restore cancelled.")
        restore(file, target, replace=replace)
        self.stdout.write(f"Restored {file} into {target}.")
