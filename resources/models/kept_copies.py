"""Kept copies: a saved view's list as it stood on one day, frozen for a board paper or an audit.

Not to be confused with `CatalogueSnapshot` (snapshots.py), which is a cache of whole-catalogue
counts. A kept copy stores, per resource, what a reader of the list needs, so later edits,
unpublishing or deletion in the catalogue never change it (docs/decisions/0020-kept-copies.md).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from resources.models.catalogue import Resource, ResourceAccess, ResourceKind
from resources.models.teams import SavedView


class KeptCopyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Copies of the views the person can open: their own and their teams'."""
        return self.filter(saved_view__in=SavedView.objects.visible_to(user))


class KeptCopy(models.Model):
    """A numbered, dated, frozen copy of a saved view's list, with the view as it was then."""

    saved_view = models.ForeignKey(SavedView, on_delete=models.CASCADE, related_name="kept_copies")
    number = models.PositiveIntegerField(help_text="Copy 1, 2, 3… of this saved view.")
    view_name = models.CharField(max_length=100, help_text="The saved view's name at the time.")
    query_string = models.TextField(
        blank=True, default="", help_text="The finder's canonical query string at the time."
    )
    description = models.TextField(
        blank=True, default="", help_text="The view in words at the time, as the finder said it."
    )
    vocabulary_names = models.JSONField(
        default=list, help_text="The vocabularies at the time, in order: the export's columns."
    )
    item_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kept_copies",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = KeptCopyQuerySet.as_manager()

    class Meta:
        ordering = ["saved_view", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["saved_view", "number"], name="kept_copy_number_unique_per_view"
            )
        ]

    def __str__(self):
        return f"Copy {self.number} of {self.view_name}, {self.created_at:%d %B %Y}"

    def get_absolute_url(self):
        return reverse("resources:kept-copy", args=[self.saved_view_id, self.number])


class KeptCopyItem(models.Model):
    """One resource of a kept copy, as it was: the fields are copied, not looked up, so the copy
    reads the same whatever happens to the resource later. `resource` links back while the
    resource exists (it becomes empty if the resource is deleted)."""

    kept_copy = models.ForeignKey(KeptCopy, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    resource = models.ForeignKey(
        Resource, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    slug = models.CharField(max_length=300)
    title = models.CharField(max_length=300)
    url = models.CharField("web address", max_length=1000, blank=True, default="")
    kind = models.CharField(max_length=20, choices=ResourceKind, blank=True, default="")
    publisher_name = models.CharField(max_length=200, blank=True, default="")
    year_published = models.PositiveSmallIntegerField(null=True, blank=True)
    access = models.CharField(max_length=20, choices=ResourceAccess, blank=True, default="")
    authors = models.TextField(blank=True, default="", help_text="One per line.")
    summary = models.TextField(blank=True, default="")
    terms = models.JSONField(default=dict, help_text="Vocabulary name → its term names.")
    keywords = models.JSONField(default=list)

    class Meta:
        ordering = ["kept_copy", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["kept_copy", "position"], name="kept_copy_item_position_unique"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def author_names(self):
        return [line.strip() for line in self.authors.splitlines() if line.strip()]
