"""Merging terms: the action function and the admin's two-step action."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from resources.curation.merging import MergeRefused, merge_terms
from resources.models import Resource
from taxonomy.models import Term
from tests.factories import make_resource, make_term, make_user, make_vocabulary

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:taxonomy_term_changelist")


@pytest.fixture
def terms():
    vocabulary = make_vocabulary(name="Protected characteristic", slug="characteristic")
    return {
        "race": make_term(vocabulary=vocabulary, name="Race", slug="race", synonyms="BAME"),
        "ethnicity": make_term(
            vocabulary=vocabulary,
            name="Ethnicity",
            slug="ethnicity",
            synonyms="Ethnic minority\nbame",
            definition="Ethnic group.",
        ),
        "other": make_term(vocabulary=vocabulary, name="Disability", slug="disability"),
    }


def test_merging_moves_resources_without_duplicates_and_keeps_names_as_synonyms(editor, terms):
    race, ethnicity = terms["race"], terms["ethnicity"]
    both = make_resource(title="Both", terms=[race, ethnicity])
    only_merged = make_resource(title="Only ethnicity", terms=[ethnicity, terms["other"]])
    narrower = make_term(vocabulary=race.vocabulary, name="Roma", slug="roma", parent=ethnicity)

    report = merge_terms(race, [ethnicity], by=editor)

    assert not Term.objects.filter(pk=ethnicity.pk).exists()
    assert list(both.terms.all()) == [race]
    assert set(only_merged.terms.all()) == {race, terms["other"]}
    narrower.refresh_from_db()
    assert narrower.parent == race
    race.refresh_from_db()
    assert race.synonym_list == ["BAME", "Ethnicity", "Ethnic minority"]
    assert race.definition == "Ethnic group."
    assert (report.resources_retagged, report.resources_moved) == (2, 1)
    assert str(report) == (
        "Merged “Ethnicity” into “Race”: 2 resources now tagged “Race” (1 newly); "
        "narrower terms moved under it: Roma; synonyms added: Ethnicity, Ethnic minority; "
        "old links to ethnicity now lead to it."
    )
    assert only_merged.history.latest().history_user == editor
    assert race.history.latest().history_user == editor


def test_merging_updates_search_so_the_old_name_still_finds_the_resource(editor, terms):
    resource = make_resource(title="A guide", terms=[terms["ethnicity"]])
    merge_terms(terms["race"], [terms["ethnicity"]], by=editor)
    resource.refresh_from_db()
    assert "Ethnicity" in resource.search_text and "Race" in resource.search_text


def test_a_term_narrower_than_the_merged_one_can_survive(editor, terms):
    child = make_term(vocabulary=terms["race"].vocabulary, name="Child", parent=terms["ethnicity"])
    merge_terms(child, [terms["ethnicity"]], by=editor)
    child.refresh_from_db()
    assert child.parent is None


def test_only_terms_of_one_vocabulary_can_be_merged(editor, terms):
    elsewhere = make_term(name="Commissioners", vocabulary=make_vocabulary(name="Audience"))
    with pytest.raises(MergeRefused, match="Only terms of the same vocabulary"):
        merge_terms(terms["race"], [elsewhere], by=editor)
    assert Term.objects.filter(pk=elsewhere.pk).exists()


def test_a_librarian_may_not_merge(terms):
    librarian = make_user(groups=["Librarian"])
    with pytest.raises(MergeRefused, match="permission"):
        merge_terms(terms["race"], [terms["ethnicity"]], by=librarian)


def merge_post(terms, **extra):
    return {
        "action": "merge_selected",
        "_selected_action": [term.pk for term in terms],
        **extra,
    }


def test_the_admin_action_asks_which_term_stays_then_merges(client, editor, terms):
    race, ethnicity = terms["race"], terms["ethnicity"]
    make_resource(terms=[ethnicity])
    response = client.post(CHANGELIST, merge_post([race, ethnicity]))
    assertContains(response, "Which protected characteristic term stays?")
    assertContains(response, 'Ethnicity <span class="help">(ethnicity; 1 resource)</span>')
    assertContains(response, "This cannot be undone")
    assert Term.objects.filter(pk=ethnicity.pk).exists()

    response = client.post(
        CHANGELIST, merge_post([race, ethnicity], survivor=race.pk, confirm="Merge"), follow=True
    )
    assertContains(response, "Merged “Ethnicity” into “Race”")
    assert not Term.objects.filter(pk=ethnicity.pk).exists()
    assert Resource.objects.get().terms.get() == race


def test_the_admin_action_needs_a_survivor_chosen(client, editor, terms):
    response = client.post(CHANGELIST, merge_post([terms["race"], terms["ethnicity"]], confirm="1"))
    assertContains(response, "Choose the term that stays.")
    assert Term.objects.count() == 3


def test_the_admin_action_refuses_terms_of_two_vocabularies(client, editor, terms):
    elsewhere = make_term(name="Commissioners", vocabulary=make_vocabulary(name="Audience"))
    response = client.post(CHANGELIST, merge_post([terms["race"], elsewhere]), follow=True)
    assertContains(response, "Only terms of the same vocabulary can be merged")
    assert Term.objects.count() == 4


def test_librarians_are_not_offered_the_merge(client, terms):
    client.force_login(make_user(groups=["Librarian"]))
    assertNotContains(client.get(CHANGELIST), "Merge selected terms")


def test_a_merge_indexes_each_resource_once_when_it_commits(editor, terms, indexed):
    race, ethnicity, other = terms["race"], terms["ethnicity"], terms["other"]
    retagged = [make_resource(terms=[ethnicity, other]) for _ in range(5)]
    retagged.append(make_resource(terms=[race, ethnicity]))
    untouched = make_resource(terms=[other])
    indexed.clear()
    merge_terms(race, [ethnicity], by=editor)
    assert sorted(indexed) == sorted(resource.pk for resource in retagged)
    assert untouched.pk not in indexed
