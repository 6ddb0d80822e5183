"""Two gunicorn servers on one PostgreSQL agree at once: what is published through one is found
through the other on its next request, the suggestion limit is one count, and a view saved
through one opens on the other (docs/decisions/0018-several-servers.md).

Production-like: debug off, collected static files, gunicorn started as the README says (so
gunicorn.conf.py's start-up check runs), once with the shared Redis and once with each process
keeping a cache of its own, since what the servers must agree on is in the database either way.
Server A runs two workers; server B runs one, so that B's second answer comes from the same
process (and cache) as its first.
"""

import os
import re
import socket
import subprocess
import sys
import time
from urllib.parse import quote

import httpx
import pytest
import redis
from django.conf import settings
from django.db import connection

from resources.models import ResourceStatus, SavedView
from tests.factories import make_resource, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="several servers share one PostgreSQL; a SQLite test database is in one process's memory",
    ),
]

REDIS_URL = "redis://127.0.0.1:6379/4"
SUGGESTIONS_PER_HOUR = 2
PASSWORD = "a-long-test-password"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url_for_this_test():
    """The test database (the one this test writes to), as a DATABASE_URL."""
    db = connection.settings_dict
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{user}{password}@{host}/{db['NAME']}"


def production_environment(**overrides):
    kept = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"CACHE_URL", "WEB_CONCURRENCY"}
    }
    return kept | {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "two-servers-share-this-secret-Vb3zP0x7Yk2Lm9Rt4Hs6Jd1Fg5Nc8Qe0Wu",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "PUBLIC_SUBMISSIONS_PER_HOUR": str(SUGGESTIONS_PER_HOUR),
        # Each page's count written as it is answered, not gathered and written after the test
        # is over (when the server stops), into tables a later test expects empty.
        "INSIGHTS_WRITE_SECONDS": "0",
        **overrides,
    }


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=production_environment(DJANGO_STATIC_ROOT=str(root)),
        check=True,
        timeout=120,
    )
    return root


class Server:
    def __init__(self, name, *, workers, environment, log):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with open(log, "w") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "directory.wsgi"]
                + ["--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)]
                + ["--worker-class", "gthread", "--threads", "4"]
                + ["--name", name],
                cwd=settings.BASE_DIR,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def wait_until_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn stopped:\n{self.log.read_text()}")
            try:
                httpx.get(f"{self.url}/robots.txt", timeout=2)
                return
            except httpx.TransportError:
                time.sleep(0.2)
        pytest.fail(f"gunicorn did not answer within {timeout} s:\n{self.log.read_text()}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module", params=["redis", "a cache per process"])
def servers(request, django_db_setup, static_root, tmp_path_factory):
    """Servers A and B, started once for the module's tests (each test's rows are flushed after
    it, and nothing the servers keep outlives that: see resources/caching.py)."""
    logs = tmp_path_factory.mktemp("logs")
    if request.param == "redis":
        try:
            redis.Redis.from_url(REDIS_URL).flushdb()  # nothing from an earlier run
        except redis.ConnectionError as error:
            pytest.fail(f"This test needs Redis at {REDIS_URL}: {error}")
        cache_url = REDIS_URL
    else:
        cache_url = ""
    environment = production_environment(
        DATABASE_URL=database_url_for_this_test(),
        CACHE_URL=cache_url,
        DJANGO_STATIC_ROOT=str(static_root),
    )
    started = [
        Server("a", workers=2, environment=environment, log=logs / "a.log"),
        Server("b", workers=1, environment=environment, log=logs / "b.log"),
    ]
    try:
        for server in started:
            server.wait_until_ready()
        yield started
    finally:
        for server in started:
            server.stop()


def csrf_token(client, url):
    page = client.get(url)
    assert page.status_code == 200, page.text
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]


def post_form(client, url, data):
    return client.post(url, data={**data, "csrfmiddlewaretoken": csrf_token(client, url)})


@pytest.fixture
def editor(settings):
    """Someone who may publish. The servers check passwords with the real hasher, not the fast
    one the other tests use."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = make_user(groups=["Editor"])
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, server, user):
    response = post_form(
        client,
        f"{server.url}/accounts/login/",
        {"username": user.username, "password": PASSWORD},
    )
    assert response.status_code == 302, response.text


def search(client, server, words):
    response = client.get(f"{server.url}/resources/", params={"q": words})
    assert response.status_code == 200
    return response.text


def test_a_resource_published_through_one_server_is_found_through_the_other(servers, editor):
    a, b = servers
    make_resource(title="Health equity audit")
    toolkit = make_resource(title="Health equity toolkit", status=ResourceStatus.IN_REVIEW)
    with httpx.Client() as visitor:
        assert "Health equity toolkit" not in search(visitor, b, "health equity")  # and cached
    with httpx.Client() as curator:
        sign_in(curator, a, editor)
        changelist = f"{a.url}/admin/resources/resource/"
        published = post_form(
            curator,
            changelist,
            {"action": "publish", "_selected_action": toolkit.pk, "index": 0},
        )
        assert published.status_code == 302, published.text
    toolkit.refresh_from_db()
    assert toolkit.status == ResourceStatus.PUBLISHED
    with httpx.Client() as visitor:
        assert "Health equity toolkit" in search(visitor, b, "health equity")


def test_the_suggestion_limit_is_one_count_across_servers(servers):
    a, b = servers

    def suggest(server, number):
        with httpx.Client() as visitor:
            return post_form(
                visitor,
                f"{server.url}/suggest/",
                {"title": f"Idea {number}", "url": f"https://example.org/{number}"},
            )

    assert [suggest(server, n).status_code for n, server in enumerate([a, a], 1)] == [302, 302]
    refused = suggest(b, 3)
    assert refused.status_code == 429
    assert "Please try again after" in refused.text


def test_a_view_saved_through_one_server_opens_on_the_other(servers, editor):
    a, b = servers
    make_resource(title="Health equity audit")
    with httpx.Client() as person:  # one cookie jar: the same session cookie for both servers
        sign_in(person, a, editor)
        saved = post_form(person, f"{a.url}/saved/new/?q=health", {"name": "Equity audits"})
        assert saved.status_code == 302, saved.text
        view = SavedView.objects.get(name="Equity audits")
        opened = person.get(f"{b.url}{view.get_absolute_url()}", follow_redirects=True)
    assert opened.status_code == 200
    assert opened.url.path == f"/saved/{view.pk}/results/"  # not the sign-in page
    assert "Equity audits" in opened.text
    assert "Health equity audit" in opened.text


def test_gunicorn_warns_at_start_up_when_its_workers_each_keep_a_cache(servers, request):
    a, b = servers
    cache_per_process = "per process" in request.node.callspec.params["servers"]
    warned = "resources.W001" in a.log.read_text()
    assert warned == cache_per_process
    assert "resources.W001" not in b.log.read_text()  # one worker: nothing to share
