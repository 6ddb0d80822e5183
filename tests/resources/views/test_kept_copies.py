"""Kept copies on the site: keeping one from a saved view's page, its page (the list as kept and
what has changed since), its exports, deleting it, and who may see any of it."""

import csv
import io

import bibtexparser
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from resources.kept_copies import keep_copy, keeping
from resources.models import KeptCopy, ResourceKind, ResourceStatus
from tests.factories import make_person, make_resource, make_saved_view, make_team

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def team(taxonomy):
    """Alex and Sam are in Public health, whose view "Race equality" finds resources about race;
    Priya is in another team; Olu is in none."""
    public_health = make_team(name="Public health", slug="public-health")
    other_team = make_team(name="Primary care", slug="primary-care")
    alex = make_person(username="alex", first_name="Alex", last_name="Jones", teams=[public_health])
    view = make_saved_view(
        name="Race equality", query_string="characteristic=race", team=public_health, owner=alex
    )
    return {
        "view": view,
        "alex": alex,
        "sam": make_person(username="sam", teams=[public_health]),
        "priya": make_person(username="priya", teams=[other_team]),
        "olu": make_person(username="olu"),
    }


def race_resource(taxonomy, **fields):
    return make_resource(terms=[taxonomy["race"]], **fields)


def copy_url(copy, name="kept-copy", *extra):
    return reverse(f"resources:{name}", args=[copy.saved_view_id, copy.number, *extra])


def results_url(view):
    return reverse("resources:saved-view-results", args=[view.pk]) + f"?{view.query_string}"


# Keeping a copy ----------------------------------------------------------------------------------


def test_a_team_member_keeps_a_copy_from_the_saved_views_page(client, taxonomy, team):
    race_resource(taxonomy, title="Ethnic inequalities in healthcare")
    view = team["view"]
    client.force_login(team["sam"])
    page = client.get(results_url(view))
    assertContains(page, "No copies kept yet.")
    new_url = reverse("resources:kept-copy-new", args=[view.pk])
    assertContains(page, f'<form method="post" action="{new_url}">')
    assertContains(page, "Keep a copy of this list as of today")

    response = client.post(new_url, follow=True)

    copy = KeptCopy.objects.get()
    assertRedirects(response, copy_url(copy))
    today = date_format(timezone.localdate(), "j F Y")
    assertContains(response, f"Kept copy 1 of “Race equality”: 1 resource as of {today}.")
    assertContains(response, "Ethnic inequalities in healthcare")
    assert copy.created_by == team["sam"]


def test_keeping_a_copy_needs_a_post(client, team):
    client.force_login(team["alex"])
    response = client.get(reverse("resources:kept-copy-new", args=[team["view"].pk]))
    assert response.status_code == 405
    assert not KeptCopy.objects.exists()


def test_the_saved_views_page_lists_its_copies_newest_first(client, taxonomy, team):
    view = team["view"]
    race_resource(taxonomy)
    for _ in range(7):
        keep_copy(view, by=team["alex"])
    client.force_login(team["alex"])
    response = client.get(results_url(view))
    numbers = [copy.number for copy in response.context["kept_copies"]]
    assert numbers == [7, 6, 5, 4, 3]
    assertContains(response, f'<a href="{copy_url(view.kept_copies.get(number=7))}">Copy 7</a>')
    assertContains(response, "All kept copies of this view")
    listing = client.get(reverse("resources:kept-copies", args=[view.pk]))
    assert [copy.number for copy in listing.context["page"]] == [7, 6, 5, 4, 3, 2, 1]
    assertContains(listing, "<td>Alex Jones</td>", count=7)


