"""The curators' coverage page: terms by type of resource, counting published resources."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from resources.models import ResourceKind, ResourceStatus
from tests.factories import make_resource, make_resources, make_term, make_user, make_vocabulary

pytestmark = pytest.mark.django_db

COVERAGE = reverse("admin:resources_resource_coverage")


@pytest.fixture
def characteristic():
    vocabulary = make_vocabulary(name="Protected characteristic", slug="characteristic")
    race = make_term(vocabulary=vocabulary, name="Race", slug="race", position=1)
    roma = make_term(vocabulary=vocabulary, name="Roma", slug="roma", parent=race, position=2)
    disability = make_term(vocabulary=vocabulary, name="Disability", slug="disability", position=3)
    return {"vocabulary": vocabulary, "race": race, "roma": roma, "disability": disability}


def cell(response, vocabulary, term, kind):
    table = next(t for t in response.context["coverage"].tables if t.vocabulary.slug == vocabulary)
    row = next(row for row in table.rows if row.term and row.term.slug == term)
    kinds = [value for value, label in response.context["coverage"].kinds]
    return row.cells[kinds.index(kind)].count


def test_coverage_counts_published_resources_by_term_and_type(client, librarian, characteristic):
    race, roma, disability = (
        characteristic["race"],
        characteristic["roma"],
        characteristic["disability"],
    )
    make_resource(kind=ResourceKind.GUIDANCE, terms=[race])
    make_resource(kind=ResourceKind.GUIDANCE, terms=[race, roma])  # counted once under race
    make_resource(kind=ResourceKind.E_LEARNING, terms=[roma])
    make_resource(kind=ResourceKind.E_LEARNING, terms=[disability], status=ResourceStatus.DRAFT)
    make_resource(kind=ResourceKind.TOOL)

    response = client.get(COVERAGE)

    assert cell(response, "characteristic", "race", "guidance") == 2
    assert cell(response, "characteristic", "race", "e-learning") == 1  # through Roma
    assert cell(response, "characteristic", "roma", "guidance") == 1
    assert cell(response, "characteristic", "disability", "e-learning") == 0  # only a draft
    assertContains(
        response,
        '<a href="/resources/?characteristic=race&amp;kind=guidance">2'
        '<span class="visually-hidden"> guidance about Race</span></a>',
        html=True,
    )
    assertContains(
        response,
        '<td class="coverage-gap">0<span class="visually-hidden"> (gap: no tool about Disability)'
        "</span></td>",
        html=True,
    )
    assertContains(response, '<th scope="col">E-learning</th>', html=True)
    assertContains(
        response,
        "<caption>Protected characteristic: published resources by term and type</caption>",
        html=True,
    )
    assertContains(response, "Types with no published resource at all, so without a column: Report")
    assertNotContains(response, '<th scope="col">Report</th>', html=True)
    assertContains(response, "No protected characteristic term")


def test_coverage_lists_terms_in_tree_order_with_narrower_terms_indented(
    client, librarian, characteristic
):
    make_resource(terms=[characteristic["race"]])
    response = client.get(COVERAGE)
    (table,) = response.context["coverage"].tables
    assert [(row.label, row.depth) for row in table.rows] == [
        ("Race", 0),
        ("Roma", 1),
        ("Disability", 0),
        ("No protected characteristic term", 0),
    ]
    assertContains(response, 'class="coverage-depth-1"')


def test_the_unclassified_row_counts_resources_without_a_term_in_the_vocabulary(
    client, librarian, characteristic
):
    make_resource(kind=ResourceKind.GUIDANCE, terms=[characteristic["race"]])
    make_resource(kind=ResourceKind.GUIDANCE)
    response = client.get(COVERAGE)
    (table,) = response.context["coverage"].tables
    unclassified = table.rows[-1]
    assert unclassified.term is None
    assert [c.count for c in unclassified.cells] == [1]
    assert unclassified.total.count == 1


def test_coverage_has_an_empty_state(client, librarian):
    assertContains(client.get(COVERAGE), "Nothing to show yet")


def test_coverage_is_for_staff_who_may_view_resources(client, characteristic):
    client.force_login(make_user())
    assert client.get(COVERAGE).status_code == 403
    viewer = make_user()
    viewer.user_permissions.add(Permission.objects.get(codename="view_resource"))
    client.force_login(viewer)
    assert client.get(COVERAGE).status_code == 200
    client.logout()
    assert client.get(COVERAGE).status_code == 302  # to the admin's login page


@pytest.mark.parametrize("count", [3, 30])
def test_coverage_queries_stay_flat(
    client, librarian, characteristic, django_assert_num_queries, count
):
    audience = make_vocabulary(name="Audience", slug="audience")
    commissioners = make_term(vocabulary=audience, name="Commissioners", slug="commissioners")
    for kind in [ResourceKind.GUIDANCE, ResourceKind.TOOL]:
        make_resources(
            count,
            kind=kind,
            terms=[characteristic["roma"], characteristic["disability"], commissioners],
        )
    with django_assert_num_queries(15):  # the first visit after a change counts, and keeps them
        response = client.get(COVERAGE)
    assert cell(response, "audience", "commissioners", "tool") == count
    with django_assert_num_queries(7):  # the next reads what was kept
        response = client.get(COVERAGE)
    assert cell(response, "audience", "commissioners", "tool") == count
