import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from resources.models import Organisation, Resource
from tests.factories import make_organisation, make_resource

pytestmark = pytest.mark.django_db


def refused(save):
    with pytest.raises(IntegrityError), transaction.atomic():
        save()


def test_database_refuses_a_second_resource_with_the_same_normalised_url():
    make_resource(url="https://www.gov.uk/guidance/heat")
    refused(lambda: make_resource(url="HTTP://WWW.GOV.UK/guidance/heat/?utm_source=x"))


def test_database_allows_many_resources_without_a_url():
    make_resource(url="")
    make_resource(url="")
    assert Resource.objects.filter(url="").count() == 2


@pytest.mark.parametrize(
    "field, value",
    [
        ("status", "deleted"),
        ("kind", "novel"),
        ("access", "sometimes"),
        ("format", "scroll"),
        ("link_status", "fine"),
        ("year_published", 202),
        ("year_published", 3000),
    ],
)
def test_database_refuses_an_invalid_value(field, value):
    resource = make_resource()
    setattr(resource, field, value)
    refused(resource.save)


def test_database_refuses_a_duplicate_slug():
    make_resource(slug="heat")
    refused(lambda: make_resource(slug="heat"))


def test_slug_is_made_unique_from_the_title():
    first = make_resource(title="Health equity audit", slug="")
    second = make_resource(title="Health equity audit", slug="")
    assert (first.slug, second.slug) == ("health-equity-audit", "health-equity-audit-2")


def test_librarian_entering_a_duplicate_url_is_told_which_resource_has_it():
    existing = make_resource(title="Health Equity Assessment Tool", url="https://www.gov.uk/heat")
    duplicate = Resource(title="HEAT again", url="https://www.gov.uk/heat/#top")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    message = " ".join(error.value.message_dict["url"])
    assert "Health Equity Assessment Tool" in message
    assert f"/admin/resources/resource/{existing.pk}/change/" in message


def test_duplicate_url_message_escapes_the_other_title():
    make_resource(title="<script>alert(1)</script>", url="https://www.gov.uk/heat")
    with pytest.raises(ValidationError) as error:
        Resource(title="Again", url="https://www.gov.uk/heat").full_clean()
    message = " ".join(error.value.message_dict["url"])
    assert "<script>" not in message
    assert "&lt;script&gt;" in message


def test_database_refuses_an_organisation_that_succeeds_itself():
    organisation = make_organisation()
    organisation.succeeded_by = organisation
    refused(organisation.save)


def test_database_refuses_a_succession_date_without_a_successor():
    refused(lambda: make_organisation(succeeded_on="2021-10-01"))


def test_organisation_cycle_is_refused_in_forms():
    first = make_organisation()
    second = make_organisation(succeeded_by=first)
    first.succeeded_by = second
    with pytest.raises(ValidationError, match="its own successor"):
        first.full_clean()


def test_current_owner_follows_the_lineage():
    nhs_england = make_organisation(name="NHS England")
    nhsei = make_organisation(name="NHS England and NHS Improvement", succeeded_by=nhs_england)
    improvement = make_organisation(name="NHS Improvement", succeeded_by=nhsei)
    assert improvement.current == nhs_england
    assert nhs_england.current == nhs_england


def test_database_refuses_a_duplicate_organisation_name():
    make_organisation(name="The King's Fund")
    refused(lambda: Organisation.objects.create(name="The King's Fund", slug="other"))
