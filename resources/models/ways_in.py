"""Ways in by role: a page for one audience (nurses, commissioners, analysts…) with a short
introduction written for that role and the curators' chosen "start here" resources, in order."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from taxonomy.models import Term

# The vocabulary whose terms are the roles (fixtures/source/taxonomy.yaml).
AUDIENCE_VOCABULARY = "audience"


class WayInQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def in_order(self):
        """As the audience vocabulary lists its terms."""
        return self.select_related("term__vocabulary").order_by("term__position", "term__name")


class WayIn(models.Model):
    """One role's page at /for/<the audience term's slug>/."""

    term = models.OneToOneField(
        Term,
        on_delete=models.PROTECT,
        related_name="way_in",
        limit_choices_to={"vocabulary__slug": AUDIENCE_VOCABULARY},
        verbose_name="role",
        help_text="The audience this page is for. Its web address is /for/ and the term's slug.",
    )
    introduction = models.TextField(
        blank=True,
        default="",
        help_text="Two or three plain sentences written to someone in this role: what the "
        "directory holds for them and where to begin.",
    )
    is_published = models.BooleanField(
        "published",
        default=False,
        help_text="Shown on the site and listed under “Ways in by role”.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WayInQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "way in by role"
        verbose_name_plural = "ways in by role"

    def __str__(self):
        return self.term.name

    def get_absolute_url(self):
        return reverse("resources:way-in", args=[self.term.slug])


class WayInPick(models.Model):
    """A "start here" resource on a role's page; the page lists its published picks by position."""

    way_in = models.ForeignKey(WayIn, on_delete=models.CASCADE, related_name="picks")
    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.CASCADE, related_name="way_in_picks"
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Picks are listed in this order, lowest first."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "start-here pick"
        constraints = [
            models.UniqueConstraint(
                fields=["way_in", "resource"],
                name="way_in_pick_unique",
                violation_error_message="This resource is already a pick on this page.",
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.resource}"
