"""The term ids kept on each resource's row (resources/term_ids.py, PostgreSQL) stay in step with
its terms through every path that changes them: an edit in the admin, a term merge, a term moved
under another, a bulk load. Each test reads the finder as a visitor would, so it also holds on
SQLite, which counts through the term links."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from resources.curation.merging import merge_terms
from resources.models import Resource
from resources.term_ids import count_term_ids
from taxonomy.models import Term, with_narrower
from tests.factories import make_resource, make_term, make_user
from tests.resources.views.test_pages import option_count, result_slugs

pytestmark = pytest.mark.django_db

FINDER = reverse("resources:list")


def test_an_edit_in_the_admin_moves_a_resource_between_views_and_counts(client, taxonomy):
    resource = make_resource(slug="guide", terms=[taxonomy["race"], taxonomy["commissioners"]])
    client.force_login(make_user(groups=["Librarian"]))
    change = reverse("admin:resources_resource_change", args=[resource.pk])
    terms = [taxonomy["race"].pk, taxonomy["pharmacy"].pk]
    form = {
        "title": resource.title,
        "slug": resource.slug,
        "url": resource.url,
        "kind": "guidance",
        "format": "",
        "access": "free",
        "summary": "",
        "year_published": "2021",
        "keywords": "",
        "curator_notes": "",
        "publisher": resource.publisher_id,
        "terms": terms,
    }
    assert client.post(change, form).status_code == 302
    client.logout()

    # Pharmacy teams is narrower than frontline staff: choosing the broader term finds it.
    assert result_slugs(client.get(FINDER + "?audience=frontline")) == ["guide"]
    assert result_slugs(client.get(FINDER + "?audience=commissioners")) == []
    response = client.get(FINDER + "?characteristic=race")
    assert option_count(response, "audience", "frontline") == "1"
    assert option_count(response, "audience", "pharmacy") == "1"
    assert option_count(response, "audience", "commissioners") == "none"


def test_a_term_merge_brings_the_merged_terms_narrower_resources_under_the_survivor(
    client, taxonomy
):
    race = taxonomy["race"]
    ethnicity = make_term(vocabulary=race.vocabulary, slug="ethnicity", name="Ethnicity")
    roma = make_term(vocabulary=race.vocabulary, slug="roma", name="Roma", parent=ethnicity)
    make_resource(slug="roma-health", terms=[roma, taxonomy["commissioners"]])
    editor = make_user(groups=["Editor"])

    merge_terms(race, [ethnicity], by=editor)

    assert result_slugs(client.get(FINDER + "?characteristic=race")) == ["roma-health"]
    response = client.get(FINDER + "?audience=commissioners")
    assert option_count(response, "characteristic", "race") == "1"
    assert option_count(response, "characteristic", "roma") == "1"


def test_a_term_moved_under_another_counts_its_resources_there(client, taxonomy):
    frontline, commissioners = taxonomy["frontline"], taxonomy["commissioners"]
    make_resource(slug="pharmacy-guide", terms=[taxonomy["pharmacy"], taxonomy["race"]])
    pharmacy = Term.objects.get(slug="pharmacy")
    pharmacy.parent = commissioners
    pharmacy.save()

    assert result_slugs(client.get(FINDER + "?audience=commissioners")) == ["pharmacy-guide"]
    assert result_slugs(client.get(FINDER + "?audience=frontline")) == []
    response = client.get(FINDER + "?characteristic=race")
    assert option_count(response, "audience", commissioners.slug) == "1"
    assert option_count(response, "audience", frontline.slug) == "none"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL keeps term ids")
def test_a_bulk_load_keeps_each_resources_terms_and_their_broader_terms_on_its_row():
    call_command("load_catalogue", verbosity=0)
    terms = list(Term.objects.all())
    broader = {term.pk: set() for term in terms}  # term id -> it and the terms above it
    for term in terms:
        for below in with_narrower(
            [term], [item for item in terms if item.vocabulary_id == term.vocabulary_id]
        ):
            broader[below].add(term.pk)
    links = Resource.terms.through.objects.values_list("resource_id", "term_id")
    expected = {}
    for resource_id, term_id in links:
        expected.setdefault(resource_id, set()).update(broader[term_id])
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, term_ids FROM resources_resource")
        kept = {pk: set(ids) for pk, ids in cursor.fetchall()}
    assert len(kept) > 100
    assert kept == {pk: expected.get(pk, set()) for pk in kept}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL keeps term ids")
def test_counting_a_view_known_to_hold_nothing_asks_nothing(taxonomy, django_assert_num_queries):
    make_resource(terms=[taxonomy["race"]])
    views = {0: Resource.objects.none(), 1: Resource.objects.published()}
    with django_assert_num_queries(1):
        counts = count_term_ids(views)
    assert counts == {0: {}, 1: {taxonomy["race"].pk: 1}}
