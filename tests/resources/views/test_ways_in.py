"""Ways in by role: /for/ lists the roles with a page; /for/<role>/ gives the role's introduction,
the curators' start-here picks in their order, then the way into that audience's finder view."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from resources.curation.merging import merge_terms
from resources.models import ResourceStatus, WayInPick
from taxonomy.models import FormerSlug
from tests.factories import make_resource, make_term, make_user, make_vocabulary, make_way_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def audience():
    return make_vocabulary(slug="audience", name="Audience")


@pytest.fixture
def nurses(audience):
    frontline = make_term(vocabulary=audience, slug="frontline", name="Frontline staff", position=1)
    return make_term(
        vocabulary=audience,
        slug="nurses",
        name="Nurses and nursing staff",
        parent=frontline,
        position=2,
    )


def titles_on(response):
    """The start-here titles, in the page's order."""
    picks = response.context["picks"]
    return [resource.title for resource in picks]


def test_role_page_shows_introduction_then_picks_in_the_curators_order(client, nurses):
    first, second, third = (
        make_resource(title=title, terms=[nurses]) for title in ["Alpha", "Bravo", "Charlie"]
    )
    make_way_in(
        term=nurses,
        introduction="Nurses have many conversations a day.",
        picks=[third, first, second],
    )
    response = client.get("/for/nurses/")
    assertContains(response, "<h1>Nurses and nursing staff</h1>", html=True)
    assertContains(response, "Nurses have many conversations a day.")
    assert titles_on(response) == ["Charlie", "Alpha", "Bravo"]
    body = response.content.decode()
    assert body.index("Charlie") < body.index("Alpha") < body.index("Bravo")
    assertContains(
        response, '<link rel="canonical" href="http://testserver/for/nurses/">', html=True
    )
    assertContains(
        response,
        "<title>Nurses and nursing staff: where to start – Health Inequalities Resource "
        "Directory</title>",
        html=True,
    )


def test_reordering_picks_changes_the_page(client, nurses):
    first, second = make_resource(title="Alpha", terms=[nurses]), make_resource(title="Bravo")
    way_in = make_way_in(term=nurses, picks=[first, second])
    WayInPick.objects.filter(way_in=way_in, resource=first).update(position=9)
    assert titles_on(client.get("/for/nurses/")) == ["Bravo", "Alpha"]


@pytest.mark.parametrize("status", [ResourceStatus.DRAFT, ResourceStatus.ARCHIVED])
def test_a_pick_no_longer_published_silently_drops_out(client, nurses, status):
    kept = make_resource(title="Still published", terms=[nurses])
    gone = make_resource(title="Taken down", terms=[nurses])
    make_way_in(term=nurses, picks=[gone, kept])
    gone.status = status
    gone.save()
    response = client.get("/for/nurses/")
    assert response.status_code == 200
    assert titles_on(response) == ["Still published"]
    assertNotContains(response, "Taken down")


def test_role_page_links_to_the_audience_finder_view_with_its_count(client, nurses):
    tagged = [make_resource(terms=[nurses]) for _ in range(3)]
    make_resource(terms=[nurses], status=ResourceStatus.DRAFT)
    make_way_in(term=nurses, picks=tagged[:1])
    response = client.get("/for/nurses/")
    assertContains(
        response,
        '<a href="/resources/?audience=nurses">All 3 resources for “Nurses and nursing staff”</a>',
        html=True,
    )
    finder = client.get("/resources/?audience=nurses")
    assert finder.context["page"].paginator.count == 3


def test_a_broader_role_counts_its_narrower_roles_as_the_finder_does(client, nurses):
    make_resource(terms=[nurses.parent])
    make_resource(terms=[nurses])
    make_way_in(term=nurses.parent)
    response = client.get("/for/frontline/")
    assertContains(response, "All 2 resources for “Frontline staff”")
    assert client.get("/resources/?audience=frontline").context["page"].paginator.count == 2


def test_role_page_without_published_picks_says_so_and_still_leads_to_the_finder(client, nurses):
    draft = make_resource(terms=[nurses], status=ResourceStatus.DRAFT)
    make_resource(terms=[nurses])
    make_way_in(term=nurses, picks=[draft])
    response = client.get("/for/nurses/")
    assertContains(response, "The librarians have not chosen any resources to start with yet.")
    assertContains(response, "All 1 resource for “Nurses and nursing staff”")


def test_role_page_for_an_audience_with_no_resources_says_so(client, nurses):
    make_way_in(term=nurses)
    response = client.get("/for/nurses/")
    assertContains(response, "No published resources are tagged for “Nurses and nursing staff”")
    assertNotContains(response, "/resources/?audience=nurses")


def test_introduction_is_escaped(client, nurses):
    make_way_in(term=nurses, introduction="<script>alert(1)</script> & more")
    response = client.get("/for/nurses/")
    assertNotContains(response, "<script>alert(1)</script>")
    assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more")


def test_unknown_or_unpublished_roles_are_not_found(client, nurses, audience):
    make_way_in(term=nurses, is_published=False)
    make_way_in(term=make_term(slug="analysts"))  # a term of another vocabulary
    assert client.get("/for/nurses/").status_code == 404
    assert client.get("/for/no-such-role/").status_code == 404
    assert client.get("/for/analysts/").status_code == 404
    assert client.get("/for/<script>/").status_code == 404


