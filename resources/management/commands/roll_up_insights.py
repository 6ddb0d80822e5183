from django.core.management.base import BaseCommand

from resources.insights.rollup import roll_up


class Command(BaseCommand):
    help = (
        "Roll daily counts of what people look for into weekly totals once they are "
        "INSIGHTS_DAILY_WEEKS weeks old, and delete weekly totals older than "
        "INSIGHTS_WEEKLY_WEEKS (nightly, from one server; safe to run twice)."
    )

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(str(roll_up())))
