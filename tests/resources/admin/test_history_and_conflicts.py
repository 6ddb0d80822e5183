"""History and revert, and saves that would overwrite a colleague's, as a curator meets them in
the admin: every form is posted with the values its page gave, hidden fields included."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from resources.models import Organisation, Resource
from taxonomy.models import Term, Vocabulary
from tests.factories import (
    make_organisation,
    make_resource,
    make_term,
    make_user,
    make_vocabulary,
)

pytestmark = pytest.mark.django_db


def as_shown(response, **changes):
    """The form on `response`'s page as its browser would post it, with `changes` typed in."""
    form = response.context["adminform"].form
    data = {}
    for field in form:
        value = field.value()
        if value is None:
            continue
        data[field.html_name] = [str(item) for item in value] if isinstance(value, list) else value
    return data | changes


def signed_in(*groups):
    client = Client()
    client.force_login(make_user(groups=groups))
    return client


def history(model, obj):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[obj.pk])


def revert(model, obj, record):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history"
    return reverse(name, args=[obj.pk, record.history_id])


def change(model, obj):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def shipped(db):
    call_command("load_catalogue", stdout=StringIO())


def test_loading_the_shipped_catalogue_keeps_each_record_s_first_version(shipped):
    for model in (Resource, Organisation, Term):
        assert model.history.count() == model.objects.count()
        first = model.history.order_by("?").first()
        assert first.history_type == "+"
        assert first.history_change_reason == "Loaded from the shipped catalogue"
    tagged = Resource.objects.filter(terms__isnull=False).first()
    first = tagged.history.get()
    assert {term.term_id for term in first.terms.all()} == set(
        tagged.terms.values_list("pk", flat=True)
    )


def test_the_first_edit_of_a_shipped_resource_can_be_reverted(shipped):
    client = signed_in("Librarian")
    resource = Resource.objects.filter(status="published").order_by("title").first()
    original = resource.title
    opened = client.get(change(Resource, resource))
    response = client.post(change(Resource, resource), as_shown(opened, title="A mistaken title"))
    assert response.status_code == 302

    first = resource.history.earliest()
    page = client.get(revert(Resource, resource, first))
    assertContains(page, escape(original))
    response = client.post(revert(Resource, resource, first), as_shown(page))
    assert response.status_code == 302, response.context["errors"]
    resource.refresh_from_db()
    assert resource.title == original
    assertContains(client.get(resource.get_absolute_url()), escape(original))


def test_reverting_a_resource_from_its_history_page_restores_the_earlier_version(client, librarian):
    resource = make_resource(title="The right title")
    opened = client.get(change(Resource, resource))
    client.post(change(Resource, resource), as_shown(opened, title="A mistaken title"))
    first = resource.history.earliest()
    page = client.get(revert(Resource, resource, first))
    assertContains(page, "The right title")
    response = client.post(revert(Resource, resource, first), as_shown(page))
    assert response.status_code == 302, response.context["errors"]
    resource.refresh_from_db()
    assert resource.title == "The right title"


def test_reverting_a_resource_restores_its_terms_and_partners_too(client, librarian):
    race, disability = make_term(name="Race"), make_term(name="Disability")
    partner = make_organisation(name="Knowledge Hub")
    resource = make_resource(title="Ethnic inequalities", terms=[race])
    resource.partners.add(partner)
    before = resource.history.latest()
    opened = client.get(change(Resource, resource))
    client.post(
        change(Resource, resource), as_shown(opened, terms=[str(disability.pk)], partners=[])
    )
    page = client.get(revert(Resource, resource, before))
    response = client.post(revert(Resource, resource, before), as_shown(page))
    assert response.status_code == 302, response.context["errors"]
    assert list(resource.terms.all()) == [race]
    assert list(resource.partners.all()) == [partner]


