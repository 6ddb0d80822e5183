"""Keeping a copy of a saved view's list: numbered, dated, frozen, within the cap; and what the
live view has gained and lost since."""

import pytest
from django.utils import timezone

from resources.kept_copies import MAX_ITEMS, TooLarge, changes_since, keep_copy, keeping
from resources.kept_copies.changes import DELETED, FILTERED_OUT, UNPUBLISHED
from resources.models import KeptCopy, ResourceKind, ResourceStatus, SavedView
from taxonomy.models import vocabularies_with_terms
from tests.factories import (
    make_organisation,
    make_person,
    make_resource,
    make_saved_view,
    make_team,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_view(taxonomy):
    """The Public health team's view of resources about race, saved by Alex."""
    team = make_team(name="Public health", slug="public-health")
    alex = make_person(username="alex", first_name="Alex", last_name="Jones", teams=[team])
    view = make_saved_view(
        name="Race equality", query_string="characteristic=race", team=team, owner=alex
    )
    return view, alex


def race_resource(taxonomy, **fields):
    return make_resource(terms=[taxonomy["race"]], **fields)


def test_keeping_a_copy_freezes_what_a_reader_needs(taxonomy, team_view):
    view, alex = team_view
    ohid = make_organisation(name="Office for Health Improvement and Disparities")
    guide = race_resource(
        taxonomy,
        title="Ethnic inequalities in healthcare",
        publisher=ohid,
        kind=ResourceKind.GUIDANCE,
        year_published=2022,
        url="https://example.org/ethnic-inequalities",
        summary="What the evidence says.",
        authors="Ann Smith\nRaj Patel",
        keywords=["ethnicity data"],
    )
    race_resource(taxonomy, title="Anti-racism framework")
    make_resource(terms=[taxonomy["age"]], title="Not about race")

    copy = keep_copy(view, by=alex)

    assert copy.number == 1
    assert copy.created_by == alex
    assert timezone.localdate(copy.created_at) == timezone.localdate()
    assert copy.view_name == "Race equality"
    assert copy.query_string == "characteristic=race"
    assert copy.description == "about Race"
    assert copy.item_count == 2
    first, second = copy.items.all()
    assert [first.title, second.title] == [
        "Anti-racism framework",
        "Ethnic inequalities in healthcare",
    ]
    assert second.resource == guide
    assert second.slug == guide.slug
    assert second.publisher_name == "Office for Health Improvement and Disparities"
    assert second.get_kind_display() == "Guidance"
    assert second.year_published == 2022
    assert second.url == "https://example.org/ethnic-inequalities"
    assert second.summary == "What the evidence says."
    assert second.author_names == ["Ann Smith", "Raj Patel"]
    assert second.terms == {"Protected characteristic": ["Race"]}
    assert second.keywords == ["ethnicity data"]
    assert copy.vocabulary_names == ["Audience", "Protected characteristic"]


def test_copies_are_numbered_per_view_and_a_deleted_copys_number_is_not_reused(taxonomy, team_view):
    view, alex = team_view
    other_view = make_saved_view(owner=alex)
    race_resource(taxonomy)
    assert [keep_copy(view, by=alex).number for _ in range(3)] == [1, 2, 3]
    assert keep_copy(other_view, by=alex).number == 1
    KeptCopy.objects.get(saved_view=view, number=3).delete()
    assert keep_copy(view, by=alex).number == 4
    assert list(view.kept_copies.values_list("number", flat=True)) == [4, 2, 1]


def test_a_copy_does_not_change_when_its_resources_are_edited_unpublished_or_deleted(
    taxonomy, team_view
):
    view, alex = team_view
    edited = race_resource(taxonomy, title="Old title", year_published=2020)
    unpublished = race_resource(taxonomy, title="Withdrawn guide")
    deleted = race_resource(taxonomy, title="Gone for good")
    copy = keep_copy(view, by=alex)

    edited.title = "New title"
    edited.year_published = 2024
    edited.publisher.name = "Renamed publisher"
    edited.publisher.save()
    edited.save()
    unpublished.status = ResourceStatus.ARCHIVED
    unpublished.save()
    deleted.delete()

    items = list(KeptCopy.objects.get(pk=copy.pk).items.all())
    assert [item.title for item in items] == ["Gone for good", "Old title", "Withdrawn guide"]
    assert items[1].year_published == 2020
    assert items[1].publisher_name != "Renamed publisher"
    assert items[0].resource is None  # the link back goes; what was kept stays


def test_a_view_that_finds_more_than_the_cap_is_refused(monkeypatch, taxonomy, team_view):
    view, alex = team_view
    assert MAX_ITEMS == 5000
    monkeypatch.setattr(keeping, "MAX_ITEMS", 2)
    for _ in range(3):
        race_resource(taxonomy)
    with pytest.raises(TooLarge) as refused:
        keep_copy(view, by=alex)
    assert refused.value.count == 3
    assert "This view finds 3 resources; a kept copy holds at most 2." in str(refused.value)
    assert not KeptCopy.objects.exists()
    assert SavedView.objects.get(pk=view.pk).copies_kept == 0


def test_keeping_a_copy_of_a_large_view_writes_in_batches(monkeypatch, taxonomy, team_view):
    view, alex = team_view
    monkeypatch.setattr(keeping, "BATCH_SIZE", 2)
    for _ in range(5):
        race_resource(taxonomy)
    copy = keep_copy(view, by=alex)
    assert copy.item_count == 5
    assert list(copy.items.values_list("position", flat=True)) == [1, 2, 3, 4, 5]


# What has changed since -------------------------------------------------------------------------


def test_changes_since_a_copy_list_what_was_added_and_what_went_and_why(taxonomy, team_view):
    view, alex = team_view
    stays = race_resource(taxonomy, title="Stays")
    untagged = race_resource(taxonomy, title="Untagged later")
    unpublished = race_resource(taxonomy, title="Unpublished later")
    deleted = race_resource(taxonomy, title="Deleted later")
    copy = keep_copy(view, by=alex)

    added = race_resource(taxonomy, title="Added later")
    untagged.terms.set([taxonomy["age"]])
    unpublished.status = ResourceStatus.DRAFT
    unpublished.save()
    deleted.delete()

    changes = changes_since(copy, view, vocabularies_with_terms())

    assert changes.added == [added]
    assert changes.added_count == 1
    assert [(gone.item.title, gone.reason) for gone in changes.gone] == [
        ("Deleted later", DELETED),
        ("Unpublished later", UNPUBLISHED),
        ("Untagged later", FILTERED_OUT),
    ]
    assert not changes.is_view_changed
    in_directory = {item.title: item.in_directory_slug for item in changes.items}
    assert in_directory == {
        "Deleted later": None,
        "Stays": stays.slug,
        "Unpublished later": None,
        "Untagged later": untagged.slug,
    }


def test_changes_since_a_copy_count_the_added_beyond_those_listed(monkeypatch, taxonomy, team_view):
    view, alex = team_view
    copy = keep_copy(view, by=alex)
    monkeypatch.setattr("resources.kept_copies.changes.ADDED_SHOWN", 2)
    for _ in range(3):
        race_resource(taxonomy)
    changes = changes_since(copy, view, vocabularies_with_terms())
    assert len(changes.added) == 2
    assert changes.added_count == 3


def test_changes_since_a_copy_follow_the_view_as_it_is_now(taxonomy, team_view):
    view, alex = team_view
    race_resource(taxonomy, title="About race")
    copy = keep_copy(view, by=alex)
    about_age = make_resource(terms=[taxonomy["age"]], title="About age")
    view.query_string = "characteristic=age"
    view.save()

    changes = changes_since(copy, view, vocabularies_with_terms())

    assert changes.is_view_changed
    assert changes.description == "about Age"
    assert changes.added == [about_age]
    assert [gone.item.title for gone in changes.gone] == ["About race"]
