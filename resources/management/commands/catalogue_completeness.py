"""Print how complete the published catalogue is, and list the records missing each part."""

from django.core.management.base import BaseCommand, CommandError

from resources.curation.completeness import below_floors, measure, records_in_database
from taxonomy.models import Vocabulary


class Command(BaseCommand):
    help = (
        "Print the share of published resources with a web address, summary, year, publisher, "
        "authors, evidence and terms in each vocabulary, then list the resources missing each."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list",
            dest="limit",
            type=int,
            default=20,
            metavar="N",
            help="List at most N resources missing each part (0 lists none; default 20).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Fail when a part required of every record falls below its floor.",
        )

    def handle(self, *args, limit, check, **options):
        vocabularies = list(Vocabulary.objects.values_list("slug", flat=True))
        records = records_in_database()
        measures = measure(records, vocabularies)
        self.stdout.write(f"{len(records)} published resources.")
        width = max(len(part.name) for part in measures)
        for part in measures:
            floor = f"  (floor {part.floor:.0%})" if part.floor is not None else ""
            done = part.total - len(part.missing)
            self.stdout.write(
                f"{part.name:<{width}}  {done:>6} of {part.total:<6} {part.share:>7.1%}{floor}"
            )
        for part in measures:
            if not (limit and part.missing):
                continue
            self.stdout.write(f"\nMissing {part.name} ({len(part.missing)}):")
            for record in part.missing[:limit]:
                self.stdout.write(f"  {record.slug}  {record.title}")
            if len(part.missing) > limit:
                self.stdout.write(f"  … and {len(part.missing) - limit} more")
        failing = below_floors(measures)
        if check and failing:
            raise CommandError(
                "Below the floor: "
                + "; ".join(f"{part.name} {part.share:.1%} < {part.floor:.0%}" for part in failing)
            )