def test_a_view_above_the_cap_is_refused_with_a_message(client, monkeypatch, taxonomy, team):
    monkeypatch.setattr(keeping, "MAX_ITEMS", 2)
    for _ in range(3):
        race_resource(taxonomy)
    view = team["view"]
    client.force_login(team["alex"])
    response = client.post(reverse("resources:kept-copy-new", args=[view.pk]), follow=True)
    assertRedirects(response, results_url(view))
    assertContains(
        response,
        "This view finds 3 resources; a kept copy holds at most 2. Narrow the view to keep a "
        "copy, or download the whole list as a spreadsheet (CSV) instead.",
    )
    assert not KeptCopy.objects.exists()


# Who may see copies ------------------------------------------------------------------------------


def every_url(copy):
    return [
        reverse("resources:kept-copies", args=[copy.saved_view_id]),
        copy_url(copy),
        copy_url(copy, "kept-copy-export", "csv"),
        copy_url(copy, "kept-copy-delete"),
    ]


@pytest.mark.parametrize("person", ["priya", "olu"])
def test_people_who_cannot_open_the_view_get_404_for_its_copies(client, taxonomy, team, person):
    copy = keep_copy(team["view"], by=team["alex"])
    client.force_login(team[person])
    for url in every_url(copy):
        assert client.get(url).status_code == 404, url
    assert client.post(copy_url(copy, "kept-copy-delete")).status_code == 404
    new_url = reverse("resources:kept-copy-new", args=[team["view"].pk])
    assert client.post(new_url).status_code == 404
    assert KeptCopy.objects.count() == 1


def test_a_personal_views_copies_are_for_its_owner_only(client, taxonomy, team):
    view = make_saved_view(owner=team["alex"], query_string="characteristic=race")
    copy = keep_copy(view, by=team["alex"])
    client.force_login(team["sam"])
    assert client.get(copy_url(copy)).status_code == 404
    client.force_login(team["alex"])
    assert client.get(copy_url(copy)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, taxonomy, team):
    copy = keep_copy(team["view"], by=team["alex"])
    for url in every_url(copy):
        assertRedirects(client.get(url), f"{LOGIN}?next={url}", fetch_redirect_response=False)


def test_a_copy_that_does_not_exist_is_a_404(client, team):
    client.force_login(team["alex"])
    url = reverse("resources:kept-copy", args=[team["view"].pk, 99])
    assert client.get(url).status_code == 404


# The copy's page ---------------------------------------------------------------------------------


def test_the_copys_page_shows_the_list_as_kept_whatever_changes_later(client, taxonomy, team):
    edited = race_resource(
        taxonomy, title="Old title", url="https://example.org/old", kind=ResourceKind.GUIDANCE
    )
    withdrawn = race_resource(taxonomy, title="Withdrawn guide")
    copy = keep_copy(team["view"], by=team["alex"])
    edited.title = "New title"
    edited.save()
    withdrawn.status = ResourceStatus.ARCHIVED
    withdrawn.save()

    client.force_login(team["sam"])
    response = client.get(copy_url(copy))

    today = date_format(timezone.localdate(), "j F Y")
    assertContains(
        response,
        f"<h1>Copy 1 of “Race equality”, as of {today}</h1>",
        html=True,
    )
    assertContains(response, "2 resources about Race")
    assertContains(response, "Kept by Alex Jones")
    edited_link = reverse("resources:detail", args=[edited.slug])
    assertContains(response, f'<cite><a href="{edited_link}">Old title</a></cite>', html=True)
    assertContains(response, "Guidance.")
    assertContains(response, '<a href="https://example.org/old">https://example.org/old</a>')
    assertNotContains(response, "New title")
    assertContains(response, "<cite>Withdrawn guide</cite>", html=True)
    assertNotContains(response, reverse("resources:detail", args=[withdrawn.slug]))
    assertContains(response, "(No longer in the directory.)", count=1)


