"""How many public submissions each address has sent, counted where every server sees them."""

from django.db import models


class SubmissionCount(models.Model):
    """Submissions of one kind (`scope`) from one address in one hour's window
    (resources.submissions.ratelimit). In the database, not a per-process cache, so several
    servers and workers share one count; rows of past windows are deleted as new ones start."""

    scope = models.CharField(max_length=20)
    address = models.CharField(max_length=32)  # a digest: addresses are not kept in clear
    window = models.PositiveBigIntegerField()  # hours since the epoch (UTC)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "address", "window"], name="submission_count_one_per_window"
            )
        ]
        indexes = [models.Index(fields=["window"], name="submission_count_window")]

    def __str__(self):
        return f"{self.count} {self.scope} in window {self.window}"
