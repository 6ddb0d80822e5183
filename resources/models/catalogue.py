"""The catalogue's resources: what each is, its choices, and the QuerySet public pages start from."""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from resources.models.organisations import Organisation
from resources.url_normalisation import address_lines, normalise_url, validate_web_address
from taxonomy.models import Term

MIN_YEAR, MAX_YEAR = 1800, 2100  # a year published, wherever one is typed or stored

LEADING_PUNCTUATION = re.compile(r"^[\W_]+")


def title_sort_key(title):
    """Where a title sorts from A to Z: its first letter or digit, whatever the case, so
    "‘Levelling up’" sorts under L and "eLearning" under E."""
    return LEADING_PUNCTUATION.sub("", title).casefold()


# Pages that sit where a resource's page would (/resources/<slug>/), so no resource may have them.
RESERVED_SLUGS = frozenset({"feed", "reading-list", "embed"})


class ResourceKind(models.TextChoices):
    GUIDANCE = "guidance", "Guidance"
    REPORT = "report", "Report"
    PUBLICATION = "publication", "Publication"
    FRAMEWORK = "framework", "Framework"
    STRATEGY = "strategy", "Strategy or plan"
    TOOL = "tool", "Tool"
    DATA_TOOL = "data-tool", "Data tool"
    STATISTICS = "statistics", "Statistics"
    E_LEARNING = "e-learning", "E-learning"
    COURSE = "course", "Course or training"
    WEBINAR = "webinar", "Webinar or seminar"
    PODCAST = "podcast", "Podcast"
    NETWORK = "network", "Network or community"
    COLLECTION = "collection", "Collection"
    WEBSITE = "website", "Website"
    CASE_STUDY = "case-study", "Case studies and practice examples"
    BLOG = "blog", "Blog post"
    LEGISLATION = "legislation", "Legislation"
    RESEARCH = "research", "Research article"
    SERVICE = "service", "Service"


class ResourceAccess(models.TextChoices):
    FREE = "free", "Free"
    REGISTRATION = "registration", "Free, with registration"
    NHS_LOGIN = "nhs-login", "NHS login or OpenAthens"
    PAID = "paid", "Paid"
    NOT_RECORDED = "", "Not recorded"


class ResourceFormat(models.TextChoices):
    WEB_PAGE = "web", "Web page"
    PDF = "pdf", "PDF document"
    INTERACTIVE = "interactive", "Interactive"
    AUDIO = "audio", "Audio"
    VIDEO = "video", "Video"
    NOT_RECORDED = "", "Not recorded"


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in-review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    OK = "ok", "Working"
    REDIRECTED = "redirected", "Redirected"
    NEEDS_LOGIN = "needs-login", "Needs login"
    FAILING = "failing", "Failing, not confirmed yet"
    BROKEN = "broken", "Broken"
    UNREACHABLE = "unreachable", "Unreachable"


# What a failed check finds, and the states of a link whose failure is confirmed: a resource's
# link is marked so only after failures on several days (resources.curation.link_checking), and is
# FAILING until then. A check that moves a link into one of them is "newly broken".
BROKEN_OR_UNREACHABLE = frozenset({LinkStatus.BROKEN, LinkStatus.UNREACHABLE})


# Derived for search (resources.search.index_resources); no page shows them.
SEARCH_COLUMNS = ["search_keywords", "search_text", "search_vector"]


class ResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ResourceStatus.PUBLISHED)

    def at_address(self, url):
        """Resources at this web address or cited at it, however it is written."""
        normalised = normalise_url(url)
        if not normalised:
            return self.none()
        return self.filter(
            models.Q(normalised_url=normalised)
            | models.Q(normalised_cited_urls__contains=f"\n{normalised}\n")
        )

    def for_listing(self):
        """What a result card shows: the resource and its publisher's name. Not the search
        columns, the biggest of a row, nor terms and keywords, which a card does not show."""
        return self.select_related("publisher").defer(*SEARCH_COLUMNS)

    def for_detail(self):
        """What a resource's own page and its API record show: the publisher and who carries its
        work today, terms, keywords and partners."""
        return self.select_related("publisher__succeeded_by__succeeded_by").prefetch_related(
            "terms", "keywords", "partners"
        )

    def in_order(self, ids):
        """The resources with these ids, as a list in the order given (missing ones left out)."""
        rows = self.filter(pk__in=ids).in_bulk()
        return [rows[pk] for pk in ids if pk in rows]


