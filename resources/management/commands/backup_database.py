from datetime import datetime
from pathlib import Path
from subprocess import CalledProcessError

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from resources.management.backups import backup, suffix


class Command(BaseCommand):
    help = (
        "Back up the whole database to a file: pg_dump's custom format on PostgreSQL, a copy of "
        "the database file on SQLite. Restore it with restore_database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="Where to write it (default: backups/directory-<date and time>.dump, or .sqlite3 for SQLite).",
        )

    def handle(self, *args, path=None, **options):
        if path is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            path = Path(settings.BASE_DIR) / "backups" / f"directory-{stamp}{suffix()}"
            path.parent.mkdir(exist_ok=True)
        try:
            backup(path)
        except (OSError, CalledProcessError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backed up the database to {path}"))
