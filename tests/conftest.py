import pytest
from django.core.cache import cache

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
