"""Counts cached by the catalogue's version, which lives in the database that every process and
server shares (resources/caching.py, docs/decisions/0018-several-servers.md)."""

import pytest
from django.db.models import F
from django.urls import reverse
from pytest_django.asserts import assertContains

from resources.caching import catalogue_changed, catalogue_version
from resources.models import CatalogueVersion, Resource, ResourceStatus
from tests.factories import make_resource

pytestmark = pytest.mark.django_db

FINDER = reverse("resources:list")


def another_process_publishes(resource):
    """What a curator's publish through another server leaves behind here: the row and the
    version changed in the database, nothing in this process's own cache or memory."""
    Resource.objects.filter(pk=resource.pk).update(status=ResourceStatus.PUBLISHED)
    CatalogueVersion.objects.update(number=F("number") + 1)


def test_a_change_made_through_another_process_is_seen_on_the_next_request(client):
    make_resource(title="Health equity audit")
    draft = make_resource(title="Health equity toolkit", status=ResourceStatus.DRAFT)
    assertContains(client.get(FINDER + "?q=health+equity"), "1 resource")
    another_process_publishes(draft)
    response = client.get(FINDER + "?q=health+equity")
    assertContains(response, "2 resources")
    assertContains(response, "Health equity toolkit")


def test_the_version_only_rises_and_is_not_reused_after_the_row_is_lost():
    catalogue_changed()
    first = catalogue_version()
    catalogue_changed()
    assert catalogue_version() > first
    # A database recreated (or restored from an older backup) starts again above every number
    # the old one used, so counts a shared cache kept for those numbers are never read again.
    latest = catalogue_version()
    CatalogueVersion.objects.all().delete()
    catalogue_changed()
    assert catalogue_version() > latest


def test_outside_a_request_the_version_is_read_each_time():
    catalogue_changed()
    before = catalogue_version()
    CatalogueVersion.objects.update(number=F("number") + 1)
    assert catalogue_version() == before + 1
