"""Sending what is due, so that a run stopped at any moment and run again sends every email
once (docs/decisions/0019-email-alerts.md):

1. claim: in one transaction per subscription, write the period's AlertEmail row (what it lists,
   its Message-ID) and move the subscription's `new_since_at` on to the end of the window. A
   run stopped before the commit leaves nothing behind; after it, the row is waiting.
2. send: count the attempt, hand the message to the mail server, then mark the row sent. A run
   finds the rows earlier runs left waiting and sends them first, with the same Message-ID.

What remains: a run stopped after the mail server accepted a message but before the row is
marked sent (a few milliseconds) sends that message again on the next run. That is the one way
to a duplicate, and no way leads to a skip: we chose at-least-once, and say so in the output.
"""

import smtplib
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, models, transaction
from django.http import QueryDict
from django.utils import timezone

from resources.alerts.content import compose
from resources.alerts.schedule import due_subscriptions, period_of
from resources.finder import Finder
from resources.models import AlertEmail, AlertEmailStatus, AlertSubscription
from taxonomy.models import vocabularies_with_terms

# A resource is stamped published_at when its publishing transaction starts and seen when it
# commits: one stamped just before a window's end but committed after the window was read
# would fall between two emails. Each window reaches back this far and leaves out what earlier
# emails listed, so it is caught next time.
OVERLAP = timedelta(hours=1)
# Sent and "nothing new" rows are kept this long, for support, then deleted by the run.
KEPT = timedelta(days=90)


@dataclass
class Outcome:
    sent: list = field(default_factory=list)  # AlertEmail rows sent
    nothing_new: int = 0  # subscriptions whose view had nothing new this period
    failed: list = field(default_factory=list)  # (AlertEmail, error) left waiting


def message_id():
    return make_msgid(domain=urlsplit(settings.DIRECTORY_SITE_URL).hostname or "localhost")


def new_in_view(subscription, until):
    """Ids of resources published in the subscription's view after its `new_since_at` (reaching
    back OVERLAP, less what recent emails listed) up to `until`, newest first."""
    since = subscription.new_since_at
    listed = {
        pk
        for ids in subscription.emails.filter(new_until_at__gte=since - OVERLAP).values_list(
            "resource_ids", flat=True
        )
        for pk in ids
    }
    finder = Finder(QueryDict(subscription.saved_view.query_string), vocabularies_with_terms())
    new = finder.filtered().filter(
        published_at__gt=max(since - OVERLAP, subscription.created_at), published_at__lte=until
    )
    ids = new.order_by("-published_at", "pk").values_list("pk", flat=True)
    return [pk for pk in ids if pk not in listed]


def claim(subscription_pk, now):
    """Write this period's email for the subscription, if it has none: waiting to be sent, or
    'nothing new'. Returns the row, or None if the subscription has gone or is not due (another
    run got there first)."""
    try:
        with transaction.atomic():
            subscription = (
                AlertSubscription.objects.select_for_update()
                .select_related("saved_view", "user")
                .filter(pk=subscription_pk)
                .first()
            )
            if subscription is None:
                return None
            period = period_of(subscription.frequency, now)
            if subscription.emails.filter(period=period).exists():
                return None
            ids = new_in_view(subscription, now)
            email = AlertEmail.objects.create(
                subscription=subscription,
                period=period,
                status=AlertEmailStatus.PENDING if ids else AlertEmailStatus.NOTHING_NEW,
                message_id=message_id() if ids else "",
                resource_ids=ids,
                new_since_at=subscription.new_since_at,
                new_until_at=now,
            )
            subscription.new_since_at = now
            subscription.save(update_fields=["new_since_at"])
            return email
    except IntegrityError:  # another run wrote this period's row between our check and insert
        return None


def send_email(email, connection):
    """Send a waiting email and mark it sent. Returns False if another run has taken it or its
    subscription has ended. The attempt is counted (and committed) before the mail server is
    asked, so a rerun knows the message may already have arrived."""
    taken = AlertEmail.objects.filter(
        pk=email.pk, status=AlertEmailStatus.PENDING, attempts=email.attempts
    ).update(attempts=models.F("attempts") + 1, attempted_at=timezone.now())
    if not taken:
        return False
    message = compose(email)
    if message is None:  # everything it listed has been withdrawn since
        AlertEmail.objects.filter(pk=email.pk).update(status=AlertEmailStatus.NOTHING_NEW)
        return False
    message.connection = connection
    message.send()
    sent_at = timezone.now()
    AlertEmail.objects.filter(pk=email.pk).update(status=AlertEmailStatus.SENT, sent_at=sent_at)
    AlertSubscription.objects.filter(pk=email.subscription_id).update(last_sent_at=sent_at)
    return True


def waiting():
    return AlertEmail.objects.filter(status=AlertEmailStatus.PENDING).select_related(
        "subscription__saved_view", "subscription__user"
    )


def send_alerts(*, now=None, report=lambda line: None):
    """Send every email due at `now`: first those earlier runs left waiting, then one for each
    due subscription whose view has something new. `report` gets a line per email sent."""
    now = now or timezone.now()
    outcome = Outcome()
    connection = get_connection()  # connects for each message and closes after it

    def send(email):
        again = email.attempts > 0
        try:
            if not send_email(email, connection):
                return
        except (smtplib.SMTPException, OSError) as error:  # refused, or away: kept for next run
            outcome.failed.append((email, error))
            report(f"Not sent (kept for the next run): {describe(email)}: {error}")
            return
        outcome.sent.append(email)
        note = " (again: a run stopped while sending it, so it may arrive twice)" if again else ""
        report(f"Sent {describe(email)}{note}")

    for email in waiting():
        send(email)
    for pk in due_subscriptions(now).values_list("pk", flat=True):
        email = claim(pk, now)
        if email is None:
            continue
        if email.status == AlertEmailStatus.NOTHING_NEW:
            outcome.nothing_new += 1
            continue
        send(email)
    finished_before = now - KEPT
    AlertEmail.objects.filter(
        models.Q(status=AlertEmailStatus.SENT, sent_at__lt=finished_before)
        | models.Q(status=AlertEmailStatus.NOTHING_NEW, new_until_at__lt=finished_before)
    ).delete()
    return outcome


def describe(email):
    subscription = email.subscription
    count = len(email.resource_ids)
    return (
        f"“{subscription.saved_view.name}” to {subscription.user.email}: "
        f"{count} new resource{'s' if count != 1 else ''} ({email.period})"
    )
