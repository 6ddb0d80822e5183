"""Controlled vocabularies, modelled on SKOS: a Vocabulary is a concept scheme, a Term a concept."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

# The query-string names the site's own parameters take. A vocabulary's slug is a query-string
# name too (?characteristic=race), so it may not be one of these. The one list: the finder and the
# API take their parameter names from here (taxonomy knows nothing of resources, so the list lives
# on this side).
FINDER_PARAMETERS = [
    "q",
    "spelling",
    "kind",
    "publisher",
    "access",
    "year_from",
    "year_to",
    "sort",
    "page",
]
PAGE_SIZE_PARAMETER = "page_size"  # the API's
LIMIT_PARAMETER = "limit"  # the embedded list's
RESERVED_VOCABULARY_SLUGS = [
    *FINDER_PARAMETERS,
    "format",
    "status",
    PAGE_SIZE_PARAMETER,
    LIMIT_PARAMETER,
]


class Vocabulary(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(
        max_length=50,
        unique=True,
        help_text="Used in web addresses, e.g. ?characteristic=race. Short, lower case.",
    )
    description = models.TextField(
        blank=True,
        default="",
        help_text="One sentence on what this vocabulary classifies.",
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Vocabularies are listed in this order on the site."
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "vocabularies"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(slug__in=RESERVED_VOCABULARY_SLUGS),
                name="vocabulary_slug_not_reserved",
                violation_error_message=(
                    "This slug is used by the finder or the API itself; choose another "
                    f"(not {', '.join(RESERVED_VOCABULARY_SLUGS)})."
                ),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("taxonomy:vocabulary", args=[self.slug])


def vocabularies_with_terms():
    """Every vocabulary, in the site's order, with its terms fetched."""
    return list(Vocabulary.objects.prefetch_related("terms"))


class TermManager(models.Manager):
    """Terms always come with their vocabulary: a term is read as "Race (Protected characteristic)"."""

    def get_queryset(self):
        return super().get_queryset().select_related("vocabulary")


class Term(models.Model):
    vocabulary = models.ForeignKey(Vocabulary, on_delete=models.PROTECT, related_name="terms")
    name = models.CharField(max_length=200, help_text="The preferred name, as shown on the site.")
    slug = models.SlugField(max_length=100, help_text="Used in web addresses, e.g. race.")
    definition = models.TextField(
        blank=True,
        default="",
        help_text="Scope note: what the term covers, for a busy reader.",
    )
    synonyms = models.TextField(
        blank=True,
        default="",
        help_text="Other names and acronyms people search for, one per line (e.g. BAME).",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="A broader term in the same vocabulary. Choosing it includes this term.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order within the vocabulary.")

    objects = TermManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "slug"],
                name="term_slug_unique_in_vocabulary",
                violation_error_message="This vocabulary already has a term with this slug.",
            ),
            models.UniqueConstraint(
                Lower("name"),
                "vocabulary",
                name="term_name_unique_in_vocabulary",
                violation_error_message="This vocabulary already has a term with this name.",
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")),
                name="term_not_own_parent",
                violation_error_message="A term cannot be its own broader term.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.vocabulary.name})"

    def get_absolute_url(self):
        return reverse("taxonomy:term", args=[self.vocabulary.slug, self.slug])

    def clean(self):
        if (
            self.parent_id
            and self.vocabulary_id
            and self.parent.vocabulary_id != self.vocabulary_id
        ):
            raise ValidationError(
                {"parent": "The broader term must belong to the same vocabulary."}
            )
        ancestor = self.parent
        while ancestor is not None and self.pk is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": "That would make this term broader than itself."})
            ancestor = ancestor.parent

    @property
    def synonym_list(self):
        return [line.strip() for line in self.synonyms.splitlines() if line.strip()]


class FormerSlug(models.Model):
    """A slug a term had before it was merged into `term`: old web addresses, finder views,
    saved views and feeds that name it mean `term`. Not a synonym: nobody searches for a slug,
    and the public never sees it."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="former_slugs")
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=200, help_text="The merged term's name, for the notice.")

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(fields=["term", "slug"], name="former_slug_unique_for_term")
        ]

    def __str__(self):
        return f"{self.slug} (now {self.term.name})"


def former_terms(pairs):
    """{(vocabulary slug, slug): (the term it now means, the merged term's name)}, for those of
    `pairs` (vocabulary slug, slug) that name a term merged away: one query, however many."""
    pairs = set(pairs)
    if not pairs:
        return {}
    wanted = models.Q()
    for vocabulary_slug, slug in pairs:
        wanted |= models.Q(term__vocabulary__slug=vocabulary_slug, slug=slug)
    former = FormerSlug.objects.filter(wanted).select_related("term__vocabulary")
    return {(item.term.vocabulary.slug, item.slug): (item.term, item.name) for item in former}


def narrower_sets(vocabulary_terms):
    """{term id: the ids of that term and of every narrower term below it}, for each of
    `vocabulary_terms` (all of one vocabulary's terms)."""
    children = {}
    for term in vocabulary_terms:
        children.setdefault(term.parent_id, []).append(term.pk)

    def below(pk):
        ids, frontier = {pk}, [pk]
        while frontier:
            frontier = [
                child
                for parent in frontier
                for child in children.get(parent, [])
                if child not in ids
            ]
            ids.update(frontier)
        return ids

    return {term.pk: below(term.pk) for term in vocabulary_terms}


def with_narrower(terms, vocabulary_terms):
    """The ids of `terms` and of every narrower term below them, from all `vocabulary_terms`."""
    sets = narrower_sets(vocabulary_terms)
    return set().union(*(sets.get(term.pk, {term.pk}) for term in terms))


def tree_order(terms):
    """`terms` as (term, depth) pairs, each broader term followed by its narrower terms."""
    children = {}
    for term in terms:
        children.setdefault(term.parent_id, []).append(term)
    ordered = []

    def visit(parent_id, depth):
        for term in children.get(parent_id, []):
            ordered.append((term, depth))
            visit(term.pk, depth + 1)

    visit(None, 0)
    return ordered
