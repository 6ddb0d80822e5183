"""The resource changelist's own filters: review due, suggestions, open problem reports, and one
per vocabulary."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from resources.models import ProblemReport, Resource


class ReviewDueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Due now or overdue"),
            ("next-30-days", "Due in the next 30 days"),
            ("never", "Never reviewed"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(review_due_on__lte=today)
        if self.value() == "next-30-days":
            return queryset.filter(
                review_due_on__gt=today, review_due_on__lte=today + timedelta(days=30)
            )
        if self.value() == "never":
            return queryset.filter(last_reviewed_at=None)
        return queryset


class PublisherFilter(admin.RelatedFieldListFilter):
    """The organisations that publish any resource. Asked organisation by organisation, through
    the index on a resource's publisher: RelatedOnlyFieldListFilter's "id in (every resource's
    publisher)" read the whole resource table for a list of a hundred names."""

    def field_choices(self, field, request, model_admin):
        publishes = Q(Exists(Resource.objects.filter(publisher=OuterRef("pk"))))
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to=publishes)


class SuggestionFilter(admin.SimpleListFilter):
    title = "suggestions from the public"
    parameter_name = "suggested"

    def lookups(self, request, model_admin):
        return [("yes", "Suggested by the public"), ("no", "Added by librarians")]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(is_suggestion=self.value() == "yes")
        return queryset


class OpenProblemReportsFilter(admin.SimpleListFilter):
    title = "problem reports"
    parameter_name = "reports"

    def lookups(self, request, model_admin):
        return [("open", "Has open problem reports"), ("none", "No open problem reports")]

    def queryset(self, request, queryset):
        has_open = Exists(ProblemReport.objects.open().filter(resource=OuterRef("pk")))
        if self.value() == "open":
            return queryset.filter(has_open)
        if self.value() == "none":
            return queryset.exclude(has_open)
        return queryset


def vocabulary_filter(vocabulary, terms):
    """A changelist filter for one vocabulary, so a new vocabulary gets a filter of its own."""

    class VocabularyTermFilter(admin.SimpleListFilter):
        title = vocabulary.name.lower()
        parameter_name = f"vocabulary_{vocabulary.slug}"

        def lookups(self, request, model_admin):
            return [(term.slug, term.name) for term in terms]

        def queryset(self, request, queryset):
            if self.value():
                return queryset.filter(terms__vocabulary=vocabulary, terms__slug=self.value())
            return queryset

    return VocabularyTermFilter
