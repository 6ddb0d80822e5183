"""Coverage: for each vocabulary, its terms by type of resource, counting published resources.

A curator reads it for gaps (no e-learning about disability). Counts follow the finder's rules,
so a broader term counts the resources of its narrower terms too, and each count links to the
finder view that lists those resources. The counts are kept per catalogue version, so a visit
reads them with one query; a constant number of queries, whatever the catalogue's size: see
tests/resources/curation/test_coverage.py.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Q

from resources.caching import keep, kept
from resources.models import Resource, ResourceKind, ResourceStatus
from taxonomy.models import Vocabulary, narrower_sets, tree_order, vocabularies_with_terms


@dataclass
class Cell:
    count: int
    query: str = ""  # the finder's query string for these resources; "" for no link
    kind_label: str = ""


@dataclass
class Row:
    label: str
    depth: int
    cells: list
    total: Cell
    term: object = None  # None for the row of resources with no term in the vocabulary


@dataclass
class Table:
    vocabulary: Vocabulary
    rows: list = field(default_factory=list)

    @property
    def gaps(self):
        return sum(1 for row in self.rows if row.term for cell in row.cells if not cell.count)


@dataclass
class Coverage:
    kinds: list  # (value, label) of the types with at least one published resource
    missing_kinds: list  # labels of the types with none, which get no column
    total: int
    tables: list


COVERAGE_COUNTS = "coverage-counts"


def count_coverage():
    """The coverage page's counts, as JSON: published resources of each type ("kinds"); of each
    term (or a narrower one) and type ("terms", keyed "term id:type"); and of each vocabulary
    with any of its terms and type ("classified", keyed "vocabulary id:type")."""
    published = Resource.objects.published()
    kind_totals = {
        row["kind"]: row["count"]
        for row in published.values("kind").annotate(count=Count("pk")).order_by()
    }
    tagged = Resource.terms.through.objects.filter(resource__status=ResourceStatus.PUBLISHED)
    counts = {}  # "term id:kind" → published resources tagged with the term or a narrower one
    classified = {}
    vocabularies = vocabularies_with_terms()
    if vocabularies and kind_totals:
        for row in tagged.values("term", "resource__kind").annotate(count=Count("pk")).order_by():
            counts[f"{row['term']}:{row['resource__kind']}"] = row["count"]
        broader = {}
        for vocabulary in vocabularies:
            for pk, narrower in narrower_sets(vocabulary.terms.all()).items():
                if len(narrower) > 1:
                    broader[pk] = narrower
        if broader:  # one query counts every broader term, each resource once
            aggregates = {
                f"term_{pk}": Count("resource", distinct=True, filter=Q(term__in=ids))
                for pk, ids in broader.items()
            }
            rows = tagged.values("resource__kind").annotate(**aggregates).order_by()
            for row in rows:
                for pk in broader:
                    counts[f"{pk}:{row['resource__kind']}"] = row[f"term_{pk}"]
        classified = {
            f"{row['term__vocabulary']}:{row['resource__kind']}": row["count"]
            for row in tagged.values("term__vocabulary", "resource__kind")
            .annotate(count=Count("resource", distinct=True))
            .order_by()
        }
    return {"kinds": kind_totals, "terms": counts, "classified": classified}


def keep_coverage():
    """Count coverage now (after a bulk load), so no curator waits for it."""
    keep(COVERAGE_COUNTS, count_coverage)


def coverage():
    """The coverage tables, their counts kept per catalogue version (resources.caching.kept):
    counting every published term link took 1.8 s at 100,000 resources, on every visit."""
    counted = kept(COVERAGE_COUNTS, count_coverage)
    kind_totals, counts = counted["kinds"], counted["terms"]
    kinds = [(value, str(label)) for value, label in ResourceKind.choices if kind_totals.get(value)]
    missing = [str(label) for value, label in ResourceKind.choices if not kind_totals.get(value)]
    vocabularies = vocabularies_with_terms()

    tables = []
    for vocabulary in vocabularies if kinds else []:
        table = Table(vocabulary)
        for term, depth in tree_order(list(vocabulary.terms.all())):
            cells = [
                Cell(
                    counts.get(f"{term.pk}:{value}", 0),
                    urlencode([(vocabulary.slug, term.slug), ("kind", value)]),
                    label,
                )
                for value, label in kinds
            ]
            total = Cell(
                sum(cell.count for cell in cells), urlencode([(vocabulary.slug, term.slug)])
            )
            table.rows.append(Row(term.name, depth, cells, total, term))
        unclassified = [
            Cell(
                kind_totals[value] - counted["classified"].get(f"{vocabulary.pk}:{value}", 0),
                "",
                label,
            )
            for value, label in kinds
        ]
        table.rows.append(
            Row(
                f"No {vocabulary.name.lower()} term",
                0,
                unclassified,
                Cell(sum(cell.count for cell in unclassified)),
            )
        )
        tables.append(table)
    return Coverage(kinds, missing, sum(kind_totals.values()), tables)
