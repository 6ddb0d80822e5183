from pathlib import Path
from subprocess import CalledProcessError

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from resources.management.backups import restore


class Command(BaseCommand):
    help = (
        "Replace everything in the database with a backup made by backup_database, then "
        "rebuild search data and the kept counts. Stop the app servers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file.")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, path, interactive=True, **options):
        if not Path(path).is_file():
            raise CommandError(f"There is no backup at {path}.")
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(
                f"This replaces everything in the database {name} with {path}. Type 'yes' to go on: "
            )
            if answer != "yes":
                raise CommandError("Nothing was restored.")
        try:
            count = restore(path)
        except (OSError, CalledProcessError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {path} into {name}; indexed {count} resources for search."
            )
        )
