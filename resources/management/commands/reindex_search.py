import time

from django.core.management.base import BaseCommand

from resources.search import index_resources


class Command(BaseCommand):
    help = "Recompute every resource's search data (after a bulk load or a fixture)."

    def handle(self, *args, **options):
        started = time.monotonic()
        count = index_resources()
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {count} resources for search in {time.monotonic() - started:.1f} s."
            )
        )
