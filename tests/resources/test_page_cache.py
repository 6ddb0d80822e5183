"""Whole pages kept for anonymous visitors (resources/page_cache.py)."""

import gzip

import pytest
from django.test import Client

from resources.models import ResourceStatus
from tests.factories import make_person, make_resource

pytestmark = pytest.mark.django_db


def test_a_repeat_anonymous_view_is_answered_from_the_cache_with_one_query(
    client, django_assert_num_queries
):
    make_resource(title="Core20PLUS5 for adults")
    first = client.get("/resources/?q=core20plus5")
    assert first["X-Page-Cache"] == "miss"
    # The catalogue's version, and the count of the search (resources/insights).
    with django_assert_num_queries(2):
        again = client.get("/resources/?q=core20plus5")
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert "Core20PLUS5 for adults" in again.content.decode()


def test_a_change_to_the_catalogue_shows_on_the_next_anonymous_view(client):
    make_resource(title="Tackling inequalities in outcomes")
    client.get("/resources/?q=inequalities")
    make_resource(title="Inequalities in access to care")
    page = client.get("/resources/?q=inequalities")
    assert page["X-Page-Cache"] == "miss"
    assert "Inequalities in access to care" in page.content.decode()


def test_a_draft_is_not_kept_as_missing_once_published(client):
    draft = make_resource(title="A draft about poverty", status=ResourceStatus.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    draft.status = ResourceStatus.PUBLISHED
    draft.save()
    page = client.get(draft.get_absolute_url())
    assert page.status_code == 200
    assert "A draft about poverty" in page.content.decode()


def test_a_signed_in_page_is_never_kept_for_anonymous_visitors():
    make_resource(title="Inclusion health")
    person = make_person(first_name="Priya", last_name="Shah")
    signed_in = Client()
    signed_in.force_login(person)
    theirs = signed_in.get("/")
    assert "Priya Shah" in theirs.content.decode()
    assert "X-Page-Cache" not in theirs
    assert "public" not in theirs.get("Cache-Control", "")

    anonymous = Client().get("/")
    assert anonymous["X-Page-Cache"] == "miss"
    assert "Priya Shah" not in anonymous.content.decode()


def test_an_anonymous_page_is_never_served_to_someone_signed_in():
    make_resource(title="Inclusion health")
    assert Client().get("/")["X-Page-Cache"] == "miss"
    assert Client().get("/")["X-Page-Cache"] == "hit"
    person = make_person(first_name="Priya", last_name="Shah")
    signed_in = Client()
    signed_in.force_login(person)
    theirs = signed_in.get("/")
    assert "X-Page-Cache" not in theirs
    assert "Priya Shah" in theirs.content.decode()


def test_a_page_with_a_form_is_never_kept(client):
    resource = make_resource()
    first = client.get(f"{resource.get_absolute_url()}report/")
    second = Client().get(f"{resource.get_absolute_url()}report/")
    assert first.status_code == second.status_code == 200
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second
    token = 'name="csrfmiddlewaretoken" value="'
    assert token in second.content.decode()
    assert first.content != second.content  # each visitor's own token


def test_gzipped_and_plain_copies_are_kept_apart(client):
    make_resource(title="Health equity audit")
    zipped = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    plain = client.get("/")
    assert plain["X-Page-Cache"] == "miss"
    assert "Content-Encoding" not in plain
    assert client.get("/", HTTP_ACCEPT_ENCODING="gzip")["X-Page-Cache"] == "hit"
    assert gzip.decompress(zipped.content) == plain.content


def test_a_client_holding_the_page_gets_not_modified_until_the_catalogue_changes(client):
    make_resource(title="Health equity audit")
    first = client.get("/")
    assert first["ETag"].startswith('W/"')
    assert "s-maxage=" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert first["Last-Modified"]
    held = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert held.status_code == 304
    assert held.content == b""
    assert held["ETag"] == first["ETag"]

    make_resource(title="Proportionate universalism")
    changed = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_the_api_is_kept_and_its_json_unchanged(client):
    make_resource(title="Health equity audit")
    first = client.get("/api/v1/resources/")
    again = client.get("/api/v1/resources/")
    assert again["X-Page-Cache"] == "hit"
    assert again["Content-Type"] == first["Content-Type"]
    assert again.json() == first.json()


def test_an_unknown_address_is_not_kept(client):
    assert client.get("/resources/no-such-resource/").status_code == 404
    assert "X-Page-Cache" not in client.get("/resources/no-such-resource/")


@pytest.fixture
def shared_cache(settings):
    """Redis as production has it (database 10 of the local server), emptied before and after."""
    redis = pytest.importorskip("redis")
    location = "redis://127.0.0.1:6379/10"
    try:
        redis.Redis.from_url(location).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    }
    yield
    redis.Redis.from_url(location).flushdb()


def test_with_a_shared_cache_a_kept_page_needs_no_database(
    client, shared_cache, django_assert_num_queries
):
    make_resource(title="Health equity audit")
    assert client.get("/")["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = client.get("/")
    assert again["X-Page-Cache"] == "hit"


def test_with_a_shared_cache_a_change_shows_on_the_next_request(client, shared_cache):
    make_resource(title="Health equity audit")
    client.get("/resources/?q=equity")
    make_resource(title="Equity in primary care")  # its commit copies the new version to Redis
    page = client.get("/resources/?q=equity")
    assert page["X-Page-Cache"] == "miss"
    assert "Equity in primary care" in page.content.decode()


def test_with_the_shared_cache_emptied_the_version_is_read_again(client, shared_cache):
    from django.core.cache import cache

    make_resource(title="Health equity audit")
    first = client.get("/")
    cache.clear()
    again = client.get("/")
    assert again["X-Page-Cache"] == "miss"
    assert again["ETag"] == first["ETag"]  # the same version, read from the database
    assert client.get("/")["X-Page-Cache"] == "hit"
