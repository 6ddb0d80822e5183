from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from resources.models import ResourceKind, ResourceStatus, SavedView, SavedViewVisit
from tests.factories import (
    make_organisation,
    make_person,
    make_resource,
    make_saved_view,
    make_team,
    make_term,
    make_vocabulary,
)

pytestmark = pytest.mark.django_db

FINDER = reverse("resources:list")
SAVED = reverse("resources:saved-views")
NEW = reverse("resources:saved-view-new")
LOGIN = reverse("login")
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def terms():
    audience = make_vocabulary(slug="audience", name="Audience", position=1)
    characteristic = make_vocabulary(
        slug="characteristic", name="Protected characteristic", position=2
    )
    return {
        "commissioners": make_term(vocabulary=audience, slug="commissioners", name="Commissioners"),
        "race": make_term(vocabulary=characteristic, slug="race", name="Race"),
        "disability": make_term(vocabulary=characteristic, slug="disability", name="Disability"),
    }


@pytest.fixture
def people():
    """Alex and Sam are in Public health; Priya is in Primary care; Olu is in no team."""
    public_health = make_team(name="Public health", slug="public-health")
    primary_care = make_team(name="Primary care", slug="primary-care")
    return {
        "team": public_health,
        "other_team": primary_care,
        "owner": make_person(
            username="alex", first_name="Alex", last_name="Jones", teams=[public_health]
        ),
        "member": make_person(
            username="sam", first_name="Sam", last_name="Patel", teams=[public_health]
        ),
        "other_member": make_person(username="priya", teams=[primary_care]),
        "outsider": make_person(username="olu"),
    }


def signed_in(client, person):
    client.force_login(person)
    return client


def saved_view_url(name, view):
    return reverse(f"resources:{name}", args=[view.pk])


# Saving a view from the finder -------------------------------------------------------------------


def test_finder_offers_signed_in_people_to_save_the_view(client, terms, people):
    make_resource(terms=[terms["race"]])
    signed_in(client, people["owner"])
    response = client.get(FINDER + "?characteristic=race&kind=guidance")
    assertContains(
        response,
        f'<a href="{NEW}?characteristic=race&amp;kind=guidance">Save this view</a>',
        html=True,
    )
    assertContains(response, "Alex Jones")
    assertContains(response, "My saved views")


def test_finder_asks_anonymous_people_to_sign_in_to_save_and_comes_back(client, terms):
    make_resource(terms=[terms["race"]])
    response = client.get(FINDER + "?characteristic=race")
    next_url = quote("/resources/?characteristic=race")
    assertContains(
        response,
        f'<a href="{LOGIN}?next={next_url}">Sign in to save this view</a>',
        html=True,
    )
    assertNotContains(response, "My saved views")


def test_saving_a_view_for_yourself(client, terms, people):
    make_resource(terms=[terms["race"], terms["commissioners"]], kind=ResourceKind.GUIDANCE)
    signed_in(client, people["owner"])
    # Not canonical (and a page number): saved as the canonical view, without the page.
    url = NEW + "?kind=guidance&characteristic=race&audience=commissioners&page=1"
    response = client.get(url)
    assertContains(response, "1 resource for commissioners, about Race, of type guidance")
    assertContains(
        response, '<input type="radio" name="team" value="" id="id_team_0" checked>', html=True
    )
    response = client.post(url, {"name": "Race for commissioners", "team": ""}, follow=True)
    assertRedirects(response, SAVED)
    assertContains(response, "Saved “Race for commissioners” for you.")
    view = SavedView.objects.get()
    assert (view.owner, view.team) == (people["owner"], None)
    assert view.query_string == "audience=commissioners&characteristic=race&kind=guidance"


def test_saving_a_view_for_a_team_shows_it_on_the_team_page(client, terms, people):
    make_resource(terms=[terms["race"]])
    signed_in(client, people["owner"])
    response = client.post(
        NEW + "?characteristic=race",
        {"name": "Race", "description": "For the audit", "team": people["team"].pk},
    )
    assertRedirects(response, SAVED)
    view = SavedView.objects.get()
    assert view.team == people["team"]
    signed_in(client, people["member"])
    response = client.get(people["team"].get_absolute_url())
    assertContains(response, f'<a href="{view.get_absolute_url()}">Race</a>', html=True)
    assertContains(response, "For the audit")
    assertContains(response, "<li>Alex Jones</li>", html=True)
    assertContains(response, "<li>Sam Patel</li>", html=True)