def test_reverting_an_organisation_and_a_term_restores_the_earlier_version(client, librarian):
    organisation = make_organisation(name="Public Health England")
    term = make_term(name="Race", synonyms="BAME")
    for model, obj, field, wrong in [
        (Organisation, organisation, "name", "Public Health England (wrong)"),
        (Term, term, "synonyms", "Nothing useful"),
    ]:
        opened = client.get(change(model, obj))
        client.post(change(model, obj), as_shown(opened, **{field: wrong}))
        first = obj.history.earliest()
        page = client.get(revert(model, obj, first))
        response = client.post(revert(model, obj, first), as_shown(page))
        assert response.status_code == 302, response.context["errors"]
        before = getattr(obj, field)
        obj.refresh_from_db()
        assert getattr(obj, field) == before
        assert obj.history.latest().history_change_reason.startswith("Reverted to the version of")


def test_history_names_who_changed_it_without_a_link_a_librarian_cannot_open(client, librarian):
    organisation = make_organisation(name="Public Health England")
    opened = client.get(change(Organisation, organisation))
    client.post(change(Organisation, organisation), as_shown(opened, acronym="PHE"))
    response = client.get(history(Organisation, organisation))
    assertContains(response, librarian.username)
    assertNotContains(response, reverse("admin:auth_user_change", args=[librarian.pk]))
    assertNotContains(response, "None")


def conflicting(model, obj, *, first_changes, second_changes):
    """Two curators open `obj`; the first saves `first_changes`, then the second saves
    `second_changes` over it. Returns the second one's response."""
    first, second = signed_in("Librarian"), signed_in("Librarian")
    first_page, second_page = first.get(change(model, obj)), second.get(change(model, obj))
    saved = first.post(change(model, obj), as_shown(first_page, **first_changes))
    assert saved.status_code == 302, saved.context["errors"]
    return second.post(change(model, obj), as_shown(second_page, **second_changes))


def test_a_second_save_over_a_colleague_s_organisation_is_refused_with_what_they_changed():
    organisation = make_organisation(name="Public Health England", acronym="")
    response = conflicting(
        Organisation,
        organisation,
        first_changes={"acronym": "PHE"},
        second_changes={"description": "Closed in 2021."},
    )
    assert response.status_code == 200
    assertContains(response, "saved this organisation at")
    assertContains(response, "nothing was overwritten")
    assertContains(response, "acronym: “” → “PHE”")
    assertContains(response, "Closed in 2021.")  # what the second curator typed is still there
    organisation.refresh_from_db()
    assert (organisation.acronym, organisation.description) == ("PHE", "")


def test_a_second_save_over_a_colleague_s_term_is_refused_with_what_they_changed():
    term = make_term(name="Race", synonyms="BAME")
    response = conflicting(
        Term,
        term,
        first_changes={"synonyms": "BAME\nethnic minority"},
        second_changes={"definition": "Ethnicity and race."},
    )
    assertContains(response, "saved this term at")
    assertContains(response, "synonyms: “BAME” → “BAME\nethnic minority”")
    term.refresh_from_db()
    assert (term.synonyms, term.definition) == ("BAME\nethnic minority", "")


def test_a_second_save_over_a_colleague_s_vocabulary_is_refused_with_what_they_changed():
    vocabulary = make_vocabulary(name="Audience", slug="audience")
    response = conflicting(
        Vocabulary,
        vocabulary,
        first_changes={"description": "Who the resource is for."},
        second_changes={"name": "Audiences"},
    )
    assertContains(response, "saved this vocabulary after you opened it")
    assertContains(response, "description: “” → “Who the resource is for.”")
    vocabulary.refresh_from_db()
    assert (vocabulary.name, vocabulary.description) == ("Audience", "Who the resource is for.")


def test_saving_again_after_a_colleague_s_save_is_accepted_once_reopened():
    organisation = make_organisation(name="Public Health England")
    conflicting(Organisation, organisation, first_changes={"acronym": "PHE"}, second_changes={})
    client = signed_in("Librarian")
    page = client.get(change(Organisation, organisation))
    response = client.post(change(Organisation, organisation), as_shown(page, description="Gone"))
    assert response.status_code == 302
