"""Putting synthetic rows into the database and taking them out again.

Rows go in with COPY on PostgreSQL (resources/synthetic/bulk_load.py) and bulk_create elsewhere,
which skip Resource.save() and the search signals: the slug and `normalised_url` are filled in by
the generator, and the new rows are indexed for search and the catalogue recounted at the end. They are recognisable by their web address (https://example.org/synthetic/<n>), which is
how `delete` finds them."""

import time
from contextlib import contextmanager
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from resources.caching import catalogue_changed
from resources.management.bulk import recount
from resources.models import Organisation, Resource
from resources.search import indexing
from resources.search.sources import SetWiseReader
from resources.search.spelling import keep_words
from resources.synthetic.bulk_load import (
    SET_ASIDE_FROM,
    copy_resources,
    copy_rows,
    indexes_set_aside,
    made_in_background,
    vacuum_resources,
)
from resources.synthetic.generator import (
    SYNTHETIC_ORGANISATION_URL,
    SYNTHETIC_URL,
    CatalogueGenerator,
)
from resources.synthetic.words import KEYWORDS
from resources.term_ids import broader_terms, term_ids_of
from taxonomy.models import vocabularies_with_terms


class CannotGenerate(Exception):
    """The database lacks what synthetic rows are made from; the message says what to do."""


def generate(*, count, organisations, seed, batch, say):
    """Add `count` synthetic resources (and up to `organisations` organisations), `batch` rows
    per insert, each with its search data, telling `say(message, success=False)` how it goes;
    then keep their words for spelling, vacuum (PostgreSQL) and count the catalogue."""
    vocabularies = vocabularies_with_terms()
    if not vocabularies:
        raise CannotGenerate(
            "There are no vocabularies to tag resources with: load the shipped catalogue "
            "first (`manage.py load_catalogue`), then run this again."
        )
    if not any(vocabulary.terms.all() for vocabulary in vocabularies):
        raise CannotGenerate(
            "The vocabularies have no terms: load the shipped catalogue first "
            "(`manage.py load_catalogue`)."
        )
    started = time.perf_counter()
    generator = CatalogueGenerator(seed=seed, vocabularies=vocabularies)
    new_organisations = add_organisations(generator, organisations)
    publishers = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    if not publishers:
        raise CannotGenerate(
            "There are no organisations to publish resources: add some with "
            "--organisations or load the shipped catalogue first."
        )
    generator.set_publishers(publishers)
    last_pk = Resource.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic(), indexes_set_aside(say=say, enabled=count >= SET_ASIDE_FROM):
        add_resources(generator, count=count, batch=batch, say=say)
    # As index_resources ends: the new rows carry their search data already.
    phase = time.perf_counter()
    keep_words(Resource.objects.filter(pk__gt=last_pk, url__startswith=SYNTHETIC_URL))
    catalogue_changed()
    say(f"Kept the new resources' words for spelling in {time.perf_counter() - phase:.1f} s.")
    phase = time.perf_counter()
    vacuumed = vacuum_resources()
    recount()
    say(
        f"{'Vacuumed the resources, refreshed' if vacuumed else 'Refreshed'} the planner's "
        f"statistics and counted the catalogue in {time.perf_counter() - phase:.1f} s.",
        success=True,
    )
    say(
        f"Added {count:,} resources and {new_organisations:,} organisations, indexed and "
        f"counted, in {time.perf_counter() - started:.1f} s in all.",
        success=True,
    )


def add_resources(generator, *, count, batch, say):
    """Make and insert `count` resources, `batch` at a time, with their search data. On
    PostgreSQL a second process makes each batch while this one writes the one before."""
    started = time.perf_counter()
    tags = keyword_tags()
    content_type = ContentType.objects.get_for_model(Resource)
    broader = broader_terms()
    batches = partial(
        made_batches,
        generator,
        count=count,
        batch=batch,
        first_number=next_synthetic_number(),
        taken_slugs=set(Resource.objects.values_list("slug", flat=True)),
        reader=SetWiseReader(),
        now=timezone.now(),
    )
    if connection.vendor == "postgresql" and count >= SET_ASIDE_FROM:
        batches = made_in_background(batches)
    else:
        batches = batches()
    made = {"resources": 0, "terms": 0, "keywords": 0, "partners": 0}
    for records in batches:
        insert(records, tags=tags, content_type=content_type, broader=broader, made=made)
        elapsed = time.perf_counter() - started
        say(
            f"{made['resources']:,} / {count:,} resources ({elapsed:.1f} s, "
            f"{made['resources'] / elapsed:,.0f} resources/s)"
        )
    elapsed = time.perf_counter() - started
    say(
        f"Added {made['resources']:,} synthetic resources with "
        f"{made['terms']:,} term links, {made['keywords']:,} keywords and "
        f"{made['partners']:,} partners, with their search data, in {elapsed:.1f} s "
        f"({made['resources'] / elapsed:,.0f} resources/s).",
        success=True,
    )


