"""Curators choose each role's start-here picks in the admin, in order."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from resources.admin.ways_in import PICKS_CHANGED
from resources.models import ResourceStatus, WayIn
from tests.factories import make_resource, make_term, make_user, make_vocabulary, make_way_in

pytestmark = pytest.mark.django_db

ADD = reverse("admin:resources_wayin_add")
PREFIX = "picks"


@pytest.fixture
def nurses():
    return make_term(vocabulary=make_vocabulary(slug="audience"), slug="nurses", name="Nurses")


def form_data(*, term, picks, introduction="Start here.", is_published=True, initial=0, **extra):
    """The change form as a curator submits it: `picks` is [(pick id or None, resource, position)]."""
    data = {
        "term": term.pk,
        "introduction": introduction,
        f"{PREFIX}-TOTAL_FORMS": len(picks),
        f"{PREFIX}-INITIAL_FORMS": initial,
        f"{PREFIX}-MIN_NUM_FORMS": 0,
        f"{PREFIX}-MAX_NUM_FORMS": 1000,
    }
    if is_published:
        data["is_published"] = "on"
    for number, (pk, resource, position) in enumerate(picks):
        data |= {
            f"{PREFIX}-{number}-id": pk or "",
            f"{PREFIX}-{number}-way_in": "",
            f"{PREFIX}-{number}-resource": resource.pk,
            f"{PREFIX}-{number}-position": position,
        }
    return data | extra


def test_librarian_adds_a_role_page_with_picks_in_order(client, librarian, nurses):
    first, second = make_resource(title="Alpha", terms=[nurses]), make_resource(title="Bravo")
    response = client.post(ADD, form_data(term=nurses, picks=[(None, first, 2), (None, second, 1)]))
    assert response.status_code == 302, response.context["errors"]
    way_in = WayIn.objects.get()
    assert [pick.resource.title for pick in way_in.picks.all()] == ["Bravo", "Alpha"]
    page = client.get("/for/nurses/")
    assert [resource.title for resource in page.context["picks"]] == ["Bravo", "Alpha"]


def test_reordering_picks_in_the_admin_reorders_the_page_and_is_in_its_history(
    client, librarian, nurses
):
    first, second = make_resource(title="Alpha"), make_resource(title="Bravo")
    way_in = make_way_in(term=nurses, picks=[first, second])
    change = reverse("admin:resources_wayin_change", args=[way_in.pk])
    opened = client.get(change).context["adminform"].form["loaded_version"].value()
    [pick_a, pick_b] = way_in.picks.all()
    data = form_data(
        term=nurses,
        introduction=way_in.introduction,
        picks=[(pick_a.pk, first, 3), (pick_b.pk, second, 1)],
        initial=2,
        loaded_version=opened,
    )
    response = client.post(change, data)
    assert response.status_code == 302, response.context["errors"]
    page = client.get("/for/nurses/")
    assert [resource.title for resource in page.context["picks"]] == ["Bravo", "Alpha"]
    assert way_in.history.first().history_change_reason == PICKS_CHANGED


def test_the_same_resource_twice_on_one_page_is_refused(client, librarian, nurses):
    resource = make_resource()
    response = client.post(
        ADD, form_data(term=nurses, picks=[(None, resource, 1), (None, resource, 2)])
    )
    assert response.status_code == 200
    assertContains(response, "Please correct the duplicate data for resource")
    assert not WayIn.objects.exists()


def test_only_audience_terms_can_have_a_role_page(client, librarian, nurses):
    other = make_term(slug="race")
    response = client.post(ADD, form_data(term=other, picks=[]))
    assert response.status_code == 200
    assertContains(response, "Select a valid choice")
    assert not WayIn.objects.exists()


def test_the_inline_says_which_picks_the_page_leaves_out(client, librarian, nurses):
    draft = make_resource(title="Not yet", status=ResourceStatus.DRAFT)
    way_in = make_way_in(term=nurses, picks=[make_resource(), draft])
    response = client.get(reverse("admin:resources_wayin_change", args=[way_in.pk]))
    assertContains(response, "Shown")
    assertContains(response, "Not shown: draft")


def test_changelist_lists_pages_with_their_pick_counts(
    client, librarian, nurses, django_assert_max_num_queries
):
    make_way_in(term=nurses, picks=[make_resource(), make_resource()])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("admin:resources_wayin_changelist"))
    assertContains(response, '<td class="field-pick_count">2</td>', html=True)


def test_a_librarian_cannot_delete_a_role_page_but_an_editor_can(client, nurses):
    way_in = make_way_in(term=nurses)
    delete = reverse("admin:resources_wayin_delete", args=[way_in.pk])
    client.force_login(make_user(groups=["Librarian"]))
    assert client.get(delete).status_code == 403
    client.force_login(make_user(groups=["Editor"]))
    assert client.get(delete).status_code == 200


def test_a_new_pick_is_offered_the_next_position(client, librarian, nurses):
    way_in = make_way_in(term=nurses, picks=[make_resource(), make_resource()])
    response = client.get(reverse("admin:resources_wayin_change", args=[way_in.pk]))
    [extra] = response.context["inline_admin_formsets"][0].formset.extra_forms
    assert extra["position"].value() == 3
    response = client.get(ADD)
    [extra] = response.context["inline_admin_formsets"][0].formset.extra_forms
    assert extra["position"].value() == 1


def test_an_audience_term_with_a_role_page_cannot_be_deleted(client, editor, nurses):
    make_way_in(term=nurses)
    delete = reverse("admin:taxonomy_term_delete", args=[nurses.pk])
    response = client.post(delete, {"post": "yes"})
    assertContains(response, "would require deleting the following protected related objects")
    assertContains(response, "Nurses")
    assert WayIn.objects.filter(term=nurses).exists()
