"""What `send_alerts` sends, to whom and when: what is new in the view since the last email,
daily or weekly, nothing when nothing is new, never a draft, never twice."""

import re
from datetime import timedelta
from email import message_from_bytes, policy
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from resources.alerts import claim, send_alerts, unsubscribe_token
from resources.models import (
    AlertEmail,
    AlertEmailStatus,
    AlertFrequency,
    ResourceKind,
    ResourceStatus,
)
from tests.factories import make_resource
from tests.resources.alerts.conftest import MONDAY, SITE, at, subscribe

pytestmark = pytest.mark.django_db


def published(world, title, when, terms=None, **fields):
    return make_resource(
        title=title,
        slug=re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        terms=terms if terms is not None else [world.race],
        publisher=world.publisher,
        published_at=when,
        **fields,
    )


def parts(message):
    """The plain text and the HTML of a sent message."""
    ((html, kind),) = message.alternatives
    assert kind == "text/html"
    return message.body, html


def test_an_email_lists_what_is_new_in_the_view_with_links_to_each_resource(world, mailoutbox):
    subscribe(world.sam, world.team_view)
    published(world, "Tackling racism in maternity care", at(0, 9), kind=ResourceKind.GUIDANCE)
    published(world, "Ethnicity coding in primary care", at(0, 10), kind=ResourceKind.DATA_TOOL)

    send_alerts(now=at(1))

    (message,) = mailoutbox
    assert message.to == ["sam@example.nhs.uk"]
    assert message.subject == "2 new in “Race equality” – Health Inequalities Resource Directory"
    text, html = parts(message)
    for part in (text, html):
        assert "Resources about Race" in part  # the view in words, as the finder says it
        assert "A saved view of Public health" in part
        assert "NHS England, Guidance" in part
        assert "NHS England, Data tool" in part
        assert f"{SITE}/saved/{world.team_view.pk}/" in part
    assert f"{SITE}/resources/tackling-racism-in-maternity-care/" in text
    # Newest first.
    assert text.index("Ethnicity coding") < text.index("Tackling racism")
    assert '<html lang="en-GB">' in html
    assert "<h1>2 new in “Race equality”</h1>" in html
    assert (
        f'<a href="{SITE}/resources/tackling-racism-in-maternity-care/">'
        "Tackling racism in maternity care</a>"
    ) in html
    assert "<img" not in html and "style" not in html


def test_an_email_is_plain_text_with_an_html_alternative_and_unsubscribe_headers(world, mailoutbox):
    subscription = subscribe(world.sam, world.team_view)
    published(world, "Tackling racism in maternity care", at(0, 9))

    send_alerts(now=at(1))

    (message,) = mailoutbox
    sent = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    assert sent.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in sent.iter_parts()] == ["text/plain", "text/html"]
    unsubscribe = SITE + reverse(
        "resources:alert-unsubscribe", args=[unsubscribe_token(subscription)]
    )
    assert sent["List-Unsubscribe"].strip() == f"<{unsubscribe}>"  # folded: long
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert sent["Message-ID"] == AlertEmail.objects.get().message_id
    assert sent["Message-ID"].endswith("@directory.example.nhs.uk>")
    text, html = parts(message)
    assert f"Unsubscribe: {unsubscribe}" in text
    assert f'<a href="{unsubscribe}">unsubscribe</a>' in html


def test_nothing_is_sent_for_a_view_with_nothing_new(world, mailoutbox):
    subscribe(world.sam, world.team_view)
    published(world, "Published before Sam subscribed", MONDAY - timedelta(days=3))
    published(world, "About disability only", at(0, 9), terms=[world.disability])

    outcome = send_alerts(now=at(1))

    assert mailoutbox == []
    assert outcome.nothing_new == 1
    assert AlertEmail.objects.get().status == AlertEmailStatus.NOTHING_NEW


def test_drafts_and_resources_withdrawn_before_sending_are_never_in_an_email(world, mailoutbox):
    subscription = subscribe(world.sam, world.team_view)
    published(world, "A draft with a date", at(0, 9), status=ResourceStatus.DRAFT)
    published(world, "Published and kept", at(0, 10))
    withdrawn = published(world, "Published then withdrawn", at(0, 11))
    email = claim(subscription.pk, at(1))
    assert len(email.resource_ids) == 2
    withdrawn.status = ResourceStatus.ARCHIVED
    withdrawn.save()

    send_alerts(now=at(1, 8))

    (message,) = mailoutbox
    text, html = parts(message)
    assert "Published and kept" in text
    for part in (text, html):
        assert "A draft with a date" not in part
        assert "Published then withdrawn" not in part


def test_each_member_of_a_team_gets_their_own_email(world, mailoutbox):
    subscribe(world.sam, world.team_view)
    subscribe(world.alex, world.team_view, AlertFrequency.WEEKLY)
    published(world, "Tackling racism in maternity care", at(0, 9))

    send_alerts(now=at(1))

    assert sorted(message.to[0] for message in mailoutbox) == [
        "alex@example.nhs.uk",
        "sam@example.nhs.uk",
    ]


def test_a_daily_alert_goes_once_a_day_and_lists_each_resource_once(world, mailoutbox):
    subscribe(world.sam, world.team_view, AlertFrequency.DAILY)
    published(world, "First", at(0, 9))
    send_alerts(now=at(1, 7))
    published(world, "Second", at(1, 8))
    send_alerts(now=at(1, 9))  # the same day: nothing more
    assert len(mailoutbox) == 1
    published(world, "Third", at(1, 10))

    send_alerts(now=at(2, 7))

    assert len(mailoutbox) == 2
    text, _ = parts(mailoutbox[1])
    assert "Second" in text and "Third" in text and "First" not in text


