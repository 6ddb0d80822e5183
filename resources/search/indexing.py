"""Each resource's search data, computed from what it is tagged with and who publishes it.

What calls this, and when: docs/decisions/0012-search-indexing.md. A write through the app is
indexed once, after its transaction commits (resources/signals.py); bulk commands index
everything and then refresh the planner's statistics (`refresh_statistics`) and the kept
catalogue counts (resources/management/bulk.py).
"""

from django.contrib.postgres.search import SearchVector
from django.db import connection

from resources.caching import catalogue_changed
from resources.models import Resource
from resources.search.postgresql import CONFIG
from resources.search.spelling import keep_only_words, keep_words
from resources.search.words import ampersand_words
from resources.term_ids import write_term_ids

# A resource's own columns that its search data is made from (with its terms, keywords and
# partners): a save that writes none of them leaves the search data as it was.
SEARCHED_FIELDS = ["title", "alternative_titles", "summary", "authors", "publisher"]
BATCH_SIZE = 2000  # resources read and written at once
IDS_AT_ONCE = 500  # resource ids in one statement: well inside SQLite's limit on parameters


def compose_search_fields(resource):
    """The second- and third-weight text of a resource (see Resource.search_keywords)."""
    keywords = [
        *resource.alternative_titles.splitlines(),
        *(tag.name for tag in resource.keywords.all()),
        *resource.author_names,
    ]
    related = []
    for term in resource.terms.all():
        related += [term.name, *term.synonym_list]
    for partner in resource.partners.all():
        related += [partner.name, partner.acronym]
    publisher = resource.publisher
    if publisher is not None:
        keywords += [publisher.name, publisher.acronym]
        if publisher.current != publisher:
            related += [publisher.current.name, publisher.current.acronym]
    keywords += ampersand_words(" ".join([resource.title, *keywords]))
    related += ampersand_words(" ".join(related))
    return join_unique(keywords), join_unique(related)


def join_unique(parts):
    return " ".join(dict.fromkeys(part.strip() for part in parts if part and part.strip()))


def index_resources(queryset=None, *, pks=None):
    """Recompute the search data of `queryset`, or of the resources with `pks`, or of every
    resource when given neither; keep their words for correcting misspellings (all of them, and
    only them, when indexing every resource); then forget everything kept under the catalogue's
    version. Returns how many were indexed."""
    if pks is not None:
        pks = sorted(pks)
        parts = [
            Resource.objects.filter(pk__in=pks[start : start + IDS_AT_ONCE])
            for start in range(0, len(pks), IDS_AT_ONCE)
        ]
    else:
        parts = [Resource.objects.all() if queryset is None else queryset]
    count = sum(write_search_data(part) for part in parts)
    for part in parts:
        write_term_ids(part)  # one UPDATE a part (resources/term_ids.py)
    if queryset is None and pks is None:
        keep_only_words(Resource.objects.all())
    else:
        for part in parts:
            keep_words(part)
    catalogue_changed()
    return count


def write_search_data(queryset):
    rows = queryset.order_by("pk").select_related("publisher__succeeded_by__succeeded_by")
    rows = rows.prefetch_related("keywords", "terms", "partners")
    count, last_pk = 0, 0
    while batch := list(rows.filter(pk__gt=last_pk)[:BATCH_SIZE]):
        last_pk = batch[-1].pk
        for resource in batch:
            resource.search_keywords, resource.search_text = compose_search_fields(resource)
        Resource.objects.bulk_update(batch, ["search_keywords", "search_text"])
        if connection.vendor == "postgresql":
            Resource.objects.filter(pk__in=[resource.pk for resource in batch]).update(
                search_vector=SearchVector("title", weight="A", config=CONFIG)
                + SearchVector("search_keywords", weight="B", config=CONFIG)
                + SearchVector("search_text", weight="C", config=CONFIG)
                + SearchVector("summary", weight="D", config=CONFIG)
            )
        count += len(batch)
    return count


def refresh_statistics():
    """Fresh planner statistics for the resources after a bulk load (PostgreSQL): with stale
    ones the planner turned a search into a nested loop that took a second on 220 rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Resource._meta.db_table}")
