from importlib import import_module

import pytest
from django.apps import apps

from resources.models import Resource
from resources.url_normalisation import normalise_url
from tests.factories import make_resource


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Gov.UK/guidance/x", "https://gov.uk/guidance/x"),
        ("http://www.gov.uk/guidance/x", "https://gov.uk/guidance/x"),
        ("https://www.gov.uk/guidance/x/", "https://gov.uk/guidance/x"),
        ("https://www.gov.uk/", "https://gov.uk"),
        ("https://www.gov.uk:443/x", "https://gov.uk/x"),
        ("https://www.gov.uk:8443/x", "https://gov.uk:8443/x"),
        ("https://www.gov.uk/x#section", "https://gov.uk/x"),
        # With or without www. is one address; other subdomains are other sites.
        ("http://england.nhs.uk/long-read/x/", "https://england.nhs.uk/long-read/x"),
        ("https://www.england.nhs.uk/long-read/x", "https://england.nhs.uk/long-read/x"),
        ("https://www2.example.org/x", "https://www2.example.org/x"),
        ("https://fingertips.phe.org.uk/x", "https://fingertips.phe.org.uk/x"),
        ("https://www.com/x", "https://www.com/x"),
        ("https://wwwexample.org/x", "https://wwwexample.org/x"),
        (
            "https://a.org/x?utm_source=news&utm_medium=email&id=3",
            "https://a.org/x?id=3",
        ),
        ("https://a.org/x?gclid=CjwKCAjwi8&fbclid=1", "https://a.org/x"),
        ("https://a.org/Case/Sensitive?Q=1", "https://a.org/Case/Sensitive?Q=1"),
        ("  https://a.org/x  ", "https://a.org/x"),
        ("", ""),
        ("not a url", ""),
        ("https://[broken/x", ""),
    ],
)
def test_normalise_url(url, expected):
    assert normalise_url(url) == expected


def migration():
    return import_module("resources.migrations.0016_normalise_urls_without_www")


@pytest.mark.django_db
def test_the_migration_normalises_the_addresses_already_stored_by_the_new_rule():
    resource = make_resource(
        url="https://www.england.nhs.uk/core20plus5/",
        cited_urls="http://www.england.nhs.uk/core20plus5-adults",
    )
    Resource.objects.filter(pk=resource.pk).update(
        normalised_url="https://www.england.nhs.uk/core20plus5",
        normalised_cited_urls="\nhttps://www.england.nhs.uk/core20plus5-adults\n",
    )
    migration().renormalise(apps, None)
    resource.refresh_from_db()
    assert resource.normalised_url == "https://england.nhs.uk/core20plus5"
    assert resource.normalised_cited_urls == "\nhttps://england.nhs.uk/core20plus5-adults\n"
    assert list(Resource.objects.at_address("http://england.nhs.uk/core20plus5")) == [resource]


@pytest.mark.django_db
def test_the_migration_stops_naming_two_resources_that_turn_out_to_share_an_address():
    make_resource(slug="core20plus5", url="https://www.england.nhs.uk/core20plus5/")
    other = make_resource(slug="core20plus5-again", url="https://example.org/placeholder")
    Resource.objects.filter(pk=other.pk).update(url="http://england.nhs.uk/core20plus5")
    with pytest.raises(RuntimeError, match="core20plus5 .* and core20plus5-again"):
        migration().renormalise(apps, None)
