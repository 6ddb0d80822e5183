from django.core.management.base import BaseCommand, CommandError

from resources.curation import catalogue_fixture as catalogue
from resources.curation.completeness import below_floors


class Command(BaseCommand):
    help = "Build fixtures/catalogue.json from the curated YAML in fixtures/source/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; fail if catalogue.json is not what the YAML builds, or if the "
            "catalogue falls below its completeness floors.",
        )

    def handle(self, *args, check, **options):
        try:
            builder = catalogue.Builder()
            objects = builder.build()
        except catalogue.CatalogueError as error:
            raise CommandError(
                f"The catalogue has {len(error.problems)} problem(s):\n" + "\n".join(error.problems)
            ) from error
        text = catalogue.render(objects)
        counts = {}
        for row in objects:
            counts[row["model"]] = counts.get(row["model"], 0) + 1
        summary = ", ".join(f"{count} {model}" for model, count in counts.items())
        if check:
            current = (
                catalogue.FIXTURE_PATH.read_text(encoding="utf-8")
                if catalogue.FIXTURE_PATH.exists()
                else ""
            )
            if current != text:
                raise CommandError(
                    "fixtures/catalogue.json is out of date: run `manage.py build_catalogue`."
                )
            self.stdout.write(f"catalogue.json is up to date ({summary}).")
            failing = below_floors(builder.completeness())
            if failing:
                raise CommandError(
                    "The shipped catalogue is less complete than its floors "
                    "(`manage.py catalogue_completeness` lists the records): "
                    + "; ".join(
                        f"{part.name} {part.share:.1%} < {part.floor:.0%}" for part in failing
                    )
                )
            return
        catalogue.FIXTURE_PATH.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {catalogue.FIXTURE_PATH.name}: {summary}."))
