"""How complete the published records are, and which ones fall short.

A record is complete when it has a working web address (or says why it has none), a summary, a
year, a publisher and terms in the vocabularies every resource must have. The same measures run
on a database (`manage.py catalogue_completeness`) and on the shipped catalogue as it is built
(`manage.py build_catalogue --check`), which fails below the floors.
"""

from dataclasses import dataclass, field

from resources.models import Resource

REQUIRED_VOCABULARIES = ["domain", "audience", "characteristic"]

# The least share of published records that must have each part (build_catalogue --check). The
# web address floor is what the shipped catalogue reached without guessing (docs/catalogue.md).
FLOORS = {
    "summary": 1.0,
    "web address": 0.85,
    "reason for no web address": 1.0,
    **{f"terms: {slug}": 1.0 for slug in REQUIRED_VOCABULARIES},
}


@dataclass
class Record:
    """What completeness looks at in one published resource."""

    slug: str
    title: str
    url: str = ""
    url_missing_reason: str = ""
    summary: str = ""
    year: int | None = None
    has_publisher: bool = False
    authors: str = ""
    evidence: str = ""
    vocabularies: set = field(default_factory=set)


@dataclass
class Measure:
    name: str
    total: int
    missing: list = field(default_factory=list)

    @property
    def share(self):
        return 1.0 if not self.total else (self.total - len(self.missing)) / self.total

    @property
    def floor(self):
        return FLOORS.get(self.name)

    @property
    def is_below_floor(self):
        return self.floor is not None and self.share < self.floor


def measure(records, vocabularies):
    """One Measure per part of a record, in the order a curator reads them."""
    without_url = [record for record in records if not record.url]
    parts = [
        ("web address", records, lambda record: record.url),
        ("reason for no web address", without_url, lambda record: record.url_missing_reason),
        ("summary", records, lambda record: record.summary),
        ("year", records, lambda record: record.year),
        ("publisher", records, lambda record: record.has_publisher),
        ("authors", records, lambda record: record.authors),
        ("evidence", records, lambda record: record.evidence),
    ]
    parts += [
        (f"terms: {slug}", records, lambda record, slug=slug: slug in record.vocabularies)
        for slug in vocabularies
    ]
    return [
        Measure(name, len(rows), [record for record in rows if not has(record)])
        for name, rows, has in parts
    ]


def below_floors(measures):
    return [measure for measure in measures if measure.is_below_floor]


def records_in_database():
    """The published resources of this database, as completeness sees them."""
    published = Resource.objects.published()
    vocabularies = {}
    for resource_id, slug in Resource.terms.through.objects.filter(
        resource__in=published
    ).values_list("resource_id", "term__vocabulary__slug"):
        vocabularies.setdefault(resource_id, set()).add(slug)
    columns = ["pk", "slug", "title", "url", "url_missing_reason", "summary", "year_published"]
    columns += ["publisher_id", "authors", "evidence"]
    return [
        Record(
            slug=row["slug"],
            title=row["title"],
            url=row["url"],
            url_missing_reason=row["url_missing_reason"],
            summary=row["summary"],
            year=row["year_published"],
            has_publisher=row["publisher_id"] is not None,
            authors=row["authors"],
            evidence=row["evidence"],
            vocabularies=vocabularies.get(row["pk"], set()),
        )
        for row in published.order_by("title").values(*columns)
    ]
