"""The link checker against a local HTTP server the tests start: no outside network."""

import asyncio
import socket
import struct
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from resources.curation.link_checking import check_all
from resources.models import LinkCheck, LinkCheckRun, LinkStatus
from tests.factories import make_resource

REDIRECTS = {
    "/moved": (301, "/ok"),
    "/temporary": (302, "/ok"),
    "/login-wall": (302, "/openathens/login?return=/article"),
}
STATUSES = {"/forbidden": 403, "/gone": 410, "/missing": 404, "/error": 500}


class Handler(BaseHTTPRequestHandler):
    in_flight = 0
    most_at_once = 0
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        if self.path == "/no-head":
            self.answer(405)
        else:
            self.do_GET()

    def do_GET(self):
        path = self.path.split("?")[0]
        if path in REDIRECTS:
            status, location = REDIRECTS[path]
            self.answer(status, location=location)
        elif path in STATUSES:
            self.answer(STATUSES[path])
        elif path == "/slow":
            time.sleep(1.5)
            self.answer(200)
        elif path.startswith("/busy"):
            with Handler.lock:  # count requests being worked on (before any answer is sent)
                Handler.in_flight += 1
                Handler.most_at_once = max(Handler.most_at_once, Handler.in_flight)
            time.sleep(0.2)
            with Handler.lock:
                Handler.in_flight -= 1
            self.answer(200)
        elif path == "/reset":
            # Close at once with a TCP reset instead of answering.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        else:
            self.answer(200)

    def answer(self, status, location=None):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def check(urls, **options):
    options = {"concurrency": 8, "per_host": 4, "timeout": 0.8} | options
    return asyncio.run(check_all(urls, **options))


@pytest.mark.parametrize(
    ("path", "outcome", "status_code"),
    [
        ("/ok", LinkStatus.OK, 200),
        ("/no-head", LinkStatus.OK, 200),
        ("/temporary", LinkStatus.REDIRECTED, 200),
        ("/moved", LinkStatus.REDIRECTED, 200),
        ("/login-wall", LinkStatus.NEEDS_LOGIN, 200),
        ("/forbidden", LinkStatus.NEEDS_LOGIN, 403),
        ("/missing", LinkStatus.BROKEN, 404),
        ("/gone", LinkStatus.BROKEN, 410),
        ("/error", LinkStatus.UNREACHABLE, 500),
        ("/slow", LinkStatus.UNREACHABLE, None),
        ("/reset", LinkStatus.UNREACHABLE, None),
    ],
)
def test_each_kind_of_answer_is_classified(server, path, outcome, status_code):
    result = check([server + path])[server + path]
    assert (result.outcome, result.status_code) == (outcome, status_code), result


def test_redirects_record_where_they_went_and_whether_to_update_the_address(server):
    results = check([server + "/moved", server + "/temporary"])
    moved, temporary = results[server + "/moved"], results[server + "/temporary"]
    assert moved.final_url == temporary.final_url == server + "/ok"
    assert moved.is_permanent_redirect and not temporary.is_permanent_redirect


def test_a_host_that_does_not_exist_is_broken():
    result = check(["http://no-such-host.invalid/page"])["http://no-such-host.invalid/page"]
    assert (result.outcome, result.error) == (LinkStatus.BROKEN, "the host does not exist (DNS)")


def test_a_tls_failure_is_broken(server):
    url = server.replace("http://", "https://") + "/ok"
    result = check([url])[url]
    assert (result.outcome, result.error) == (LinkStatus.BROKEN, "secure connection (TLS) failed")


def test_a_slow_server_times_out_as_unreachable(server):
    result = check([server + "/slow"], timeout=0.3)[server + "/slow"]
    assert (result.outcome, result.error) == (LinkStatus.UNREACHABLE, "timed out")


def test_no_more_than_the_per_host_limit_at_once(server):
    Handler.most_at_once = 0
    # A generous timeout: a request that timed out would free its slot while the server still works.
    check([f"{server}/busy/{number}" for number in range(8)], concurrency=8, per_host=2, timeout=10)
    assert Handler.most_at_once == 2


