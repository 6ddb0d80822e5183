"""The admin's Insights page: what was counted, above the threshold only, for curators only."""

import html
import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from resources.models import InsightCount, ResourceStatus
from tests.factories import make_resource, make_user

pytestmark = pytest.mark.django_db

INSIGHTS = reverse("insights")


def count(kind, subject, number, *, weeks_ago=0, empty=0, results=None):
    return InsightCount.objects.create(
        kind=kind,
        subject=subject,
        day=timezone.localdate() - timedelta(weeks=weeks_ago),
        count=number,
        empty_count=empty,
        result_count=results,
    )


def text(response):
    """The page's words, tags stripped and spaces collapsed."""
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))


def section(words, heading, following):
    """The words between a section's heading and the next section's."""
    return words.split(f" {heading} ", 1)[1].split(f" {following} ", 1)[0]


def test_visitors_and_staff_without_the_permission_are_refused(client):
    response = client.get(INSIGHTS)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(make_user(is_staff=False))
    assert client.get(INSIGHTS).status_code == 302
    client.force_login(make_user())  # staff, in neither curator group
    assert client.get(INSIGHTS).status_code == 403


def test_librarians_see_the_page_too(client):
    client.force_login(make_user(groups=["Librarian"]))
    assert client.get(INSIGHTS).status_code == 200


def test_before_anything_is_counted_the_page_says_so(client, editor):
    response = client.get(INSIGHTS)
    assertContains(response, "Nothing has been counted yet.")
    assertNotContains(response, "insights-svg")


def test_the_admin_home_and_header_link_to_it(client, editor):
    home = client.get(reverse("admin:index"))
    assertContains(home, f'<a href="{INSIGHTS}">Insights</a>', count=2)
    client.force_login(make_user())
    assertNotContains(client.get(reverse("admin:index")), INSIGHTS)


def test_searches_that_found_nothing_come_first_each_with_a_prefilled_add_form(client, editor):
    count("search", "sickle cell", 5, empty=5, results=0)
    count("search", "gypsy & traveller health", 3, weeks_ago=2, empty=3, results=0)
    count("search", "gypsy & traveller health", 1, results=2)  # something added since
    count("search", "diabetes", 40, results=12)

    response = client.get(INSIGHTS)

    unfound = section(text(response), "Searches that found nothing", "Most frequent searches")
    assert re.search(
        r"sickle cell 5 Still nothing .*gypsy & traveller health 3 2 resources", unfound
    )
    assert "diabetes" not in unfound
    add = reverse("admin:resources_resource_add")
    assertContains(response, f'href="{add}?title=sickle%20cell"')
    assertContains(response, f'href="{add}?title=gypsy%20%26%20traveller%20health"')
    form = client.get(f"{add}?title=sickle%20cell")
    assertContains(form, 'value="sickle cell"')


def test_a_search_seen_fewer_times_than_the_threshold_is_shown_nowhere(client, editor, settings):
    settings.INSIGHTS_MIN_COUNT = 3
    count("search", "jane doe discharge", 1, empty=1, results=0)
    count("search", "jane doe discharge", 1, weeks_ago=3, empty=1, results=0)
    count("view", "publisher=tiny-charity", 2)
    count("search", "asthma", 2)
    count("search", "asthma", 1, weeks_ago=1)  # three in the period, over two weeks

    response = client.get(INSIGHTS)

    assertNotContains(response, "jane doe")
    assertNotContains(response, "tiny-charity")
    assertContains(response, "asthma")
    assertContains(response, "None seen 3 or more times in the last 12 weeks.", count=2)
    # Only inside the period: asthma's older searches do not count towards the 12 weeks.
    InsightCount.objects.filter(subject="asthma", count=1).update(
        day=timezone.localdate() - timedelta(weeks=13)
    )
    assertNotContains(client.get(INSIGHTS), "asthma")


def test_frequent_searches_and_views_are_listed_in_words_with_links_to_them(
    client, editor, taxonomy
):
    count("search", "health equity audit", 8, results=4)
    count("view", "audience=commissioners&characteristic=race", 6)
    count("view", "", 4)

    response = client.get(INSIGHTS)

    finder = reverse("resources:list")
    assertContains(response, f'<a href="{finder}?q=health+equity+audit">health equity audit</a>')
    assertContains(
        response,
        f'<a href="{finder}?audience=commissioners&amp;characteristic=race">'
        "Resources for commissioners, about Race</a>",
    )
    assertContains(response, f'<a href="{finder}">All resources</a>')


