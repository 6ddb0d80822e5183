import pytest
from django.core.cache import cache
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.transaction import Atomic

from resources.insights.tallying import tallies
from resources.search import indexing
from tests.factories import make_user


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Counts are cached by catalogue version; each test starts from nothing cached."""
    cache.clear()


@pytest.fixture(autouse=True)
def counts_written_at_once(settings):
    """Each page's count written as it is answered, not gathered for a few seconds
    (resources/insights/tallying.py), so a test reads what it just did; nothing gathered by an
    earlier test carries over."""
    settings.INSIGHTS_WRITE_SECONDS = 0
    tallies.take()


@pytest.fixture
def no_page_cache(settings):
    """Every page rendered afresh (resources/page_cache.py off), for tests that count what
    rendering a page costs when its counts are already cached."""
    settings.PAGE_CACHE = False


@pytest.fixture(autouse=True)
def commits_run_their_callbacks(monkeypatch):
    """A test runs inside a transaction that is rolled back at its end, so what the code queues
    with transaction.on_commit (search indexing and the catalogue's version, resources/signals.py)
    would never run. Here it runs when it would in production: at once for a write outside the
    code's own atomic blocks (autocommit), else when the outermost of those blocks ends without
    rolling back (a rolled-back block's callbacks are dropped, as Django drops them). A test with
    transaction=True commits for real and is left alone."""
    queue, leave = BaseDatabaseWrapper.on_commit, Atomic.__exit__

    def in_code_block(blocks):
        return any(not block._from_testcase for block in blocks)

    def on_commit(self, func, robust=False):
        if self.in_atomic_block and not in_code_block(self.atomic_blocks):
            func()
        else:
            queue(self, func, robust)

    def exit(self, exc_type, exc_value, traceback):
        connection = transaction.get_connection(self.using)
        outermost = not self._from_testcase and not in_code_block(connection.atomic_blocks[:-1])
        leave(self, exc_type, exc_value, traceback)
        if outermost and connection.in_atomic_block:
            committed, connection.run_on_commit = connection.run_on_commit, []
            for _, func, _ in committed:
                func()

    monkeypatch.setattr(BaseDatabaseWrapper, "on_commit", on_commit)
    monkeypatch.setattr(Atomic, "__exit__", exit)


@pytest.fixture
def indexed(monkeypatch):
    """The id of each resource whose search data is written, once for each time it is."""
    pks = []
    compose = indexing.compose

    def composing(source):
        pks.append(source.pk)
        return compose(source)

    monkeypatch.setattr(indexing, "compose", composing)
    return pks


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Signing people in is part of many tests; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def librarian(client):
    """A signed-in member of the Librarian group."""
    user = make_user(groups=["Librarian"])
    client.force_login(user)
    return user


@pytest.fixture
def editor(client):
    """A signed-in member of the Editor group."""
    user = make_user(groups=["Editor"])
    client.force_login(user)
    return user
