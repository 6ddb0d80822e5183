import time

from django.core.management.base import BaseCommand

from resources.management.bulk import index_and_recount


class Command(BaseCommand):
    help = (
        "Recompute every resource's search data (after a bulk load or a fixture), then the "
        "planner's statistics and the whole catalogue's counts."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        count = index_and_recount()
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {count} resources for search in {time.monotonic() - started:.1f} s."
            )
        )
