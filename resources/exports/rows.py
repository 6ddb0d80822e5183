"""A view's resources as export rows, in the view's order, a chunk at a time: each resource
with its term names by vocabulary and its keyword names, which the writers (writers.py) and kept
copies (kept_copies/keeping.py) read.

On PostgreSQL one statement gives every row, read from a server-side cursor: the view's ordered
ids (the finder's own query), each joined laterally to its resource, publisher, term ids and
keyword names. Elsewhere (SQLite) the rows come in chunks of model instances, with one query a
chunk for the terms and one for the keywords.
"""

from dataclasses import dataclass
from itertools import chain, islice

from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from taggit.models import Tag, TaggedItem

from resources.models import Organisation, Resource, ResourceAccess, ResourceKind

CHUNK_SIZE = 500  # rows fetched at a time, and written as one piece of the response
FIRST_CHUNK_SIZE = 50  # the first is smaller, so the first row reaches the client sooner

EXPORTED_FIELDS = [
    "title",
    "slug",
    "url",
    "authors",
    "kind",
    "summary",
    "year_published",
    "access",
    "publisher__name",
]


@dataclass
class Row:
    resource: object  # a Resource, or anything with the attributes the writers read
    terms: dict  # vocabulary id -> term names, in the vocabulary's order
    keywords: list


def exportable(queryset, vocabularies):
    """The view's resources in order, a row each, with their term and keyword names."""
    return chain.from_iterable(exportable_chunks(queryset, vocabularies))


def exportable_chunks(queryset, vocabularies):
    """The same rows a list at a time, as they are read: each becomes a piece of the
    response."""
    if connections[queryset.db].vendor == "postgresql":
        return rows_from_one_statement(queryset, vocabularies)
    return rows_in_chunks(queryset, vocabularies)


def rows_in_chunks(queryset, vocabularies):
    """Two plain queries a chunk give the names: measured at 100,000 resources, prefetch_related
    spent most of an export building a tag manager and a queryset for every resource."""
    terms = terms_by_id(vocabularies)
    rows = (
        queryset.select_related(None)
        .prefetch_related(None)
        .select_related("publisher")
        .only(*EXPORTED_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    size = FIRST_CHUNK_SIZE
    while chunk := list(islice(rows, size)):
        size = CHUNK_SIZE
        ids = [resource.pk for resource in chunk]
        tagged = Resource.terms.through.objects.filter(resource__in=ids)
        by_resource = {}
        for resource_id, term_id in tagged.values_list("resource", "term").order_by():
            by_resource.setdefault(resource_id, []).append(terms[term_id])
        keywords = {}
        rows_of_keywords = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Resource), object_id__in=ids
        ).values_list("object_id", "tag__name")
        for resource_id, name in rows_of_keywords.order_by():
            keywords.setdefault(resource_id, []).append(name)
        yield [
            Row(
                resource,
                terms_by_vocabulary(by_resource.get(resource.pk, [])),
                sorted(keywords.get(resource.pk, []), key=str.lower),
            )
            for resource in chunk
        ]


def rows_from_one_statement(queryset, vocabularies):
    terms = terms_by_id(vocabularies)
    sql, params = lateral_sql(queryset, ROW_COLUMNS, [keywords_content_type()])
    for chunk in chunks_of(queryset.db, sql, params):
        yield [
            Row(
                ExportedResource(*columns),
                terms_by_vocabulary([terms[term_id] for term_id in term_ids]),
                sorted(keywords, key=str.lower),
            )
            for *columns, term_ids, keywords in chunk
        ]


# What rows_from_one_statement reads of each resource `r`, in ExportedResource's order, then its
# term ids and its keyword names.
ROW_COLUMNS = f"""
    r.id, r.slug, r.title, r.url, r.authors, r.kind, r.summary, r.year_published, r.access,
    p.name,
    ARRAY(SELECT rt.term_id FROM {Resource.terms.through._meta.db_table} rt
          WHERE rt.resource_id = r.id),
    ARRAY(SELECT tag.name FROM {TaggedItem._meta.db_table} tagged
          JOIN {Tag._meta.db_table} tag ON tag.id = tagged.tag_id
          WHERE tagged.content_type_id = %s AND tagged.object_id = r.id)
"""


def lateral_sql(queryset, columns, params, joins="", join_params=()):
    """One statement: the view's ids in the view's order, each joined laterally to `columns`
    of its resource `r` (with `p`, its publisher, and any further `joins`). The lateral
    subquery is kept apart (OFFSET 0), so PostgreSQL joins it row by row as the ids come,
    keeping their order, and a cursor's first rows come as soon as the first ids do."""
    ids_sql, ids_params = queryset.values_list("pk").query.sql_with_params()
    sql = f"""
        SELECT cells.* FROM ({ids_sql}) AS chosen(id)
        CROSS JOIN LATERAL (
            SELECT {columns}
            FROM {Resource._meta.db_table} r
            LEFT JOIN {Organisation._meta.db_table} p ON p.id = r.publisher_id
            {joins}
            WHERE r.id = chosen.id
            OFFSET 0
        ) AS cells
    """
    return sql, [*ids_params, *params, *join_params]


def chunks_of(database, sql, params):
    """The statement's rows through a server-side cursor, a list at a time: the first small, so
    it arrives quickly, then CHUNK_SIZE. The cursor is closed when the export ends or is
    abandoned (the client went away).

    The cursor lives in a transaction: outside one, Django declares it WITH HOLD, and
    PostgreSQL then runs the whole statement and keeps its result before the first row can be
    fetched. JIT compilation is off for it: the statement's estimated cost grows with the view
    and passes jit_above_cost, and compiling took half a second before the first row, for
    expressions that each take microseconds."""
    connection = connections[database]
    with transaction.atomic(using=database), connection.cursor() as settings:
        settings.execute("SET LOCAL jit = off")
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            size = FIRST_CHUNK_SIZE
            while chunk := cursor.fetchmany(size):
                yield chunk
                size = CHUNK_SIZE


def keywords_content_type():
    return ContentType.objects.get_for_model(Resource).pk


class ExportedPublisher:
    __slots__ = ["name"]

    def __init__(self, name):
        self.name = name


KIND_LABELS = dict(ResourceKind.choices)
ACCESS_LABELS = dict(ResourceAccess.choices)


class ExportedResource:
    """What the writers and kept copies read of a resource, from one row of the statement:
    a model instance would cost more to build than the row costs to write."""

    __slots__ = [
        "pk",
        "slug",
        "title",
        "url",
        "authors",
        "kind",
        "summary",
        "year_published",
        "access",
        "publisher",
    ]

    def __init__(self, pk, slug, title, url, authors, kind, summary, year, access, publisher):
        self.pk, self.slug, self.title, self.url = pk, slug, title, url
        self.authors, self.kind, self.summary = authors, kind, summary
        self.year_published, self.access = year, access
        self.publisher = ExportedPublisher(publisher) if publisher is not None else None

    @property
    def author_names(self):
        return [line.strip() for line in self.authors.splitlines() if line.strip()]

    def get_kind_display(self):
        return str(KIND_LABELS.get(self.kind, self.kind))

    def get_access_display(self):
        return str(ACCESS_LABELS.get(self.access, self.access))


def terms_by_id(vocabularies):
    return {term.pk: term for vocabulary in vocabularies for term in vocabulary.terms.all()}


def terms_by_vocabulary(terms):
    by_vocabulary = {}
    for term in sorted(terms, key=lambda term: (term.position, term.name)):
        by_vocabulary.setdefault(term.vocabulary_id, []).append(term.name)
    return by_vocabulary
