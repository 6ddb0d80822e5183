"""The synthetic catalogue generator: used to measure the site at scale, never shipped data."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from resources.models import Organisation, Resource, ResourceStatus
from resources.search import compose_search_fields
from resources.synthetic import loading
from resources.term_ids import write_term_ids

pytestmark = pytest.mark.django_db

SYNTHETIC_URL = "https://example.org/synthetic/"


@pytest.fixture
def catalogue():
    call_command("loaddata", "catalogue", verbosity=0)


def generate(*args):
    output = StringIO()
    call_command("generate_catalogue", *args, stdout=output)
    return output.getvalue()


def synthetic():
    return Resource.objects.filter(url__startswith=SYNTHETIC_URL)


def test_generate_catalogue_refuses_without_vocabularies():
    with pytest.raises(CommandError, match="load the shipped catalogue first"):
        generate("--resources", "5")
    assert not Resource.objects.exists()


def test_generate_catalogue_adds_published_tagged_resources(catalogue):
    shipped = Resource.objects.count()

    output = generate("--resources", "50", "--seed", "7", "--batch", "20")

    assert Resource.objects.count() == shipped + 50
    resources = synthetic()
    assert resources.count() == 50
    assert resources.filter(status=ResourceStatus.PUBLISHED).count() == 50
    assert not resources.filter(publisher__isnull=True).exists()
    assert not resources.filter(terms__isnull=True).exists()
    assert "50 / 50 resources" in output
    urls = list(
        Resource.objects.exclude(normalised_url="").values_list("normalised_url", flat=True)
    )
    assert len(urls) == len(set(urls))
    for resource in resources:
        assert 4 <= len(resource.title.split()) <= 14, resource.title
        assert 20 <= len(resource.summary.split()) <= 60, resource.summary
        assert resource.normalised_url == resource.url
        assert resource.slug


# Loading the catalogue is the slow part of these tests, so each later test checks several things.
def test_generate_catalogue_continues_numbering_and_deletes_only_its_own(catalogue):
    shipped = set(Resource.objects.values_list("pk", flat=True))
    organisations = Organisation.objects.count()
    generate("--resources", "30", "--seed", "3", "--organisations", "5")
    generate("--resources", "20", "--seed", "4", "--organisations", "0")
    assert synthetic().count() == 50
    assert synthetic().filter(url=f"{SYNTHETIC_URL}50").exists()
    assert Organisation.objects.count() == organisations + 5

    output = generate("--delete", "--no-input")

    assert "Deleted 50 synthetic resources" in output
    assert set(Resource.objects.values_list("pk", flat=True)) == shipped
    assert Organisation.objects.count() == organisations


def test_generate_catalogue_makes_the_same_resources_for_the_same_seed(catalogue):
    generate("--resources", "30", "--seed", "3")
    first = list(synthetic().order_by("pk").values_list("title", "summary", "kind"))
    generate("--delete", "--no-input")

    generate("--resources", "30", "--seed", "3")

    assert list(synthetic().order_by("pk").values_list("title", "summary", "kind")) == first
    generate("--delete", "--no-input")
    generate("--resources", "30", "--seed", "4")
    assert list(synthetic().values_list("title", flat=True)) != [row[0] for row in first]


def test_generated_resources_carry_the_search_data_indexing_gives(catalogue):
    generate("--resources", "40", "--seed", "5")

    rows = synthetic().order_by("pk").select_related("publisher")
    rows = rows.prefetch_related("keywords", "terms", "partners")
    assert [(resource.search_keywords, resource.search_text) for resource in rows] == [
        compose_search_fields(resource) for resource in rows
    ]
    assert all(resource.search_text for resource in rows)
    if connection.vendor == "postgresql":
        assert not synthetic().filter(search_vector__isnull=True).exists()
        assert synthetic().filter(search_vector="equity").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL keeps term ids")
def test_generated_resources_keep_the_term_ids_indexing_writes(catalogue):
    generate("--resources", "40", "--seed", "5")

    ids = list(synthetic().values_list("pk", flat=True))

    def kept():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, term_ids FROM resources_resource WHERE id = ANY(%s) ORDER BY id", [ids]
            )
            return cursor.fetchall()

    made = kept()
    assert len(made) == 40
    assert sum(len(term_ids) for _, term_ids in made) > 40
    write_term_ids(synthetic())
    assert kept() == made


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk path is PostgreSQL's")
def test_the_bulk_path_makes_the_same_catalogue_and_puts_the_indexes_back(catalogue, monkeypatch):
    def indexes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'resources_resource' "
                "ORDER BY indexname"
            )
            return cursor.fetchall()

    before = indexes()
    generate("--resources", "30", "--seed", "3", "--batch", "7")
    small = list(synthetic().order_by("pk").values_list("title", "slug", "search_text"))
    generate("--delete", "--no-input")
    monkeypatch.setattr(loading, "SET_ASIDE_FROM", 1)

    output = generate("--resources", "30", "--seed", "3", "--batch", "7")

    assert f"Set aside {len(before) - 2} indexes" in output  # all but the key and the slug's
    assert f"Built {len(before) - 2} indexes again" in output
    assert list(synthetic().order_by("pk").values_list("title", "slug", "search_text")) == small
    assert indexes() == before


def test_generate_catalogue_says_each_phase_and_the_time_in_all(catalogue):
    output = generate("--resources", "12", "--batch", "5")

    assert "5 / 12 resources" in output and "resources/s)" in output
    assert "Added 12 synthetic resources with" in output
    assert "counted the catalogue in" in output
    assert "indexed and counted, in" in output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--resources", "0"], "Say how many resources to add"),
        (["--resources", "5", "--batch", "0"], "--batch must be at least 1"),
    ],
)
def test_generate_catalogue_refuses_what_it_cannot_do(arguments, message):
    with pytest.raises(CommandError, match=message):
        generate(*arguments)
