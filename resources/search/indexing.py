"""Each resource's search data, computed from what it is tagged with and who publishes it.

What calls this, and when: docs/decisions/0012-search-indexing.md. A write through the app is
indexed once, after its transaction commits (resources/signals.py); bulk commands index
everything and then refresh the planner's statistics (`refresh_statistics`) and the kept
catalogue counts (resources/management/bulk.py). Indexing many resources reads them set-wise
(resources/search/sources.py) and writes each batch with one statement
(docs/decisions/0024-building-at-scale.md).
"""

from django.db import connection

from resources.caching import catalogue_changed
from resources.models import Resource
from resources.search.postgresql import CONFIG
from resources.search.sources import SetWiseReader, source_of
from resources.search.spelling import keep_only_words, keep_words
from resources.search.words import ampersand_words
from resources.term_ids import write_term_ids

# A resource's own columns that its search data is made from (with its terms, keywords and
# partners): a save that writes none of them leaves the search data as it was.
SEARCHED_FIELDS = ["title", "alternative_titles", "summary", "authors", "publisher"]
BATCH_SIZE = 2000  # resources read and written at once, as model instances
SET_WISE_BATCH_SIZE = 5000  # the same, set-wise on PostgreSQL
IDS_AT_ONCE = 500  # resource ids in one statement: well inside SQLite's limit on parameters
ROWS_PER_UPDATE = 5000  # 3 parameters each: inside both databases' limits on parameters


def compose_search_fields(resource):
    """The second- and third-weight text of a saved resource (see Resource.search_keywords)."""
    return compose(source_of(resource))


def compose(source):
    """The second- and third-weight text of a SearchSource. Keywords go in name order: taggit
    gives them in no order, and the same resource must always get the same text."""
    keywords = [*source.alternative_titles, *sorted(source.keywords), *source.authors]
    related = []
    for name, synonyms in source.terms:
        related += [name, *synonyms]
    for partner in source.partners:
        related += partner
    if source.publisher is not None:
        keywords += source.publisher
    if source.successor is not None:
        related += source.successor
    keywords += ampersand_words(" ".join([source.title, *keywords]))
    related += ampersand_words(" ".join(related))
    return join_unique(keywords), join_unique(related)


def join_unique(parts):
    return " ".join(dict.fromkeys(part.strip() for part in parts if part and part.strip()))


def index_resources(queryset=None, *, pks=None):
    """Recompute the search data of `queryset`, or of the resources with `pks`, or of every
    resource when given neither; keep their words for correcting misspellings (all of them, and
    only them, when indexing every resource); then forget everything kept under the catalogue's
    version. Returns how many were indexed.

    The resources named by `pks` (a write through the app: a few) are read as model instances;
    a queryset or the whole catalogue (a bulk command: up to millions) set-wise."""
    if pks is not None:
        pks = sorted(pks)
        parts = [
            Resource.objects.filter(pk__in=pks[start : start + IDS_AT_ONCE])
            for start in range(0, len(pks), IDS_AT_ONCE)
        ]
        count = sum(write_search_data(part) for part in parts)
    else:
        parts = [Resource.objects.all() if queryset is None else queryset]
        count = write_search_data_set_wise(parts[0])
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
    """Index a few resources, read with their publisher and prefetched links."""
    rows = queryset.order_by("pk").select_related("publisher__succeeded_by__succeeded_by")
    rows = rows.prefetch_related("keywords", "terms", "partners")
    count, last_pk = 0, 0
    while batch := list(rows.filter(pk__gt=last_pk)[:BATCH_SIZE]):
        last_pk = batch[-1].pk
        write_rows([(resource.pk, *compose(source_of(resource))) for resource in batch])
        count += len(batch)
    return count


def write_search_data_set_wise(queryset):
    """Index many resources, read set-wise a batch at a time."""
    reader = SetWiseReader()
    size = SET_WISE_BATCH_SIZE if connection.vendor == "postgresql" else IDS_AT_ONCE
    count = 0
    for sources in reader.batches(queryset, size):
        write_rows([(source.pk, *compose(source)) for source in sources])
        count += len(sources)
    return count


def write_rows(rows):
    """Write (id, search_keywords, search_text) rows with one UPDATE for each ROWS_PER_UPDATE
    (VALUES names its columns column1, column2… on both databases); on PostgreSQL the same
    statement computes the weighted vector, as SearchVector(…, weight=…) would."""
    table = connection.ops.quote_name(Resource._meta.db_table)
    vector = ""
    if connection.vendor == "postgresql":
        columns = [f"{table}.title", "indexed.column2", "indexed.column3", f"{table}.summary"]
        vector = f", search_vector = {weighted_vector(*columns)}"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_UPDATE):
            part = rows[start : start + ROWS_PER_UPDATE]
            values = ", ".join(["(%s, %s, %s)"] * len(part))
            cursor.execute(
                f"UPDATE {table} SET search_keywords = indexed.column2, "
                f"search_text = indexed.column3{vector} FROM (VALUES {values}) AS indexed "
                f"WHERE {table}.id = indexed.column1",
                [value for row in part for value in row],
            )


def weighted_vector(title, keywords, text, summary):
    """SQL for the search vector of the named columns, as SearchVector(…, weight=…) + … gives."""
    return " || ".join(
        f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE({column}, '')), '{weight}')"
        for column, weight in zip([title, keywords, text, summary], "ABCD", strict=True)
    )


def refresh_statistics():
    """Fresh planner statistics for the resources after a bulk load (PostgreSQL): with stale
    ones the planner turned a search into a nested loop that took a second on 220 rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Resource._meta.db_table}")
