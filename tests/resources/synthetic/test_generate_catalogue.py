"""The synthetic catalogue generator: used to measure the site at scale, never shipped data."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from resources.models import Organisation, Resource, ResourceStatus

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
