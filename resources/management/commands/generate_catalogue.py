"""Synthetic resources at scale, for measuring the finder and search against a big catalogue: the
rows are made and loaded by resources.synthetic."""

import time

from django.core.management.base import BaseCommand, CommandError

from resources.synthetic.bulk_load import no_statement_timeout
from resources.synthetic.generator import SYNTHETIC_URL
from resources.synthetic.loading import CannotGenerate, delete, generate, synthetic_rows


class Command(BaseCommand):
    help = (
        "Add synthetic published resources (and organisations) to the database, using the "
        "vocabularies already in it, to measure the site at scale. Load the shipped catalogue "
        "first. --delete removes them again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--resources", type=int, default=0, help="How many resources to add.")
        parser.add_argument(
            "--organisations",
            type=int,
            default=None,
            help="How many organisations to add (default: the larger of 50 and resources/200).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same catalogue.")
        parser.add_argument("--batch", type=int, default=5000, help="Rows per bulk insert.")
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Remove every synthetic resource (and organisation) instead.",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask before deleting.",
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        if options["delete"]:
            self.delete(interactive=options["interactive"])
            return
        count = options["resources"]
        if count < 1:
            raise CommandError("Say how many resources to add, e.g. --resources 1000.")
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        organisations = options["organisations"]
        if organisations is None:
            organisations = max(50, count // 200)
        try:
            with no_statement_timeout():
                generate(
                    count=count,
                    organisations=organisations,
                    seed=options["seed"],
                    batch=options["batch"],
                    say=self.say,
                )
        except CannotGenerate as error:
            raise CommandError(str(error)) from error

    def say(self, message, success=False):
        if self.verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(message) if success else message)

    def delete(self, *, interactive):
        resources, organisations = synthetic_rows()
        count = resources.count()
        if not count and not organisations.exists():
            self.say("There are no synthetic resources or organisations to delete.")
            return
        if interactive:
            answer = input(
                f"This deletes {count:,} synthetic resources and the synthetic organisations "
                f"no other resource uses (web addresses starting {SYNTHETIC_URL}). "
                "Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing deleted.")
        started = time.perf_counter()
        count, deleted_organisations = delete()
        self.say(
            f"Deleted {count:,} synthetic resources and {deleted_organisations:,} organisations "
            f"in {time.perf_counter() - started:.1f} s.",
            success=True,
        )