def test_the_save_form_offers_only_your_own_teams(client, people):
    signed_in(client, people["owner"])
    response = client.get(NEW)
    assertContains(response, "Public health")
    assertNotContains(response, "Primary care")
    response = client.post(NEW, {"name": "Sneaky", "team": people["other_team"].pk})
    assert response.status_code == 200
    assertContains(response, "Choose yourself or one of your teams.")
    assert not SavedView.objects.exists()


def test_someone_in_no_team_saves_just_for_themselves(client, people):
    signed_in(client, people["outsider"])
    response = client.get(NEW)
    assertNotContains(response, "Save for")
    client.post(NEW, {"name": "Everything"})
    assert SavedView.objects.get().team is None


def test_a_view_needs_a_name_of_at_most_100_characters(client, people):
    signed_in(client, people["owner"])
    response = client.post(NEW, {"name": "  ", "team": ""})
    assertContains(response, "There is a problem")
    assertContains(response, "Enter a name for this view.")
    response = client.post(NEW, {"name": "x" * 101, "team": ""})
    assertContains(response, "The name must be 100 characters or fewer (it has 101).")
    assert not SavedView.objects.exists()


def test_the_same_name_twice_for_the_same_owner_or_team_is_refused(client, people):
    signed_in(client, people["owner"])
    client.post(NEW + "?kind=guidance", {"name": "Guidance", "team": ""})
    response = client.post(NEW + "?kind=tool", {"name": "guidance", "team": ""})
    assertContains(
        response, "You already have a saved view called “guidance”. Choose another name."
    )
    # The same name for a team is fine, once.
    client.post(NEW + "?kind=tool", {"name": "Guidance", "team": people["team"].pk})
    signed_in(client, people["member"])
    response = client.post(NEW, {"name": "GUIDANCE", "team": people["team"].pk})
    assertContains(
        response,
        "The team Public health already has a saved view called “GUIDANCE”. Choose another name.",
    )
    assert SavedView.objects.count() == 2


def test_the_same_query_may_be_saved_twice_under_different_names(client, people):
    signed_in(client, people["owner"])
    client.post(NEW + "?kind=guidance", {"name": "Guidance", "team": ""})
    client.post(NEW + "?kind=guidance", {"name": "Guidance again", "team": ""})
    assert SavedView.objects.filter(query_string="kind=guidance").count() == 2


def test_the_database_refuses_a_second_personal_view_with_the_same_name(people):
    make_saved_view(owner=people["owner"], name="Race")
    with pytest.raises(IntegrityError):
        make_saved_view(owner=people["owner"], name="race")


def test_saving_drops_what_the_catalogue_does_not_know_and_says_so(client, terms, people):
    signed_in(client, people["owner"])
    response = client.get(NEW + "?characteristic=race&characteristic=nonsense")
    assertContains(response, "“nonsense” is not a protected characteristic in this catalogue")
    assertContains(response, "Only what still applies will be saved.")
    client.post(NEW + "?characteristic=race&characteristic=nonsense", {"name": "Race"})
    assert SavedView.objects.get().query_string == "characteristic=race"


# My saved views ----------------------------------------------------------------------------------


def test_my_saved_views_groups_mine_then_each_team(client, terms, people):
    make_resource(terms=[terms["race"]])
    make_resource(terms=[terms["disability"]])
    make_saved_view(owner=people["owner"], name="My race view", query_string="characteristic=race")
    make_saved_view(
        owner=people["member"],
        team=people["team"],
        name="Team disability view",
        description="Shared with the team",
        query_string="characteristic=disability",
    )
    make_saved_view(owner=people["member"], name="Sam's own view")
    make_saved_view(owner=people["other_member"], team=people["other_team"], name="Not ours")
    response = signed_in(client, people["owner"]).get(SAVED)
    content = response.content.decode()
    assert content.index('<h2 id="mine-heading">Mine</h2>') < content.index("My race view")
    assert content.index("My race view") < content.index("Public health")
    assert content.index("Public health") < content.index("Team disability view")
    assertContains(response, "Shared with the team")
    assertContains(response, "Team: <a", count=1)
    assertContains(response, "saved by Sam Patel")
    assertNotContains(response, "Sam's own view")
    assertNotContains(response, "Not ours")
    assertContains(response, "<strong>1 resource</strong>", count=2, html=True)