def test_a_merged_audience_slug_moves_for_good_to_the_page_it_joined(client, nurses):
    make_way_in(term=nurses)
    FormerSlug.objects.create(term=nurses, slug="nursing-staff", name="Nursing staff")
    response = client.get("/for/nursing-staff/")
    assertRedirects(response, "/for/nurses/", status_code=301, fetch_redirect_response=False)
    assertContains(client.get("/for/nurses/"), "“Nursing staff” is now part of")


def test_a_merged_audience_slug_without_a_published_page_is_not_found(client, nurses):
    FormerSlug.objects.create(term=nurses, slug="nursing-staff", name="Nursing staff")
    assert client.get("/for/nursing-staff/").status_code == 404


def test_role_page_takes_no_posts(client, nurses):
    make_way_in(term=nurses)
    assert client.post("/for/nurses/").status_code == 405
    assert client.head("/for/nurses/").status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_role_page_queries_stay_flat_as_picks_grow(
    client, django_assert_num_queries, nurses, count
):
    picks = [make_resource(terms=[nurses]) for _ in range(count)]
    make_way_in(term=nurses, picks=picks)
    # The catalogue's version (the page cache's key), the page with its term, the picks with
    # their publishers, the audience's terms, the count.
    with django_assert_num_queries(5):
        response = client.get("/for/nurses/")
    assert len(response.context["picks"]) == count


def test_list_page_lists_published_roles_in_the_vocabularys_order(client, audience, nurses):
    analysts = make_term(vocabulary=audience, slug="analysts", name="Analysts", position=99)
    make_way_in(term=analysts, introduction="Data first.")
    make_way_in(term=nurses, introduction="Care first.")
    make_way_in(term=nurses.parent, is_published=False)
    response = client.get(reverse("resources:ways-in"))
    assertContains(response, "<h1>Ways in by role</h1>", html=True)
    body = response.content.decode()
    assert body.index('href="/for/nurses/"') < body.index('href="/for/analysts/"')
    assertContains(response, "Care first.")
    assertNotContains(response, 'href="/for/frontline/"')
    assertContains(response, '<link rel="canonical" href="http://testserver/for/">', html=True)


def test_list_page_without_roles_points_to_the_finder(client):
    response = client.get("/for/")
    assertContains(response, "There are no pages by role yet.")


@pytest.mark.parametrize("count", [1, 8])
def test_list_page_queries_stay_flat(client, django_assert_num_queries, audience, count):
    for _ in range(count):
        make_way_in(term=make_term(vocabulary=audience))
    # The catalogue's version (the page cache's key), the pages with their terms.
    with django_assert_num_queries(2):
        client.get("/for/")


def test_home_page_links_each_published_role(client, nurses):
    assertNotContains(client.get("/"), 'id="roles-title"')
    make_way_in(term=nurses)
    make_way_in(term=nurses.parent, is_published=False)
    response = client.get("/")
    assertContains(response, '<a href="/for/">Ways in by role</a>', html=True)
    assertContains(response, '<a href="/for/nurses/">Nurses and nursing staff</a>', html=True)
    assertNotContains(response, 'href="/for/frontline/"')


def test_home_page_follows_a_role_page_being_unpublished(client, nurses):
    way_in = make_way_in(term=nurses)
    assertContains(client.get("/"), 'href="/for/nurses/"')
    way_in.is_published = False
    way_in.save()
    assertNotContains(client.get("/"), 'href="/for/nurses/"')


def test_site_navigation_links_the_roles(client):
    response = client.get("/for/")
    assertContains(response, '<a href="/for/" aria-current="page">By role</a>', html=True)


def test_published_role_pages_are_in_the_sitemap(client, nurses):
    make_way_in(term=nurses)
    make_way_in(term=nurses.parent, is_published=False)
    assertContains(client.get("/sitemap.xml"), "sitemap-roles.xml")
    sitemap = client.get("/sitemap-roles.xml")
    assertContains(sitemap, "/for/nurses/")
    assertNotContains(sitemap, "/for/frontline/")


def test_merging_an_audience_moves_its_role_page_and_old_links_follow(client, audience, nurses):
    nursing = make_term(vocabulary=audience, slug="nursing-staff", name="Nursing staff")
    first, second = make_resource(title="Alpha"), make_resource(title="Bravo")
    make_way_in(term=nursing, picks=[first, second])
    report = merge_terms(nurses, [nursing], by=make_user(is_superuser=True))
    assert "its role page has the picks of “Nursing staff”" in str(report)
    assert titles_on(client.get("/for/nurses/")) == ["Alpha", "Bravo"]
    response = client.get("/for/nursing-staff/")
    assertRedirects(response, "/for/nurses/", status_code=301, fetch_redirect_response=False)


def test_merging_two_audiences_with_pages_keeps_the_survivors_and_adds_the_others_picks(
    client, audience, nurses
):
    nursing = make_term(vocabulary=audience, slug="nursing-staff", name="Nursing staff")
    shared, own, extra = (make_resource(title=title) for title in ["Shared", "Own", "Extra"])
    make_way_in(term=nurses, introduction="The survivor's words.", picks=[own, shared])
    make_way_in(term=nursing, introduction="Gone.", picks=[shared, extra])
    merge_terms(nurses, [nursing], by=make_user(is_superuser=True))
    response = client.get("/for/nurses/")
    assert titles_on(response) == ["Own", "Shared", "Extra"]
    assertContains(response, "The survivor&#x27;s words.")
    assert WayInPick.objects.count() == 3