def test_the_copys_page_says_what_has_changed_since(client, taxonomy, team):
    race_resource(taxonomy, title="Stays")
    gone = race_resource(taxonomy, title="Unpublished later")
    copy = keep_copy(team["view"], by=team["alex"])
    added = race_resource(taxonomy, title="Added later")
    gone.status = ResourceStatus.DRAFT
    gone.save()

    client.force_login(team["alex"])
    response = client.get(copy_url(copy))

    assertContains(response, "Since this copy: 1 added, 1 no longer in the view")
    assertContains(response, "<h3>Added to the view since (1)</h3>", html=True)
    assertContains(response, f'<a href="{added.get_absolute_url()}">Added later</a>')
    assertContains(response, "<h3>No longer in the view (1)</h3>", html=True)
    assertContains(response, "Unpublished later: no longer published in the directory")
    # The list as kept is unchanged: the addition is only under "since".
    assert [item.title for item in response.context["changes"].items] == [
        "Stays",
        "Unpublished later",
    ]


def test_the_copys_page_says_when_nothing_has_changed(client, taxonomy, team):
    race_resource(taxonomy)
    copy = keep_copy(team["view"], by=team["alex"])
    client.force_login(team["alex"])
    response = client.get(copy_url(copy))
    assertContains(response, "Since this copy: 0 added, 0 no longer in the view")
    assertContains(response, "The view finds the same resources today.")


def test_the_copys_page_escapes_what_people_typed(client, taxonomy, team):
    view = team["view"]
    view.name = SCRIPT
    view.save()
    race_resource(taxonomy, title=SCRIPT)
    copy = keep_copy(view, by=team["alex"])
    client.force_login(team["alex"])
    response = client.get(copy_url(copy))
    assertNotContains(response, SCRIPT)
    assertContains(response, ESCAPED)


@pytest.mark.parametrize("count", [1, 30])
def test_the_copys_page_queries_stay_flat(client, django_assert_num_queries, taxonomy, team, count):
    for _ in range(count):
        race_resource(taxonomy)
    copy = keep_copy(team["view"], by=team["alex"])
    race_resource(taxonomy)  # one added since
    client.force_login(team["alex"])
    # Session, user, the saved view (with its team), the copy (with who kept it), vocabularies and
    # their terms, the items, which of them are still in the view, and those added since.
    with django_assert_num_queries(9):
        response = client.get(copy_url(copy))
    assert len(response.context["changes"].items) == count


# Exports -----------------------------------------------------------------------------------------


@pytest.fixture
def kept_then_changed(taxonomy, team):
    """A copy of two resources, after which one is retitled, one deleted and one added."""
    retitled = race_resource(
        taxonomy,
        title="Old title",
        year_published=2021,
        summary="Kept summary.",
        keywords=["ethnicity"],
    )
    deleted = race_resource(taxonomy, title="Deleted later")
    copy = keep_copy(team["view"], by=team["alex"])
    retitled.title = "New title"
    retitled.save()
    deleted.delete()
    race_resource(taxonomy, title="Added later")
    return copy, retitled


def test_the_csv_export_holds_the_copys_items_not_the_live_view(client, team, kept_then_changed):
    copy, retitled = kept_then_changed
    client.force_login(team["alex"])
    response = client.get(copy_url(copy, "kept-copy-export", "csv"))
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="health-inequalities-resources-race-equality-copy-1-{today}.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["Title"] for row in rows] == ["Deleted later", "Old title"]
    assert rows[1]["Protected characteristic"] == "Race"
    assert rows[1]["Keywords"] == "ethnicity"
    assert rows[1]["Year published"] == "2021"
    assert rows[1]["Summary"] == "Kept summary."
    assert rows[1]["Page in this directory"].endswith(f"/resources/{retitled.slug}/")


