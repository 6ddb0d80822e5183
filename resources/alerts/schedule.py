"""When an alert is due: at most one email per subscription per period, a day or an ISO week in
the site's time zone. The first run in a period sends it (a timer running each morning sends
daily emails every morning and weekly ones on Monday mornings)."""

from django.db import models
from django.utils import timezone

from resources.models import AlertEmail, AlertFrequency, AlertSubscription, SavedView


def period_of(frequency, moment):
    """The period `moment` falls in for this frequency: '2026-12-01' or '2026-W49'."""
    local = timezone.localtime(moment)
    if frequency == AlertFrequency.DAILY:
        return local.date().isoformat()
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"


def due_subscriptions(now):
    """Subscriptions with no email yet for the period `now` falls in, whose person is active,
    has an email address and can still open the view (its owner, or a member of its team)."""
    period = models.Case(
        models.When(frequency=AlertFrequency.DAILY, then=models.Value(period_of("daily", now))),
        default=models.Value(period_of("weekly", now)),
        output_field=models.CharField(),
    )
    emailed = AlertEmail.objects.filter(
        subscription=models.OuterRef("pk"), period=models.OuterRef("period")
    )
    can_open = SavedView.objects.filter(pk=models.OuterRef("saved_view")).filter(
        models.Q(team=None, owner=models.OuterRef("user"))
        | models.Q(team__members=models.OuterRef("user"))
    )
    return (
        AlertSubscription.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .annotate(period=period)
        .filter(models.Exists(can_open), ~models.Exists(emailed))
        .order_by("pk")
    )