def test_my_saved_views_with_none_explains_how_to_save_one(client, people):
    response = signed_in(client, people["outsider"]).get(SAVED)
    assertContains(response, "You have no saved views yet.")
    assertContains(response, "then select <strong>Save this view</strong> above the results")


def test_a_team_with_no_views_yet_says_how_to_share_one(client, people):
    make_saved_view(owner=people["owner"], name="Mine")
    response = signed_in(client, people["owner"]).get(SAVED)
    assertContains(response, "No saved views for this team yet.")


def test_new_counts_what_was_published_since_the_person_last_opened_the_view(client, terms, people):
    long_ago = timezone.now() - timedelta(days=30)
    make_resource(terms=[terms["race"]], published_at=long_ago - timedelta(days=1))
    view = make_saved_view(
        owner=people["owner"], team=people["team"], query_string="characteristic=race"
    )
    SavedView.objects.filter(pk=view.pk).update(created_at=long_ago)
    make_resource(terms=[terms["race"]], published_at=long_ago + timedelta(days=1))
    make_resource(terms=[terms["race"]], status=ResourceStatus.DRAFT)
    make_resource(terms=[terms["disability"]])

    # Never opened: new since it was saved.
    signed_in(client, people["owner"])
    response = client.get(SAVED)
    assertContains(response, "<strong>2 resources</strong>", html=True)
    assertContains(response, "1 new since you last opened it")

    response = client.get(view.get_absolute_url())
    assertRedirects(response, saved_view_page(view))
    assertContains(client.get(SAVED), "none new since you last opened it")
    make_resource(terms=[terms["race"]])
    assertContains(client.get(SAVED), "1 new since you last opened it")

    # Sam has never opened it: his count is his own.
    response = signed_in(client, people["member"]).get(SAVED)
    assertContains(response, "2 new since you last opened it")


def saved_view_page(view, query_string=None):
    """Where opening a saved view lands: the finder under the view's name, at its query string."""
    url = reverse("resources:saved-view-results", args=[view.pk])
    query_string = view.query_string if query_string is None else query_string
    return f"{url}?{query_string}" if query_string else url


def test_opening_a_saved_view_shows_its_name_marks_what_is_new_and_offers_to_update_it(
    client, terms, people
):
    long_ago = timezone.now() - timedelta(days=30)
    make_resource(
        title="Seen before", terms=[terms["race"]], published_at=long_ago - timedelta(days=1)
    )
    view = make_saved_view(
        owner=people["owner"],
        name="Race equality",
        description="For the audit",
        query_string="characteristic=race",
    )
    SavedViewVisit.objects.create(user=people["owner"], saved_view=view, opened_at=long_ago)
    make_resource(title="Published since", terms=[terms["race"]])
    signed_in(client, people["owner"])

    response = client.get(view.get_absolute_url())
    assertRedirects(response, saved_view_page(view), fetch_redirect_response=False)
    response = client.get(response.url)
    assertContains(response, "<h1>Race equality</h1>", html=True)
    assertContains(response, "For the audit")
    assertContains(response, "1 new since you last opened it")
    cards = {
        card.split('"', 1)[0]: card
        for card in response.content.decode().split('<li class="result" data-slug="')[1:]
    }
    assert "New since you last looked" in cards["published-since"]
    assert "New since you last looked" not in cards["seen-before"]
    assertContains(response, "Show the recently added first")
    update = reverse("resources:saved-view-update", args=[view.pk])
    assertContains(
        response, f'<a href="{update}?characteristic=race">Update this view</a>', html=True
    )
    assertNotContains(response, "Save this view")
    # The finder's own form, sort and filters stay on the saved view's page.
    assertContains(response, f'action="{saved_view_page(view, "")}"')

    # What is new stays marked while the person works in the view (a sort, a page).
    response = client.get(saved_view_page(view, "characteristic=race&sort=added"))
    assertContains(response, '<strong class="tag tag--new">', count=1)
    assertNotContains(response, "Show the recently added first")
    # Opened again, nothing is new.
    response = client.get(client.get(view.get_absolute_url()).url)
    assertNotContains(response, "New since you last looked")
    assertContains(response, "<h1>Race equality</h1>", html=True)


