"""Counting what people look for: each kind counted once per page, nothing for what is not a
person's successful page, no cookie, no identity, one query, and never a broken page."""

import time

import pytest
from django.db import DatabaseError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resources.insights import recording, tallying
from resources.insights.recording import Insight, note, write
from resources.models import InsightCount, ResourceStatus
from tests.factories import make_resource, make_user

pytestmark = pytest.mark.django_db

FINDER = reverse("resources:list")
ROBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def counted():
    """{(kind, subject): (count, found nothing, latest result count)} for today."""
    return {
        (row.kind, row.subject): (row.count, row.empty_count, row.result_count)
        for row in InsightCount.objects.filter(day=timezone.localdate())
    }


def without_recording(settings):
    """Settings without RecordInsights, for a new Client (each loads the middleware once)."""
    settings.MIDDLEWARE = [
        name
        for name in settings.MIDDLEWARE
        if name != "resources.insights.middleware.RecordInsights"
    ]


def test_a_search_is_counted_normalised_with_what_it_found(client):
    make_resource(title="Oral health in care homes")
    make_resource(title="Oral health for children")
    client.get(FINDER, {"q": "  Oral   HEALTH "}, follow=True)
    client.get(FINDER, {"q": "oral health"})
    assert counted() == {("search", "oral health"): (2, 0, 2)}


def test_a_search_that_found_nothing_is_flagged(client):
    make_resource(title="Oral health in care homes")
    client.get(FINDER, {"q": "zzyzx quokka"})
    assert counted() == {("search", "zzyzx quokka"): (1, 1, 0)}


def test_a_finder_view_is_counted_by_its_canonical_query_string(client, taxonomy):
    make_resource(terms=[taxonomy["race"], taxonomy["commissioners"]])
    # Out of order, so the finder redirects to the canonical address: the redirect is not
    # counted, the page it leads to is, once.
    response = client.get(FINDER + "?characteristic=race&audience=commissioners", follow=True)
    assert response.redirect_chain
    client.get(FINDER)
    assert counted() == {
        ("view", "audience=commissioners&characteristic=race"): (1, 0, None),
        ("view", ""): (1, 0, None),
    }


def test_later_pages_of_a_view_are_not_counted_again(client):
    for number in range(25):
        make_resource(title=f"Guide {number:02}")
    client.get(FINDER, {"page": "2"})
    assert counted() == {}


