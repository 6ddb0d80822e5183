"""Organisations: the bodies that publish resources, and the lineage from one to the next."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from resources.url_normalisation import validate_web_address


class OrganisationKind(models.TextChoices):
    NHS = "nhs", "NHS body"
    GOVERNMENT = "government", "Government department or agency"
    CHARITY = "charity", "Charity or think tank"
    PROFESSIONAL = "professional", "Royal college or professional body"
    LOCAL = "local", "Local system"
    ACADEMIC = "academic", "University or institute"
    OTHER = "other", "Other"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    acronym = models.CharField(max_length=30, blank=True, default="")
    kind = models.CharField(max_length=20, choices=OrganisationKind, default=OrganisationKind.OTHER)
    website = models.URLField(
        max_length=500, blank=True, default="", validators=[validate_web_address]
    )
    description = models.TextField(blank=True, default="")
    succeeded_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text="The organisation that took over this one's work, if it closed or merged.",
    )
    succeeded_on = models.DateField(
        null=True, blank=True, help_text="When its work passed to the successor."
    )
    further_successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="partial_predecessors",
        verbose_name="also succeeded by",
        help_text="Other organisations that took over part of its work on the same date "
        "(Public Health England's passed to both OHID and UKHSA). Its resources show the "
        "successor above as their current owner.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(succeeded_by=models.F("id")),
                name="organisation_not_own_successor",
                violation_error_message="An organisation cannot succeed itself.",
            ),
            models.CheckConstraint(
                condition=models.Q(succeeded_on__isnull=True)
                | models.Q(succeeded_by__isnull=False),
                name="organisation_succession_date_needs_successor",
                violation_error_message="A succession date needs a successor.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resources:organisation", args=[self.slug])

    def clean(self):
        successor, seen = self.succeeded_by, set()
        while successor is not None and successor.pk not in seen:
            if self.pk is not None and successor.pk == self.pk:
                raise ValidationError(
                    {"succeeded_by": "That would make this organisation its own successor."}
                )
            seen.add(successor.pk)
            successor = successor.succeeded_by

    @property
    def successors(self):
        """Every organisation its work passed to, the main successor first."""
        main = [self.succeeded_by] if self.succeeded_by_id else []
        others = [
            other for other in self.further_successors.all() if other.pk != self.succeeded_by_id
        ]
        return [*main, *others]

    @property
    def predecessor_list(self):
        """Every organisation whose work, or part of it, passed to this one, by name."""
        return (
            Organisation.objects.filter(
                models.Q(succeeded_by=self) | models.Q(further_successors=self)
            )
            .distinct()
            .order_by("name")
        )

    @property
    def current(self):
        """The organisation that carries this one's work today (itself if it still exists)."""
        organisation, seen = self, {self.pk}
        while organisation.succeeded_by_id and organisation.succeeded_by_id not in seen:
            seen.add(organisation.succeeded_by_id)
            organisation = organisation.succeeded_by
        return organisation