def test_updating_a_saved_view_keeps_its_name_and_changes_what_it_finds(client, terms, people):
    make_resource(terms=[terms["race"]])
    make_resource(terms=[terms["disability"]])
    view = make_saved_view(
        owner=people["owner"], team=people["team"], name="Ours", query_string="characteristic=race"
    )
    signed_in(client, people["member"])
    changed = saved_view_page(view, "characteristic=disability&characteristic=race")
    response = client.get(changed)
    assertContains(response, "<h1>Ours</h1>", html=True)
    update = reverse("resources:saved-view-update", args=[view.pk])
    query = "characteristic=disability&amp;characteristic=race"
    assertContains(response, f'<a href="{update}?{query}">Update this view</a>', html=True)

    url = update + "?characteristic=disability&characteristic=race"
    response = client.get(url)
    assertContains(response, "Update “Ours”")
    assertContains(response, "2 resources about Disability or Race")
    view.refresh_from_db()
    assert view.query_string == "characteristic=race"
    response = client.post(url, follow=True)
    assertContains(response, "Updated “Ours”: it now finds 2 resources about Disability or Race.")
    view.refresh_from_db()
    assert (view.name, view.team, view.query_string) == (
        "Ours",
        people["team"],
        "characteristic=disability&characteristic=race",
    )
    assert SavedView.objects.count() == 1


def test_only_the_owner_and_the_team_may_see_or_update_a_saved_views_page(client, people):
    view = make_saved_view(owner=people["owner"], team=people["team"], query_string="kind=tool")
    update = reverse("resources:saved-view-update", args=[view.pk]) + "?kind=guidance"
    signed_in(client, people["other_member"])
    assert client.get(saved_view_page(view)).status_code == 404
    assert client.post(update).status_code == 404
    view.refresh_from_db()
    assert view.query_string == "kind=tool"


def test_opening_a_view_records_one_visit_per_person(client, people):
    view = make_saved_view(owner=people["owner"], team=people["team"], query_string="kind=tool")
    signed_in(client, people["owner"])
    client.get(view.get_absolute_url())
    first = SavedViewVisit.objects.get().opened_at
    assertRedirects(
        client.get(view.get_absolute_url()), saved_view_page(view), fetch_redirect_response=False
    )
    visit = SavedViewVisit.objects.get()
    assert (visit.user, visit.saved_view) == (people["owner"], view)
    assert visit.opened_at >= first
    signed_in(client, people["member"]).get(view.get_absolute_url())
    assert SavedViewVisit.objects.count() == 2


def test_a_view_of_everything_opens_the_whole_catalogue_under_its_name(client, people):
    view = make_saved_view(owner=people["owner"], name="Everything", query_string="")
    response = signed_in(client, people["owner"]).get(view.get_absolute_url())
    assertRedirects(response, saved_view_page(view))
    assertContains(client.get(response.url), "<h1>Everything</h1>", html=True)


def test_a_view_whose_term_was_deleted_still_counts_what_applies(client, terms, people):
    make_resource(terms=[terms["race"]], kind=ResourceKind.GUIDANCE)
    make_resource(kind=ResourceKind.GUIDANCE)
    make_resource(kind=ResourceKind.TOOL)
    view = make_saved_view(owner=people["owner"], query_string="characteristic=race&kind=guidance")
    signed_in(client, people["owner"])
    assertContains(client.get(SAVED), "<strong>1 resource</strong>", html=True)

    terms["race"].delete()
    response = client.get(SAVED)
    assertContains(response, "Part of this view no longer applies:")
    assertContains(
        response, "“race” is not a protected characteristic in this catalogue, so it was ignored."
    )
    assertContains(response, "<strong>2 resources</strong>", html=True)
    # It still opens: the finder says what it ignored and shows the rest.
    response = client.get(view.get_absolute_url(), follow=True)
    assertContains(response, "Part of this view was ignored")
    assertContains(response, "2 resources of type guidance")