def made_batches(generator, *, count, batch, first_number, taken_slugs, reader, now):
    """Lists of `batch` generated records (the last one shorter), each resource with a slug no
    other has and its search data composed from the names `reader` (a SetWiseReader) knows."""
    for start in range(0, count, batch):
        records = []
        for number in range(first_number + start, first_number + min(start + batch, count)):
            record = generator.resource(number, now=now)
            resource = record["resource"]
            if resource.slug in taken_slugs:
                resource.slug = f"{resource.slug}-{number}"
            taken_slugs.add(resource.slug)
            row = (
                None,
                resource.title,
                resource.alternative_titles,
                resource.authors,
                resource.publisher_id,
            )
            source = reader.source(
                row,
                [reader.terms[pk] for pk in record["terms"]],
                record["keywords"],
                [reader.organisations[pk] for pk in record["partners"]],
            )
            resource.search_keywords, resource.search_text = indexing.compose(source)
            records.append(record)
        yield records


def add_organisations(generator, number):
    if number < 1:
        return 0
    names = {name.lower() for name in Organisation.objects.values_list("name", flat=True)}
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    new = []
    for organisation in generator.organisations(number):
        if organisation.name.lower() in names:
            continue  # made by an earlier run with the same seed: reuse it
        while organisation.slug in slugs:
            organisation.slug = f"{organisation.slug}-x"
        names.add(organisation.name.lower())
        slugs.add(organisation.slug)
        new.append(organisation)
    # bulk_create skips post_save, so no search reindex runs for organisations with no resources.
    Organisation.objects.bulk_create(new, batch_size=1000)
    return len(new)


@transaction.atomic
def insert(records, *, tags, content_type, broader, made):
    """Write one batch of generated records: with COPY on PostgreSQL, bulk_create elsewhere.
    `broader` (resources.term_ids.broader_terms) gives the term ids to keep on each row."""
    resources = [record["resource"] for record in records]
    if connection.vendor == "postgresql":
        copy_resources(resources, [term_ids_of(record["terms"], broader) for record in records])
    else:
        with explicit_timestamps(Resource, "created_at", "updated_at"):
            Resource.objects.bulk_create(resources)
    pks = [resource.pk for resource in resources]
    if None in pks:
        raise CannotGenerate(
            "This database does not return the ids of bulk-inserted rows; use PostgreSQL "
            "or SQLite 3.35 or later."
        )
    links = {
        Resource.terms.through: [
            (record["resource"].pk, term_pk) for record in records for term_pk in record["terms"]
        ],
        Resource.partners.through: [
            (record["resource"].pk, pk) for record in records for pk in record["partners"]
        ],
        TaggedItem: [
            (tags[keyword], content_type.pk, record["resource"].pk)
            for record in records
            for keyword in record["keywords"]
        ],
    }
    for model, rows in links.items():
        insert_links(model, rows)
    made["resources"] += len(resources)
    made["terms"] += len(links[Resource.terms.through])
    made["partners"] += len(links[Resource.partners.through])
    made["keywords"] += len(links[TaggedItem])


# The columns of each link table that insert() fills, in the order of its tuples.
LINK_COLUMNS = {
    "resources_resource_terms": ["resource_id", "term_id"],
    "resources_resource_partners": ["resource_id", "organisation_id"],
    "taggit_taggeditem": ["tag_id", "content_type_id", "object_id"],
}


def insert_links(model, rows):
    columns = LINK_COLUMNS[model._meta.db_table]
    if connection.vendor == "postgresql":
        copy_rows(model._meta.db_table, columns, rows)
    else:
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=10000
        )


def synthetic_rows():
    """The synthetic resources and the synthetic organisations, as querysets."""
    return (
        Resource.objects.filter(url__startswith=SYNTHETIC_URL),
        Organisation.objects.filter(website__startswith=SYNTHETIC_ORGANISATION_URL),
    )


@transaction.atomic
def delete():
    """Delete every synthetic resource, and the synthetic organisations no other resource uses.
    Returns how many resources and organisations went."""
    resources, organisations = synthetic_rows()
    count = resources.count()
    ids = resources.values("pk")
    # Delete the link rows in single statements first, so the resources' own delete
    # has nothing left to gather row by row.
    TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Resource),
        object_id__in=ids,
    ).delete()
    Resource.terms.through.objects.filter(resource_id__in=ids).delete()
    Resource.partners.through.objects.filter(resource_id__in=ids).delete()
    resources.delete()
    deleted_organisations, _ = organisations.filter(
        resources__isnull=True, partner_resources__isnull=True
    ).delete()
    return count, deleted_organisations


def next_synthetic_number():
    """One more than the highest <n> in the synthetic web addresses already present."""
    highest = 0
    for url in Resource.objects.filter(url__startswith=SYNTHETIC_URL).values_list("url", flat=True):
        tail = url.removeprefix(SYNTHETIC_URL).split("/")[0]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return highest + 1


def keyword_tags():
    """Tag ids for every keyword, creating the tags that do not exist yet."""
    tags = {}
    for name in KEYWORDS:
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = Tag(name=name)
            tag.save()  # taggit makes a unique slug
        tags[name] = tag.pk
    return tags


@contextmanager
def explicit_timestamps(model, *names):
    """Let bulk_create write the given auto_now/auto_now_add fields as set on the instances.

    Spreading created_at over three years with an UPDATE afterwards would need one statement
    per row (or a CASE per batch), which is the slow part at 100,000 rows; switching the
    fields' automatic stamping off around the insert costs nothing. Only this module does it.
    """
    fields = [model._meta.get_field(name) for name in names]
    saved = [(field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add