class Resource(models.Model):
    title = models.CharField(max_length=300)
    sort_title = models.CharField(max_length=300, blank=True, default="", editable=False)
    alternative_titles = models.TextField(
        blank=True,
        default="",
        help_text="Other titles it is known by, one per line; search finds it by these too.",
    )
    slug = models.SlugField(
        max_length=300,
        unique=True,
        blank=True,
        help_text="Filled in from the title if left empty.",
    )
    url = models.URLField(
        "web address",
        max_length=1000,
        blank=True,
        default="",
        validators=[validate_web_address],
        help_text="Where to read it: the publisher's own page of this document. Leave empty if "
        "none can be found (never guess), and say why below.",
    )
    normalised_url = models.CharField(max_length=1000, blank=True, default="", editable=False)
    cited_urls = models.TextField(
        "also cited as",
        blank=True,
        default="",
        help_text="Other web addresses it is cited at, one per line: a source's address that has "
        "moved or is mistyped, another page of the same document. Duplicate checks know them.",
    )
    # Each cited address normalised, one per line between newlines, for the duplicate checks.
    normalised_cited_urls = models.TextField(blank=True, default="", editable=False)
    kind = models.CharField(max_length=20, choices=ResourceKind, default=ResourceKind.PUBLICATION)
    summary = models.TextField(
        blank=True,
        default="",
        help_text="One to three sentences in our own words: what it is, who it is for and what it "
        "helps them do.",
    )
    publisher = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resources",
        help_text="The organisation that published it, as at publication.",
    )
    partners = models.ManyToManyField(Organisation, blank=True, related_name="partner_resources")
    authors = models.TextField(
        blank=True,
        default="",
        help_text="The people who wrote it, one per line, family name first (“Marmot, Michael”), "
        "as the publisher names them. Organisations go in publisher and partners, never here.",
    )
    year_published = models.PositiveSmallIntegerField(null=True, blank=True)
    last_updated_on = models.DateField(
        "date last updated",
        null=True,
        blank=True,
        help_text="As stated by the publisher.",
    )
    access = models.CharField(max_length=20, choices=ResourceAccess, blank=True, default="")
    format = models.CharField(max_length=20, choices=ResourceFormat, blank=True, default="")
    terms = models.ManyToManyField(Term, blank=True, related_name="resources")
    keywords = TaggableManager(
        blank=True,
        help_text="Free keywords and acronyms people search for, comma-separated.",
    )
    status = models.CharField(max_length=20, choices=ResourceStatus, default=ResourceStatus.DRAFT)
    curator_notes = models.TextField(
        blank=True,
        default="",
        help_text="For librarians only: judgement calls and sources.",
    )
    evidence = models.TextField(
        blank=True,
        default="",
        help_text="For librarians only: where each value the source pages did not give was "
        "confirmed, one page per line: its address, then what was taken from it.",
    )
    url_missing_reason = models.TextField(
        "why there is no web address",
        blank=True,
        default="",
        help_text="For librarians only: when the web address is empty, why (searched for and "
        "not found; an event with no page of its own).",
    )
    # Suggested by a member of the public through /suggest/ (resources.submissions.suggestions).
    is_suggestion = models.BooleanField(
        "suggested by the public",
        default=False,
        help_text="Came in through the public “Suggest a resource” form.",
    )
    suggested_publisher = models.CharField(
        "publisher, as suggested",
        max_length=200,
        blank=True,
        default="",
        help_text="Who the suggester said publishes it, as they typed it.",
    )
    suggested_by_email = models.EmailField(
        "suggester’s email",
        blank=True,
        default="",
        help_text="Given so we can reply about this suggestion; never shown publicly.",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    last_reviewed_at = models.DateTimeField(null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_due_on = models.DateField(null=True, blank=True)
    link_status = models.CharField(max_length=20, choices=LinkStatus, default=LinkStatus.UNCHECKED)
    link_checked_at = models.DateTimeField(null=True, blank=True)
    link_failing_days = models.PositiveSmallIntegerField(
        "days failing",
        default=0,
        help_text="On how many different days in a row the link's checks have failed (0 when it "
        "last worked).",
    )
    link_final_url = models.URLField(
        max_length=1000, blank=True, default="", help_text="Where the address redirected to."
    )
    # Derived for search by resources.search.index_resources. search_keywords: alternative titles,
    # keywords, authors, the publisher's name and acronym. search_text: term names and synonyms,
    # partners, the publisher's successors. On PostgreSQL also the weighted vector of them all.
    search_keywords = models.TextField(blank=True, default="", editable=False)
    search_text = models.TextField(blank=True, default="", editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ResourceQuerySet.as_manager()
    # Who changed what and when, restorable from the admin. Derived search data is left out.
    history = HistoricalRecords(
        m2m_fields=[terms, partners],
        excluded_fields=[
            "sort_title",
            "normalised_url",
            "normalised_cited_urls",
            *SEARCH_COLUMNS,
        ],
    )

    class Meta:
        ordering = ["sort_title"]
        permissions = [("publish_resource", "Can publish and archive resources")]
        indexes = [
            models.Index(fields=["status", "sort_title"]),
            # The admin's change list, every status, in its order (sort_title, then id), and
            # its filter by when a resource was added.
            models.Index(fields=["sort_title", "id"]),
            models.Index(fields=["created_at"]),
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["status", "year_published"]),
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["status", "access"]),
            models.Index(fields=["status", "publisher"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["normalised_url"],
                condition=~models.Q(normalised_url=""),
                name="resource_url_unique",
                violation_error_message="Another resource already has this web address.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ResourceStatus.values),
                name="resource_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ResourceKind.values),
                name="resource_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(access__in=ResourceAccess.values),
                name="resource_access_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(format__in=ResourceFormat.values),
                name="resource_format_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(link_status__in=LinkStatus.values),
                name="resource_link_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(year_published__isnull=True)
                | models.Q(year_published__gte=MIN_YEAR, year_published__lte=MAX_YEAR),
                name="resource_year_plausible",
                violation_error_message=f"Enter a year between {MIN_YEAR} and {MAX_YEAR}.",
            ),
            models.CheckConstraint(
                condition=~models.Q(slug=""),
                name="resource_slug_not_empty",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.sort_title = title_sort_key(self.title)
        self.normalise_urls()
        if not self.slug:
            self.slug = self.unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("resources:detail", args=[self.slug])

    def clean(self):
        self.normalise_urls()
        if not self.slug:
            self.slug = self.unique_slug()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": f"“{self.slug}” is the address of another page; choose another slug."}
            )
        duplicate = self.duplicate_by_url()
        if duplicate is not None:
            raise ValidationError(
                {
                    "url": format_html(
                        'This web address is already in the catalogue as “<a href="{}">{}</a>” ({}).',
                        reverse("admin:resources_resource_change", args=[duplicate.pk]),
                        duplicate.title,
                        duplicate.get_status_display().lower(),
                    )
                }
            )

    def normalise_urls(self):
        self.normalised_url = normalise_url(self.url)
        self.normalised_cited_urls = address_lines(self.cited_urls.splitlines())

    @property
    def author_names(self):
        return [line.strip() for line in self.authors.splitlines() if line.strip()]

    def duplicate_by_url(self):
        """The other resource at the same normalised web address, or cited at it, if any."""
        if not self.normalised_url:
            return None
        return Resource.objects.at_address(self.url).exclude(pk=self.pk).first()

    def unique_slug(self):
        base = slugify(self.title)[:280] or "resource"
        slug, number = base, 2
        while (
            slug in RESERVED_SLUGS
            or Resource.objects.filter(slug=slug).exclude(pk=self.pk).exists()
        ):
            slug, number = f"{base}-{number}", number + 1
        return slug