def test_a_view_whose_publisher_was_deleted_says_so(client, people):
    gone = make_organisation(slug="gone", name="Gone")
    kept = make_organisation(slug="kept", name="Kept")
    make_resource(publisher=kept)
    make_saved_view(owner=people["owner"], query_string="publisher=gone&publisher=kept")
    gone.delete()
    response = signed_in(client, people["owner"]).get(SAVED)
    assertContains(response, "“gone” is not a publisher in this catalogue, so it was ignored.")
    assertContains(response, "<strong>1 resource</strong>", html=True)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=race+equality", 2),
        ("q=equalty+toolkit", 1),
        ("q=the", 0),
        ("q=race&characteristic=disability", 1),
    ],
    ids=["search", "misspelt", "stop-words-only", "search-and-filter"],
)
def test_a_saved_search_counts_what_the_finder_shows(client, terms, people, query, expected):
    make_resource(title="Race equality in practice", terms=[terms["race"]])
    make_resource(title="Race equality toolkit", terms=[terms["disability"]])
    make_resource(title="Something else entirely")
    make_saved_view(owner=people["owner"], query_string=query)
    signed_in(client, people["owner"])
    shown = client.get(FINDER + "?" + query).context["page"].paginator.count
    assert shown == expected
    response = client.get(SAVED)
    assert response.context["mine"][0].result_count == expected


@pytest.mark.parametrize("count", [2, 12])
def test_my_saved_views_queries_stay_flat(client, django_assert_num_queries, terms, people, count):
    publishers = [make_organisation(slug=f"publisher-{number}") for number in range(3)]
    for number in range(count * 3):
        make_resource(
            terms=[terms["race"] if number % 2 else terms["disability"]],
            publisher=publishers[number % 3],
        )
    queries = [
        "q=resource&publisher=publisher-1",
        "characteristic=race",
        "publisher=publisher-0&audience=commissioners",
        "characteristic=disability&characteristic=race&publisher=publisher-2",
    ]
    owner = people["owner"]
    for number in range(count):
        make_saved_view(
            owner=owner,
            team=people["team"] if number % 2 else None,
            query_string=queries[number % len(queries)],
        )
    for view in SavedView.objects.all()[:1]:
        SavedViewVisit.objects.create(user=owner, saved_view=view, opened_at=timezone.now())
    signed_in(client, owner)
    # Session, user, teams, views (with the person's last visits), vocabularies and their terms,
    # publishers, one aggregate for every count (the search's words are English, so neither
    # database reads the spelling lexicon).
    with django_assert_num_queries(8):
        response = client.get(SAVED)
    assert len(response.context["mine"]) + len(response.context["teams"][0][1]) == count


# Editing and deleting ----------------------------------------------------------------------------


def test_renaming_and_describing_a_view(client, people):
    view = make_saved_view(owner=people["owner"], name="Old name", query_string="kind=tool")
    signed_in(client, people["owner"])
    url = saved_view_url("saved-view-edit", view)
    assertContains(client.get(url), 'value="Old name"')
    response = client.post(url, {"name": "New name", "description": "Tools only"}, follow=True)
    assertRedirects(response, SAVED)
    assertContains(response, "Saved your changes to “New name”.")
    view.refresh_from_db()
    assert (view.name, view.description, view.query_string) == (
        "New name",
        "Tools only",
        "kind=tool",
    )


def test_renaming_to_a_name_already_taken_is_refused(client, people):
    make_saved_view(owner=people["owner"], name="Taken")
    view = make_saved_view(owner=people["owner"], name="Mine")
    signed_in(client, people["owner"])
    response = client.post(saved_view_url("saved-view-edit", view), {"name": "taken"})
    assertContains(response, "You already have a saved view called “taken”.")
    # Keeping its own name is fine.
    response = client.post(saved_view_url("saved-view-edit", view), {"name": "Mine"})
    assertRedirects(response, SAVED)


