"""Teams and the finder views people save, alone or for a team."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse


class Team(models.Model):
    """People who share saved views. Staff manage teams and their members in the admin; a person
    may be in several. (The curator roles Librarian and Editor are Django groups, not teams.)"""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, default="")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="teams")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resources:team", args=[self.slug])


class SavedViewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The person's own views and every view of every team they belong to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(team=None, owner=user) | models.Q(team__in=user.teams.values("pk"))
        )

    def with_last_opened_by(self, user):
        """Annotated `last_opened_at`: when `user` last opened each view (None if never)."""
        visits = SavedViewVisit.objects.filter(user=user, saved_view=models.OuterRef("pk"))
        return self.annotate(last_opened_at=models.Subquery(visits.values("opened_at")[:1]))

    def with_alert_for(self, user):
        """Annotated `alert_frequency`: how often `user` is emailed about each view ("daily",
        "weekly", or None if not at all). A join, not another query."""
        mine = models.FilteredRelation(
            "alert_subscriptions", condition=models.Q(alert_subscriptions__user=user)
        )
        return self.annotate(mine=mine).annotate(alert_frequency=models.F("mine__frequency"))


class SavedView(models.Model):
    """A finder view under a name: personal (no team) or a team's, shared by its members."""

    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, default="")
    query_string = models.TextField(
        blank=True, default="", help_text="The finder's canonical query string."
    )
    # Who created it. A personal view goes with its owner's account; a team view stays with the
    # team when its creator's account is deleted (see resources/signals.py).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="saved_views",
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_views",
        help_text="Empty for a personal view.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # How many copies of its list have been kept (resources/kept_copies/): the next copy's number,
    # so a deleted copy's number is never given to another.
    copies_kept = models.PositiveIntegerField(default=0, editable=False)

    objects = SavedViewQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name"), "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "owner",
                condition=models.Q(team=None),
                name="saved_view_personal_name_unique",
                violation_error_message="You already have a saved view with this name.",
            ),
            models.UniqueConstraint(
                Lower("name"),
                "team",
                condition=models.Q(team__isnull=False),
                name="saved_view_team_name_unique",
                violation_error_message="This team already has a saved view with this name.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resources:saved-view", args=[self.pk])


class SavedViewVisit(models.Model):
    """When a person last opened a saved view: what is new is new since then, for them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_view_visits"
    )
    saved_view = models.ForeignKey(SavedView, on_delete=models.CASCADE, related_name="visits")
    opened_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "saved_view"], name="saved_view_visit_unique")
        ]

    def __str__(self):
        return f"{self.user} opened {self.saved_view} at {self.opened_at:%d %b %Y %H:%M}"
