from django.core.management.base import BaseCommand, CommandError

from resources.alerts import send_alerts


class Command(BaseCommand):
    help = (
        "Email each saved view's followers what is new in it, daily or weekly as they chose; "
        "nothing for a view with nothing new. Safe to run again at once, or after a run was "
        "stopped midway: every email is sent once (docs/decisions/0019-email-alerts.md). Run it "
        "from one server, from a timer (README: Scheduled jobs)."
    )

    def handle(self, *args, **options):
        outcome = send_alerts(report=self.stdout.write)
        sent = len(outcome.sent)
        summary = (
            f"Sent {sent} email{'s' if sent != 1 else ''}; "
            f"{outcome.nothing_new} view{'s' if outcome.nothing_new != 1 else ''} "
            "had nothing new."
        )
        if outcome.failed:
            failed = len(outcome.failed)
            raise CommandError(
                f"{summary} {failed} email{'s' if failed != 1 else ''} could not be sent and "
                "will be tried again on the next run."
            )
        self.stdout.write(summary)
