"""Email alerts for saved views: who follows which view how often, and each email as an outbox
row written before it is sent (docs/decisions/0019-email-alerts.md)."""

from django.conf import settings
from django.db import models

from resources.models.teams import SavedView


class AlertFrequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class AlertSubscription(models.Model):
    """One person following one saved view by email. A team view is followed by each member
    separately; leaving the team stops the emails (a view one cannot open is never sent)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscriptions"
    )
    saved_view = models.ForeignKey(
        SavedView, on_delete=models.CASCADE, related_name="alert_subscriptions"
    )
    frequency = models.CharField(max_length=10, choices=AlertFrequency)
    created_at = models.DateTimeField(auto_now_add=True)
    # The next email lists what was published in the view after this moment: when the person
    # subscribed, then the end of the last email's window.
    new_since_at = models.DateTimeField()
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["saved_view__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "saved_view"],
                name="alert_subscription_unique",
                violation_error_message="You already get email alerts for this view.",
            ),
            models.CheckConstraint(
                condition=models.Q(frequency__in=AlertFrequency.values),
                name="alert_subscription_frequency_valid",
            ),
        ]

    def __str__(self):
        return f"{self.user} follows {self.saved_view} ({self.get_frequency_display().lower()})"


class AlertEmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    NOTHING_NEW = "nothing_new", "Nothing new, so not sent"


class AlertEmail(models.Model):
    """One period's email for one subscription, written (with what it lists and its Message-ID)
    in the same transaction that moves the subscription's `new_since_at` on, and marked sent
    after the mail server accepts it. One row per subscription and period: a second run in the
    same day (or week) finds the row and sends nothing more."""

    subscription = models.ForeignKey(
        AlertSubscription, on_delete=models.CASCADE, related_name="emails"
    )
    period = models.CharField(
        max_length=10, help_text="The day (2026-12-01) or ISO week (2026-W49)."
    )
    status = models.CharField(
        max_length=20, choices=AlertEmailStatus, default=AlertEmailStatus.PENDING
    )
    message_id = models.CharField(max_length=200, blank=True, default="")
    resource_ids = models.JSONField(default=list, blank=True)
    new_since_at = models.DateTimeField()
    new_until_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period"], name="alert_email_one_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AlertEmailStatus.values),
                name="alert_email_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"Alert for {self.subscription} in {self.period}: {self.get_status_display()}"