def test_a_team_member_renames_a_colleagues_team_view(client, people):
    view = make_saved_view(owner=people["owner"], team=people["team"], name="Theirs")
    signed_in(client, people["member"])
    client.post(saved_view_url("saved-view-edit", view), {"name": "Ours"})
    view.refresh_from_db()
    assert view.name == "Ours"
    assert view.team == people["team"]


def test_deleting_asks_first_and_deletes_only_on_post(client, people):
    view = make_saved_view(owner=people["owner"], team=people["team"], name="Old view")
    signed_in(client, people["owner"])
    url = saved_view_url("saved-view-delete", view)
    response = client.get(url)
    assertContains(response, "Delete “Old view”?")
    assertContains(response, "deleting it deletes it for everyone in the team")
    assert SavedView.objects.exists()
    response = client.post(url, follow=True)
    assertRedirects(response, SAVED)
    assertContains(response, "Deleted “Old view”.")
    assert not SavedView.objects.exists()


def test_deleting_an_account_keeps_its_team_views_and_drops_its_own(people):
    make_saved_view(owner=people["owner"], name="Personal")
    team_view = make_saved_view(owner=people["owner"], team=people["team"], name="Team")
    people["owner"].delete()
    assert list(SavedView.objects.all()) == [team_view]
    assert SavedView.objects.get().owner is None


def test_a_team_view_whose_creator_left_says_so(client, people):
    make_saved_view(owner=None, team=people["team"], name="Orphan")
    response = signed_in(client, people["member"]).get(SAVED)
    assertContains(response, "saved by a former member")


# Who may do what -------------------------------------------------------------------------------

ROLES = ["owner", "member", "other_member", "outsider", "anonymous"]
# For a team view: the owner and the team's members; for a personal view: the owner alone.
ALLOWED = {
    "team": {"owner", "member"},
    "personal": {"owner"},
}
ACTIONS = {
    "open": ("get", "saved-view", 302),
    "edit form": ("get", "saved-view-edit", 200),
    "edit": ("post", "saved-view-edit", 302),
    "delete form": ("get", "saved-view-delete", 200),
    "delete": ("post", "saved-view-delete", 302),
}


