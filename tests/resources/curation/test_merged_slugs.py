"""Issue 12, item 4: after a merge, every old link to the merged term means the surviving term.

The merged term's web address redirects permanently to the survivor's page; its slug in a
finder address, a saved view, a feed, the API or an import means the survivor, and the page says so once;
the old slug is kept as a former slug, not shown to the public as a synonym."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from resources.curation.merging import merge_terms
from resources.models import Resource
from tests.factories import make_person, make_resource, make_saved_view, make_term, make_vocabulary
from tests.resources.curation.test_spreadsheets import confirm, csv_upload, preview

pytestmark = pytest.mark.django_db

FINDER = reverse("resources:list")
NOTICE = "“Ethnicity” is now part of “Race”."


@pytest.fixture
def merged(editor):
    """Ethnicity merged into Race, with one resource on each and one on something else."""
    vocabulary = make_vocabulary(name="Protected characteristic", slug="characteristic")
    race = make_term(vocabulary=vocabulary, name="Race", slug="race")
    ethnicity = make_term(vocabulary=vocabulary, name="Ethnicity", slug="ethnicity")
    disability = make_term(vocabulary=vocabulary, name="Disability", slug="disability")
    make_resource(title="Race equality in practice", terms=[race])
    make_resource(title="Ethnicity data guide", terms=[ethnicity])
    make_resource(title="Accessible information", terms=[disability])
    old_url = ethnicity.get_absolute_url()
    merge_terms(race, [ethnicity], by=editor)
    race.refresh_from_db()
    return race, old_url


def titles(response):
    return sorted(resource.title for resource in response.context["page"])


def test_the_merged_terms_page_redirects_permanently_to_the_surviving_term(client, merged):
    race, old_url = merged
    response = client.get(old_url)
    assertRedirects(
        response, race.get_absolute_url(), status_code=301, fetch_redirect_response=False
    )
    response = client.get(response.url)
    assertContains(response, NOTICE, count=1)
    assertContains(response, "<h1>Race</h1>", html=True)


def test_an_old_slug_in_the_finder_means_the_surviving_term_and_says_so_once(client, merged):
    response = client.get(FINDER + "?characteristic=ethnicity&kind=publication")
    assertRedirects(
        response, FINDER + "?characteristic=race&kind=publication", fetch_redirect_response=False
    )
    response = client.get(response.url)
    assertContains(response, NOTICE, count=1)
    assertNotContains(response, "Part of this view was ignored")
    assert titles(response) == ["Ethnicity data guide", "Race equality in practice"]
    # Once: the canonical address, visited again, carries no notice.
    assertNotContains(client.get(FINDER + "?characteristic=race"), NOTICE)


def test_an_old_slug_in_the_api_and_a_feed_means_the_surviving_term(client, merged):
    response = client.get(reverse("api:resources") + "?characteristic=ethnicity")
    assert response.status_code == 200, response.content
    assert sorted(item["title"] for item in response.json()["results"]) == [
        "Ethnicity data guide",
        "Race equality in practice",
    ]
    feed = client.get(reverse("resources:feed") + "?characteristic=ethnicity")
    assertContains(feed, "Ethnicity data guide")
    assertNotContains(feed, "Accessible information")


def test_a_saved_view_with_an_old_slug_counts_the_surviving_term(client, merged):
    person = make_person(username="alex")
    make_saved_view(owner=person, name="Ethnicity", query_string="characteristic=ethnicity")
    client.force_login(person)
    response = client.get(reverse("resources:saved-views"))
    assertNotContains(response, "no longer applies")
    assertContains(response, "<strong>2 resources</strong>", html=True)


def test_the_old_slug_is_not_shown_as_a_synonym(client, merged):
    race, _ = merged
    assert race.synonym_list == ["Ethnicity"]
    assert list(race.former_slugs.values_list("slug", "name")) == [("ethnicity", "Ethnicity")]
    response = client.get(race.get_absolute_url())
    assertContains(response, "<dd>Ethnicity</dd>", html=True)
    assertNotContains(response, "ethnicity,")


def test_a_term_merged_again_takes_its_former_slugs_along(editor, merged):
    race, old_url = merged
    people = make_term(vocabulary=race.vocabulary, name="People", slug="people")
    merge_terms(people, [race], by=editor)
    from taxonomy.models import FormerSlug

    assert set(FormerSlug.objects.values_list("term__slug", "slug")) == {
        ("people", "ethnicity"),
        ("people", "race"),
    }


def test_the_migration_moves_slugs_earlier_merges_kept_as_synonyms(client):
    vocabulary = make_vocabulary(name="Protected characteristic", slug="characteristic")
    race = make_term(vocabulary=vocabulary, name="Race", slug="race", synonyms="BAME")
    ethnicity = make_term(vocabulary=vocabulary, name="Ethnicity", slug="ethnicity")
    ethnicity.delete()  # as an earlier merge did, keeping its name and slug as synonyms
    race.synonyms = "BAME\nEthnicity\nethnicity\nbame"
    race.save()
    migration = importlib.import_module("taxonomy.migrations.0004_former_slugs")
    migration.move_merged_slugs_out_of_synonyms(apps, None)
    race.refresh_from_db()
    assert race.synonym_list == ["BAME", "Ethnicity", "bame"]
    assert list(race.former_slugs.values_list("slug", "name")) == [("ethnicity", "Ethnicity")]
    assertRedirects(
        client.get(ethnicity.get_absolute_url()), race.get_absolute_url(), status_code=301
    )


def test_an_import_naming_a_merged_term_by_its_old_slug_tags_the_surviving_term(
    client, editor, merged
):
    race, _ = merged
    groups = make_term(vocabulary=race.vocabulary, name="Ethnic groups", slug="ethnic-grps")
    merge_terms(race, [groups], by=editor)
    upload = csv_upload(
        [
            ["Title", "Web address", "Protected characteristic"],
            ["Imported", "https://example.org/imported", "ethnic-grps"],
        ]
    )
    response = confirm(client, preview(client, upload))
    assert response.status_code == 200
    assert list(Resource.objects.get(title="Imported").terms.all()) == [race]