def test_the_ris_and_bibtex_exports_hold_the_copys_items(client, team, kept_then_changed):
    copy, retitled = kept_then_changed
    client.force_login(team["alex"])
    ris = b"".join(client.get(copy_url(copy, "kept-copy-export", "ris")).streaming_content).decode()
    assert "TI  - Old title\r\n" in ris
    assert "TI  - Deleted later\r\n" in ris
    assert "New title" not in ris
    assert "Added later" not in ris
    assert f"Y2  - {timezone.localdate().isoformat()}" in ris
    bib = b"".join(client.get(copy_url(copy, "kept-copy-export", "bib")).streaming_content).decode()
    entries = bibtexparser.parse_string(bib).entries
    assert sorted(entry.key for entry in entries) == sorted(item.slug for item in copy.items.all())
    assert "{Old title}" in [entry["title"] for entry in entries]


# Deleting ----------------------------------------------------------------------------------------


def test_deleting_a_copy_asks_first_then_deletes_it(client, taxonomy, team):
    race_resource(taxonomy)
    view = team["view"]
    copy = keep_copy(view, by=team["alex"])
    client.force_login(team["sam"])
    url = copy_url(copy, "kept-copy-delete")

    confirm = client.get(url)
    assertContains(confirm, "<h1>Delete copy 1 of “Race equality”?</h1>", html=True)
    assertContains(confirm, f'<form method="post" action="{url}">')
    assertContains(confirm, "csrfmiddlewaretoken")
    assertContains(confirm, "deleting it deletes it for everyone in the team")
    assert KeptCopy.objects.count() == 1

    response = client.post(url, follow=True)
    assertRedirects(response, reverse("resources:kept-copies", args=[view.pk]))
    assertContains(response, "Deleted copy 1 of “Race equality”.")
    assertContains(response, "No copies kept yet.")
    assert not KeptCopy.objects.exists()
    assert client.get(copy_url(copy)).status_code == 404


def test_deleting_a_copy_needs_the_csrf_token(taxonomy, team):
    from django.test import Client

    copy = keep_copy(team["view"], by=team["alex"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(team["alex"])
    assert client.post(copy_url(copy, "kept-copy-delete")).status_code == 403
    assert KeptCopy.objects.count() == 1


def test_deleting_a_saved_view_warns_that_its_copies_go_with_it(client, taxonomy, team):
    view = team["view"]
    race_resource(taxonomy)
    keep_copy(view, by=team["alex"])
    keep_copy(view, by=team["alex"])
    client.force_login(team["alex"])
    url = reverse("resources:saved-view-delete", args=[view.pk])
    assertContains(client.get(url), "Its 2 kept copies will be deleted with it.")
    client.post(url)
    assert not KeptCopy.objects.exists()


def test_deleting_a_saved_view_without_copies_says_nothing_of_them(client, team):
    client.force_login(team["alex"])
    response = client.get(reverse("resources:saved-view-delete", args=[team["view"].pk]))
    assertNotContains(response, "kept cop")


# A search, and the saved view's page ------------------------------------------------------------


def test_a_copy_of_a_search_keeps_its_results_and_compares_with_the_search_now(client, team):
    view = team["view"]
    view.query_string = "q=tuberculosis"
    view.save()
    make_resource(title="Tuberculosis in inclusion health groups")
    make_resource(title="Something else entirely")
    copy = keep_copy(view, by=team["alex"])
    assert [item.title for item in copy.items.all()] == ["Tuberculosis in inclusion health groups"]
    added = make_resource(title="Tuberculosis screening for migrants")
    client.force_login(team["alex"])
    response = client.get(copy_url(copy))
    assertContains(response, "Since this copy: 1 added, 0 no longer in the view")
    assert response.context["changes"].added == [added]


@pytest.mark.parametrize("copies", [1, 7])
def test_the_saved_views_page_lists_copies_in_one_query(
    client, django_assert_num_queries, taxonomy, team, copies
):
    view = team["view"]
    race_resource(taxonomy)
    for _ in range(copies):
        keep_copy(view, by=team["alex"])
    client.force_login(team["alex"])
    url = results_url(view)
    client.get(url)  # the finder's counts are cached from here on
    # The finder's page for a saved view, with one query for its newest copies however many.
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["kept_copies"]) == min(copies, 5)
