"""Kept copies in the admin: a read-only list for staff."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from resources.kept_copies import keep_copy
from tests.factories import make_resource, make_saved_view, make_user

pytestmark = pytest.mark.django_db


def test_staff_can_list_and_read_kept_copies_but_not_change_them(client):
    make_resource(title="Kept resource")
    view = make_saved_view(name="Board paper view")
    copy = keep_copy(view, by=view.owner)
    client.force_login(make_user(is_superuser=True))

    listing = client.get(reverse("admin:resources_keptcopy_changelist"))
    assertContains(listing, "Board paper view")
    assert reverse("admin:resources_keptcopy_add") not in listing.content.decode()

    page = client.get(reverse("admin:resources_keptcopy_change", args=[copy.pk]))
    assertContains(page, "Board paper view")
    assert 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:resources_keptcopy_add")).status_code == 403
    delete = reverse("admin:resources_keptcopy_delete", args=[copy.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert view.kept_copies.count() == 1
