"""Curators in the admin, in a real browser: reverting a shipped resource to its first version
from its History, and two curators saving the same organisation from two browsers."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from resources.models import Organisation, Resource
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@dataclass(frozen=True)
class Curated:
    editor: str
    librarian: str
    resource_title: str
    resource_url: str
    resource_admin_url: str
    organisation_admin_url: str


@pytest.fixture
def curated(catalogue):
    """Two curators and the pages they work on. Made before the browser starts: Django refuses
    database work while Playwright runs."""
    resource = Resource.objects.get(title=catalogue.resource.heading)
    organisation = Organisation.objects.get(name=catalogue.organisation.heading)
    return Curated(
        editor=make_user(groups=["Editor"]).username,
        librarian=make_user(groups=["Librarian"]).username,
        resource_title=resource.title,
        resource_url=resource.get_absolute_url(),
        resource_admin_url=reverse("admin:resources_resource_change", args=[resource.pk]),
        organisation_admin_url=reverse(
            "admin:resources_organisation_change", args=[organisation.pk]
        ),
    )


def sign_in_to_the_admin(page, username):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def save(page, name="Save"):
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).first.click()


def test_a_curator_reverts_a_shipped_resource_to_its_first_version(curated, new_page):
    page = new_page()
    sign_in_to_the_admin(page, curated.editor)
    page.goto(curated.resource_admin_url)
    page.get_by_label("Title:").fill("A mistaken title")
    save(page)
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    page.goto(curated.resource_admin_url)
    page.get_by_role("link", name="History").click()
    versions = page.locator("#change-history tbody tr")
    assert "Loaded from the shipped catalogue" in versions.last.inner_text()
    versions.last.get_by_role("link").click()
    assert page.get_by_label("Title:").input_value() == curated.resource_title
    save(page, "Revert")
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    page.goto(curated.resource_admin_url)
    assert page.get_by_label("Title:").input_value() == curated.resource_title
    page.goto(curated.resource_url)
    assert page.locator("h1").inner_text() == curated.resource_title


def test_two_curators_saving_one_organisation_lose_nothing(curated, new_page):
    first, second = new_page(), new_page()
    sign_in_to_the_admin(first, curated.editor)
    sign_in_to_the_admin(second, curated.librarian)
    first.goto(curated.organisation_admin_url)
    second.goto(curated.organisation_admin_url)
    description = first.get_by_label("Description:").input_value()

    first.get_by_label("Description:").fill("Its work passed on in 2021.")
    save(first)
    assert "was changed successfully" in first.locator(".messagelist").inner_text()

    second.get_by_label("Acronym:").fill("XYZ")
    save(second)
    refusal = second.locator(".errornote, .errorlist.nonfield").all_inner_texts()
    refusal = " ".join(refusal)
    assert f"{curated.editor} saved this organisation at" in refusal
    assert "nothing was overwritten" in refusal
    assert f"description: “{description[:40]}" in refusal
    assert "“Its work passed on in 2021.”" in refusal
    assert second.get_by_label("Acronym:").input_value() == "XYZ"  # what they typed is kept

    second.goto(curated.organisation_admin_url)
    assert second.get_by_label("Description:").input_value() == "Its work passed on in 2021."