@pytest.mark.parametrize("kind", ["team", "personal"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_only_the_owner_and_the_team_may_open_change_or_delete_a_view(
    client, people, kind, role, action
):
    method, name, success = ACTIONS[action]
    view = make_saved_view(
        owner=people["owner"],
        team=people["team"] if kind == "team" else None,
        name="Private",
        query_string="kind=tool",
    )
    if role != "anonymous":
        signed_in(client, people[role])
    url = saved_view_url(name, view)
    response = getattr(client, method)(url, {"name": "Renamed"} if action == "edit" else {})
    if role == "anonymous":
        assertRedirects(response, f"{LOGIN}?next={quote(url)}", fetch_redirect_response=False)
    elif role in ALLOWED[kind]:
        assert response.status_code == success
    else:
        assert response.status_code == 404
        assertNotContains(response, "Private", status_code=404)
    still_there = SavedView.objects.filter(pk=view.pk, name="Private").exists()
    changed = action in {"edit", "delete"} and role in ALLOWED[kind]
    assert still_there != changed
    assert SavedViewVisit.objects.exists() == (action == "open" and role in ALLOWED[kind])


@pytest.mark.parametrize("role", ROLES)
def test_my_saved_views_lists_only_what_the_person_may_see(client, people, role):
    make_saved_view(owner=people["owner"], name="Alex personal")
    make_saved_view(owner=people["owner"], team=people["team"], name="Public health view")
    if role == "anonymous":
        assertRedirects(client.get(SAVED), f"{LOGIN}?next={quote(SAVED)}")
        return
    response = signed_in(client, people[role]).get(SAVED)
    shown = {view.name for view in response.context["mine"]} | {
        view.name for _, views in response.context["teams"] for view in views
    }
    expected = {
        "owner": {"Alex personal", "Public health view"},
        "member": {"Public health view"},
    }.get(role, set())
    assert shown == expected


@pytest.mark.parametrize("role", ROLES)
def test_anyone_signed_in_may_save_a_view_for_themselves(client, people, role):
    if role == "anonymous":
        response = client.post(NEW + "?kind=tool", {"name": "Mine"})
        assertRedirects(response, f"{LOGIN}?next={quote(NEW + '?kind=tool')}")
        assertRedirects(client.get(NEW), f"{LOGIN}?next={quote(NEW)}")
        assert not SavedView.objects.exists()
        return
    signed_in(client, people[role])
    assert client.get(NEW).status_code == 200
    assertRedirects(client.post(NEW, {"name": "Mine", "team": ""}), SAVED)
    response = client.post(NEW, {"name": "For the team", "team": people["team"].pk})
    assert SavedView.objects.filter(team=people["team"]).exists() == (role in {"owner", "member"})
    if role not in {"owner", "member"}:
        assertContains(response, "Choose yourself or one of your teams.")


@pytest.mark.parametrize("role", ROLES)
def test_a_team_page_is_for_its_members_only(client, people, role):
    team = people["team"]
    make_saved_view(owner=people["owner"], team=team, name="Team view")
    url = team.get_absolute_url()
    if role == "anonymous":
        assertRedirects(client.get(url), f"{LOGIN}?next={quote(url)}")
        return
    response = signed_in(client, people[role]).get(url)
    if role in {"owner", "member"}:
        assertContains(response, "<h1>Public health</h1>", html=True)
        assertContains(response, "Team view")
    else:
        assertNotContains(response, "Public health", status_code=404)


def test_staff_who_are_not_in_a_team_do_not_see_its_page_either(client, admin_user, people):
    client.force_login(admin_user)
    assert client.get(people["team"].get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "name, data",
    [
        ("saved-view-new", {"name": "Mine"}),
        ("saved-view-edit", {"name": "Renamed"}),
        ("saved-view-delete", {}),
    ],
)
def test_every_saved_view_form_needs_its_csrf_token(people, name, data):
    view = make_saved_view(owner=people["owner"], name="Mine")
    url = NEW if name == "saved-view-new" else saved_view_url(name, view)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["owner"])
    assert client.post(url, data).status_code == 403
    assert list(SavedView.objects.values_list("name", flat=True)) == ["Mine"]
    page = client.get(url)
    assertContains(page, 'name="csrfmiddlewaretoken"')
    token = page.context["csrf_token"]
    response = client.post(url, data | {"csrfmiddlewaretoken": str(token), "team": ""})
    assert response.status_code == 302 or "already have" in response.content.decode()


# Escaping ---------------------------------------------------------------------------------------


def test_names_and_descriptions_people_type_are_escaped_everywhere(client, people):
    view = make_saved_view(
        owner=people["owner"], team=people["team"], name=SCRIPT, description=SCRIPT
    )
    people["team"].description = SCRIPT
    people["team"].save()
    people["member"].first_name = SCRIPT
    people["member"].save()
    signed_in(client, people["owner"])
    pages = [
        SAVED,
        people["team"].get_absolute_url(),
        saved_view_url("saved-view-edit", view),
        saved_view_url("saved-view-delete", view),
    ]
    for url in pages:
        response = client.get(url)
        assertNotContains(response, SCRIPT)
        assertContains(response, ESCAPED)
    response = client.post(NEW, {"name": SCRIPT, "team": ""}, follow=True)
    assertNotContains(response, SCRIPT)
    assertContains(response, f"Saved “{ESCAPED}” for you.")


def test_a_signed_in_persons_name_is_escaped_in_the_header(client):
    person = make_person(first_name=SCRIPT)
    response = signed_in(client, person).get(FINDER)
    assertNotContains(response, SCRIPT)
    assertContains(response, ESCAPED)


def test_my_saved_views_offers_each_views_feed_and_exports(client, terms, people):
    make_saved_view(owner=people["owner"], name="Race", query_string="characteristic=race")
    response = signed_in(client, people["owner"]).get(SAVED)
    for url in [
        reverse("resources:feed"),
        reverse("resources:export", args=["csv"]),
        reverse("resources:export", args=["ris"]),
        reverse("resources:export", args=["bib"]),
        reverse("resources:reading-list"),
    ]:
        assertContains(response, f'href="{url}?characteristic=race"')
    feed = client.get(f"{reverse('resources:feed')}?characteristic=race")
    assert feed.status_code == 200
