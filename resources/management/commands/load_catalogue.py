from django.core.management import call_command
from django.core.management.base import BaseCommand

from resources.management.bulk import index_and_recount, record_first_versions
from resources.models import Resource

LOADED = "Loaded from the shipped catalogue"


class Command(BaseCommand):
    help = (
        "Load the shipped catalogue (fixtures/catalogue.json) into an empty database. "
        "Each record's first version is kept in its history, so its first change can be reverted. "
        "A catalogue that already holds resources is left as it is, so no curation is overwritten."
    )

    def handle(self, *args, **options):
        existing = Resource.objects.count()
        if existing:
            self.stdout.write(
                f"The catalogue already holds {existing} resources; leaving it as it is. "
                "(To start again from the shipped catalogue, empty the database first: with the default "
                "SQLite, delete db.sqlite3.)"
            )
            return
        call_command("loaddata", "catalogue", verbosity=0)
        record_first_versions(reason=LOADED)
        index_and_recount()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the shipped catalogue: {Resource.objects.count()} resources."
            )
        )