def test_a_weekly_alert_goes_once_a_week(world, mailoutbox):
    subscribe(world.sam, world.team_view, AlertFrequency.WEEKLY, since=at(-1))  # on Sunday
    published(world, "First", at(0, 6, 30))
    send_alerts(now=at(0, 7))  # Monday
    published(world, "Second", at(1, 9))
    for day in range(1, 7):  # Tuesday to Sunday: nothing
        send_alerts(now=at(day, 7))
    assert len(mailoutbox) == 1

    send_alerts(now=at(7, 7))  # the next Monday

    assert len(mailoutbox) == 2
    text, _ = parts(mailoutbox[1])
    assert "Second" in text and "First" not in text


def test_a_resource_whose_publishing_committed_after_the_last_email_was_written_is_not_skipped(
    world, mailoutbox
):
    """Stamped published_at before the first email's window closed, but committed (so visible)
    only afterwards: the next window reaches back and catches it."""
    subscribe(world.sam, world.team_view)
    published(world, "On time", at(0, 9))
    send_alerts(now=at(1, 7))
    published(world, "Committed late", at(1, 7) - timedelta(seconds=2))

    send_alerts(now=at(2, 7))

    assert len(mailoutbox) == 2
    text, _ = parts(mailoutbox[1])
    assert "Committed late" in text and "On time" not in text


def test_someone_who_left_the_team_gets_no_more_emails_about_its_view(world, mailoutbox):
    subscribe(world.sam, world.team_view)
    world.team.members.remove(world.sam)
    published(world, "Tackling racism in maternity care", at(0, 9))

    send_alerts(now=at(1))

    assert mailoutbox == []


def test_someone_without_an_email_address_is_skipped(world, mailoutbox):
    subscribe(world.sam, world.team_view)
    world.sam.email = ""
    world.sam.save()
    published(world, "Tackling racism in maternity care", at(0, 9))

    send_alerts(now=at(1))

    assert mailoutbox == []


def test_an_email_left_waiting_by_a_stopped_run_is_sent_by_the_next_with_its_message_id(
    world, mailoutbox
):
    subscription = subscribe(world.sam, world.team_view)
    published(world, "Tackling racism in maternity care", at(0, 9))
    email = claim(subscription.pk, at(1))  # the run stopped after writing the row
    AlertEmail.objects.filter(pk=email.pk).update(attempts=1)  # …and while sending it

    output = StringIO()
    call_command("send_alerts", stdout=output)

    (message,) = mailoutbox
    assert message.extra_headers["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert email.status == AlertEmailStatus.SENT and email.sent_at is not None
    assert "a run stopped while sending it, so it may arrive twice" in output.getvalue()


def test_the_command_reports_each_email_and_a_summary_and_a_second_run_sends_nothing(
    world, mailoutbox
):
    subscribe(world.sam, world.team_view, since=MONDAY)
    subscribe(world.alex, world.own_view, since=MONDAY)
    published(world, "Tackling racism in maternity care", MONDAY + timedelta(minutes=5))

    first, second = StringIO(), StringIO()
    call_command("send_alerts", stdout=first)
    call_command("send_alerts", stdout=second)

    assert first.getvalue().splitlines() == [
        "Sent “Race equality” to sam@example.nhs.uk: 1 new resource "
        f"({AlertEmail.objects.get(status=AlertEmailStatus.SENT).period})",
        "Sent 1 email; 1 view had nothing new.",
    ]
    assert second.getvalue().splitlines() == ["Sent 0 emails; 0 views had nothing new."]
    assert len(mailoutbox) == 1


def test_an_email_the_mail_server_refuses_is_kept_for_the_next_run(world, settings, mailoutbox):
    subscribe(world.sam, world.team_view)
    published(world, "Tackling racism in maternity care", MONDAY + timedelta(minutes=5))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: refused

    with pytest.raises(CommandError, match="1 email could not be sent and will be tried again"):
        call_command("send_alerts", stdout=StringIO())
    assert AlertEmail.objects.get().status == AlertEmailStatus.PENDING

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_alerts", stdout=StringIO())
    assert AlertEmail.objects.get().status == AlertEmailStatus.SENT
    assert len(mailoutbox) == 1


def test_a_run_deletes_what_it_sent_more_than_90_days_ago_but_never_a_waiting_email(
    world, mailoutbox
):
    now = timezone.now()
    subscription = subscribe(world.sam, world.team_view, since=now - timedelta(days=101))
    published(world, "Sent long ago", now - timedelta(days=100, hours=1))
    old = claim(subscription.pk, now - timedelta(days=100))
    AlertEmail.objects.filter(pk=old.pk).update(
        status=AlertEmailStatus.SENT, sent_at=now - timedelta(days=100)
    )
    published(world, "Left waiting by a run that stopped", now - timedelta(days=95, hours=1))
    waiting = claim(subscription.pk, now - timedelta(days=95))

    send_alerts(now=now)

    assert not AlertEmail.objects.filter(pk=old.pk).exists()
    assert AlertEmail.objects.get(pk=waiting.pk).status == AlertEmailStatus.SENT
    assert "Left waiting by a run that stopped" in mailoutbox[0].body