def test_a_page_answered_from_the_page_cache_is_counted_as_one_the_view_made(client):
    resource = make_resource(title="Oral health in care homes")
    assert client.get(FINDER, {"q": "oral health"})["X-Page-Cache"] == "miss"
    assert client.get(FINDER, {"q": "oral health"})["X-Page-Cache"] == "hit"
    assert client.get(resource.get_absolute_url())["X-Page-Cache"] == "miss"
    hit = client.get(resource.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit"
    assert counted() == {
        ("search", "oral health"): (2, 0, 1),
        ("resource", str(resource.pk)): (2, 0, None),
    }
    # A browser asking whether its copy is still good gets a bodiless 304: not counted.
    client.get(resource.get_absolute_url(), headers={"If-None-Match": hit["ETag"]})
    assert counted()[("resource", str(resource.pk))] == (2, 0, None)


def test_a_resource_page_is_counted_by_the_resources_id(client):
    resource = make_resource()
    client.get(resource.get_absolute_url())
    client.get(resource.get_absolute_url())
    assert counted() == {("resource", str(resource.pk)): (2, 0, None)}


def test_a_draft_is_never_counted(client):
    draft = make_resource(status=ResourceStatus.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("resources:go", args=[draft.slug])).status_code == 404
    client.force_login(make_user(groups=["Editor"]))
    assert client.get(draft.get_absolute_url()).status_code == 200  # a curator's preview
    assert counted() == {}


def test_the_go_to_button_leads_through_a_counted_redirect_to_the_publishers_address(client):
    resource = make_resource(url="https://www.england.nhs.uk/about/equality/")
    page = client.get(resource.get_absolute_url())
    go = reverse("resources:go", args=[resource.slug])
    assert f'href="{go}"' in page.content.decode()
    response = client.get(go)
    assert response.status_code == 302
    assert response["Location"] == "https://www.england.nhs.uk/about/equality/"
    assert counted()[("click", str(resource.pk))] == (1, 0, None)


def test_the_redirect_goes_only_to_the_catalogues_own_address(client):
    resource = make_resource(url="https://example.org/report")
    go = reverse("resources:go", args=[resource.slug])
    response = client.get(go, {"next": "https://evil.example/", "url": "https://evil.example/"})
    assert response["Location"] == "https://example.org/report"
    without_address = make_resource(url="", url_missing_reason="Printed only.")
    assert client.get(reverse("resources:go", args=[without_address.slug])).status_code == 404
    assert client.get(reverse("resources:go", args=["no-such-resource"])).status_code == 404


def test_other_links_to_a_resource_stay_the_publishers_own(client):
    resource = make_resource(url="https://example.org/report")
    page = client.get(resource.get_absolute_url()).content.decode()
    assert page.count(reverse("resources:go", args=[resource.slug])) == 1
    assert "https://example.org/report" in page  # the citation's address is the real one


def test_nothing_is_counted_for_an_answer_that_is_not_a_page(client):
    resource = make_resource()
    client.get(FINDER, {"page": "junk"})  # a message and page 1: still a page, counted
    InsightCount.objects.all().delete()
    assert client.post(resource.get_absolute_url()).status_code == 405
    assert client.get("/resources/no-such-resource/").status_code == 404
    assert client.head(resource.get_absolute_url()).status_code == 200
    assert counted() == {}


def test_robots_are_not_counted(client):
    resource = make_resource()
    client.get(resource.get_absolute_url(), headers={"User-Agent": ROBOT})
    client.get(resource.get_absolute_url(), headers={"User-Agent": "ExampleCrawler/1.0"})
    assert counted() == {}
    client.get(resource.get_absolute_url(), headers={"User-Agent": "Mozilla/5.0 Firefox/140.0"})
    assert counted() == {("resource", str(resource.pk)): (1, 0, None)}


def test_counting_sets_no_cookie_and_changes_nothing_in_the_answer(client, settings):
    resource = make_resource()
    counted_answer = client.get(resource.get_absolute_url())
    assert not counted_answer.cookies
    assert InsightCount.objects.count() == 1
    without_recording(settings)
    plain_answer = Client().get(resource.get_absolute_url())
    assert sorted(counted_answer.headers) == sorted(plain_answer.headers)
    assert counted_answer.get("Vary") == plain_answer.get("Vary")


def test_nothing_that_identifies_a_person_is_kept(client):
    resource = make_resource()
    client.force_login(make_user(username="a.clinician", is_staff=False))
    client.get(
        FINDER, {"q": "diabetes"}, REMOTE_ADDR="203.0.113.9", headers={"User-Agent": "Firefox"}
    )
    client.get(resource.get_absolute_url(), REMOTE_ADDR="203.0.113.9")
    for row in InsightCount.objects.values():
        assert set(row) == {
            "id",
            "kind",
            "subject",
            "span",
            "day",
            "count",
            "empty_count",
            "result_count",
        }
        assert "203.0.113.9" not in str(row) and "clinician" not in str(row)


def test_a_failure_to_count_leaves_the_page_whole(client, monkeypatch, caplog):
    resource = make_resource(title="Oral health in care homes")

    def failing(counts):
        raise DatabaseError("disk full")

    monkeypatch.setattr(recording, "write", failing)
    response = client.get(resource.get_absolute_url())
    assert response.status_code == 200
    assert "Oral health in care homes" in response.content.decode()
    assert "Could not count a resource" in caplog.text
    assert InsightCount.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_write_that_really_fails_spoils_nothing_after_it(client, monkeypatch, caplog):
    """A real failed statement (on PostgreSQL, the kind that would spoil a transaction): the
    page is whole, and so are the requests that follow."""
    resource = make_resource(title="Oral health in care homes")
    monkeypatch.setattr(InsightCount._meta, "db_table", "no_such_table")
    assert client.get(resource.get_absolute_url()).status_code == 200
    assert "Could not count a resource" in caplog.text
    monkeypatch.undo()
    response = client.get(resource.get_absolute_url())
    assert response.status_code == 200
    assert "Oral health in care homes" in response.content.decode()
    assert counted() == {("resource", str(resource.pk)): (1, 0, None)}


def query_count(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(1000) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("cached", [False, True], ids=["rendered", "from the page cache"])
@pytest.mark.parametrize("page", ["search", "view", "resource"])
def test_counting_adds_one_query_to_a_page(
    client, settings, django_assert_max_num_queries, page, cached
):
    """Out of any transaction, as a request runs: the count is one statement, whether the view
    renders the page or the page cache answers it."""
    settings.PAGE_CACHE = cached
    resource = make_resource(title="Oral health in care homes")
    url = {
        "search": FINDER + "?q=oral+health",
        "view": FINDER + "?kind=guidance",
        "resource": resource.get_absolute_url(),
    }[page]
    client.get(url)  # counts and caches what a first visit does
    counting = query_count(client, url, django_assert_max_num_queries)
    without_recording(settings)
    plain = Client()
    plain.get(url)
    assert counting - query_count(plain, url, django_assert_max_num_queries) == 1


def test_a_view_too_long_to_keep_is_not_counted(rf):
    request = rf.get("/")
    note(request, "view", "x" * 501)
    assert not hasattr(request, "insight")
    note(request, "view", "x" * 500)
    assert request.insight == Insight("view", "x" * 500)


def test_the_upsert_adds_to_the_days_count(db):
    today = timezone.localdate()
    write({("search", "asthma", today): [1, 0, 4]})
    write({("search", "asthma", today): [1, 1, 0]})
    row = InsightCount.objects.get()
    assert (row.count, row.empty_count, row.result_count) == (2, 1, 0)


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_only_the_counts_commit_skips_waiting_for_the_disk(client):
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    resource = make_resource()
    client.get(resource.get_absolute_url())
    assert counted() == {("resource", str(resource.pk)): (1, 0, None)}
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)


def test_counts_gathered_for_a_few_seconds_are_written_together(
    client, settings, monkeypatch, django_assert_num_queries
):
    """In production each process writes its counts every INSIGHTS_WRITE_SECONDS: pages in
    between cost no query for counting, and nothing is lost or counted twice."""
    settings.INSIGHTS_WRITE_SECONDS = 5
    clock = [1000.0]
    monkeypatch.setattr(tallying.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(tallying, "write_later", lambda seconds: None)  # no timer: this clock
    resource = make_resource(title="Oral health in care homes")
    url = resource.get_absolute_url()
    client.get(url)  # renders and keeps the page; its count waits
    for _ in range(3):
        clock[0] += 1
        with django_assert_num_queries(1):  # the catalogue's version only
            client.get(url)
    assert InsightCount.objects.count() == 0
    clock[0] += 2  # five seconds since the first count
    client.get(FINDER + "?q=care+homes")
    assert counted() == {
        ("resource", str(resource.pk)): (4, 0, None),
        ("search", "care homes"): (1, 0, 1),
    }
    assert tallying.tallies.take() == {}


def test_on_a_quiet_site_gathered_counts_are_written_when_due_without_another_visit(
    settings, monkeypatch
):
    """The first count of a batch starts a timer, so counts do not wait for the next visitor."""
    settings.INSIGHTS_WRITE_SECONDS = 0.05
    written = []
    monkeypatch.setattr(tallying, "write_quietly", written.append)
    tallying.count(Insight("search", "asthma", 4))
    tallying.count(Insight("search", "asthma", 0))
    assert written == []
    for _ in range(100):
        if written:
            break
        time.sleep(0.02)
    today = timezone.localdate()
    assert written == [{("search", "asthma", today): [2, 1, 0]}]