def test_most_and_least_opened_resources_and_clicks_through(client, editor):
    popular = make_resource(title="Core20PLUS5")
    quiet = make_resource(title="A quiet guide")
    never = make_resource(title="Never opened")
    draft = make_resource(title="Draft never opened", status=ResourceStatus.DRAFT)
    count("resource", str(popular.pk), 30)
    count("resource", str(quiet.pk), 1)
    count("click", str(popular.pk), 12)

    response = client.get(INSIGHTS)
    words = text(response)

    most = section(words, "Most opened resources", "Least opened")
    assert re.search(r"Core20PLUS5 .*30 12 .*A quiet guide .*1 0", most)
    least = section(words, "Least opened resources", "Most clicked through")
    assert least.index("Never opened") < least.index("A quiet guide") < least.index("Core20PLUS5")
    assert draft.title not in least
    clicks = section(words, "Most clicked through", "Everything counted each week")
    assert re.search(r"Core20PLUS5 .*12 30", clicks)
    change = reverse("admin:resources_resource_change", args=[never.pk])
    assertContains(response, f'<a href="{change}">Never opened</a>')


def test_each_week_is_a_bar_with_its_number_beside_it_in_a_table(client, editor):
    resource = make_resource()
    count("resource", str(resource.pk), 7, weeks_ago=2)
    count("resource", str(resource.pk), 3)
    count("search", "zzyzx", 1, empty=1, results=0)

    response = client.get(INSIGHTS)
    page = response.content.decode()

    charts = re.findall(r'<svg class="insights-svg" role="img" aria-label="([^"]+)"', page)
    opened = next(label for label in charts if label.startswith("Resource pages opened per week"))
    weeks = opened.split(": ", 1)[1].split("; ")
    assert len(weeks) == 12
    assert [week.rsplit(": ", 1)[1] for week in weeks[-3:]] == ["7", "0", "3"]
    assert f"<title>{opened}</title>" in page
    table = text(response).split("Week by week: the numbers in the charts", 1)[1]
    last_week = weeks[-1].rsplit(": ", 1)[0]
    # Week from, searches, found nothing, views, pages opened, clicks through.
    assert re.search(rf"{last_week} 1 1 0 3 0", table)
    assert "zzyzx" not in page  # a rare search counts in the totals, by number only


def test_the_last_52_weeks_read_the_weekly_totals_too(client, editor):
    resource = make_resource(title="Long remembered")
    InsightCount.objects.create(
        kind="resource",
        subject=str(resource.pk),
        span="week",
        day=timezone.localdate() - timedelta(weeks=30),
        count=9,
    )
    twelve_weeks = section(text(client.get(INSIGHTS)), "Most opened resources", "Least opened")
    assert "Long remembered" not in twelve_weeks
    response = client.get(INSIGHTS, {"weeks": "52"})
    assertContains(response, 'aria-current="page">The last 52 weeks</a>')
    most = section(text(response), "Most opened resources", "Least opened")
    assert re.search(r"Long remembered .*9", most)
    assert client.get(INSIGHTS, {"weeks": "junk"}).status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_the_page_queries_stay_flat(client, editor, taxonomy, django_assert_num_queries, size):
    for number in range(size):
        resource = make_resource()
        count("resource", str(resource.pk), number + 1)
        count("click", str(resource.pk), number + 1)
        count("search", f"search {number}", 5, empty=5, results=0)
        count("view", f"audience=commissioners&kind=guidance&year_from={2000 + number}", 5)
    # Session, user, and the user's and groups' permissions (4); whether anything is counted;
    # for each list its rows, then its weeks (searches that found nothing also their latest
    # count; views their vocabularies, terms and merged terms' slugs; resources the resources
    # and their other count); the least opened; the five charts.
    with django_assert_num_queries(29):
        response = client.get(INSIGHTS)
    assert response.status_code == 200


def test_what_people_typed_is_shown_as_text_never_as_markup(client, editor):
    count("search", '<script>alert("x")</script> "quoted"', 4, empty=4, results=0)
    response = client.get(INSIGHTS)
    assertNotContains(response, "<script>alert")
    assertContains(response, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
    add = reverse("admin:resources_resource_add")
    assertContains(response, f'href="{add}?title=%3Cscript%3Ealert%28%22x%22%29%3C%2Fscript%3E')


def test_the_raw_counts_have_no_admin_pages_of_their_own():
    assert InsightCount not in admin.site._registry
    assert not InsightCount._meta.default_permissions