@pytest.mark.django_db
def test_command_keeps_history_and_summarises(server):
    working = make_resource(title="Working page", url=server + "/ok")
    moved = make_resource(title="Moved page", url=server + "/moved")
    missing = make_resource(title="Missing page", url=server + "/missing")
    make_resource(title="No address", url="")
    out = StringIO()
    call_command("check_links", stdout=out, timeout=2)
    output = out.getvalue()
    assert "Checking 3 web addresses (3 resources)" in output
    assert "Checked 3 resources in" in output
    assert "1 working, 1 redirected, 1 broken" in output
    assert f"Moved page: {server}/moved -> {server}/ok" in output
    assert "Failing, not confirmed yet (it takes failures on 3 days) (1):" in output
    assert f"Missing page: {server}/missing (HTTP 404; failing on 1 day)" in output
    assert LinkCheckRun.objects.get().checked == 3
    assert LinkCheck.objects.count() == 3
    for resource, status in [(working, "ok"), (moved, "redirected"), (missing, "failing")]:
        resource.refresh_from_db()
        assert resource.link_status == status
        assert resource.link_checked_at is not None
    assert missing.link_failing_days == 1


@pytest.mark.django_db
def test_a_link_is_marked_broken_only_after_failing_on_three_different_days(server):
    resource = make_resource(
        title="Missing page", url=server + "/missing", link_status=LinkStatus.OK
    )
    for days_ago, failing_days in [(2, 1), (1, 2)]:
        out = StringIO()
        call_command("check_links", stdout=out, timeout=2)
        LinkCheck.objects.filter(checked_at__date=timezone.now().date()).update(
            checked_at=timezone.now() - timedelta(days=days_ago)
        )
        resource.refresh_from_db()
        assert (resource.link_status, resource.link_failing_days) == ("failing", failing_days)
        assert f"(HTTP 404; failing on {failing_days} day" in out.getvalue()
    out = StringIO()
    call_command("check_links", stdout=out, timeout=2)
    resource.refresh_from_db()
    assert (resource.link_status, resource.link_failing_days) == (LinkStatus.BROKEN, 3)
    assert "Newly broken or unreachable (1):" in out.getvalue()
    checks = resource.link_checks.all()
    assert [check.status_after for check in checks] == ["broken", "failing", "failing"]
    assert [check.status_before for check in checks] == ["failing", "failing", "ok"]
    assert [check.failing_days for check in checks] == [3, 2, 1]


@pytest.mark.django_db
def test_a_failing_link_that_works_again_is_working_with_no_failing_days(server):
    resource = make_resource(url=server + "/missing", link_status=LinkStatus.OK)
    call_command("check_links", stdout=StringIO(), timeout=2)
    resource.refresh_from_db()
    assert (resource.link_status, resource.link_failing_days) == ("failing", 1)
    resource.url = server + "/ok"
    resource.save()
    call_command("check_links", stdout=StringIO(), timeout=2)
    resource.refresh_from_db()
    assert (resource.link_status, resource.link_failing_days) == ("ok", 0)


@pytest.mark.django_db
def test_two_failures_on_the_same_day_do_not_make_a_link_broken(server):
    resource = make_resource(url=server + "/missing", link_status=LinkStatus.OK)
    for _ in range(3):
        call_command("check_links", stdout=StringIO(), timeout=2)
    resource.refresh_from_db()
    assert (resource.link_status, resource.link_failing_days) == (LinkStatus.FAILING, 1)


@pytest.mark.django_db
def test_command_checks_a_chosen_subset_and_names_unknown_slugs(server):
    chosen = make_resource(url=server + "/ok")
    make_resource(url=server + "/gone")
    call_command("check_links", chosen.slug, stdout=StringIO(), timeout=2)
    assert list(LinkCheck.objects.values_list("resource", flat=True)) == [chosen.pk]
    with pytest.raises(Exception, match="No resource with a web address has the slug nope"):
        call_command("check_links", "nope", stdout=StringIO())


@pytest.mark.django_db
def test_the_migration_counts_the_failing_days_of_checks_kept_before_it():
    """Checks kept before failing links had a state: the last two days' 404s make it failing."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("resources.migrations.0015_failing_links")
    resource = make_resource(link_status=LinkStatus.OK)
    run = LinkCheckRun.objects.create()
    for days_ago, outcome in [(3, "ok"), (2, "broken"), (1, "broken"), (1, "unreachable")]:
        check = LinkCheck.objects.create(
            run=run,
            resource=resource,
            url=resource.url,
            outcome=outcome,
            status_before="ok",
            status_after="ok",
        )
        LinkCheck.objects.filter(pk=check.pk).update(
            checked_at=timezone.now() - timedelta(days=days_ago)
        )
    migration.count_failing_days(apps, None)
    resource.refresh_from_db()
    assert (resource.link_status, resource.link_failing_days) == ("failing", 2)
    assert [check.failing_days for check in resource.link_checks.all()] == [2, 2, 1, 0]
