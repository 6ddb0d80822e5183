"""Health endpoints for a load balancer: cheap, never cached, answered whatever the Host header
or scheme, and not logged as errors when they report a failure."""

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = pytest.mark.django_db

PROBE = {"HTTP_HOST": "10.0.0.5:8000"}  # a load balancer probing an instance by its address


def test_liveness_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live/", **PROBE)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_checks_the_database_and_the_cache(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/health/ready/", **PROBE)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_probes_are_never_cached_never_redirected_and_open_no_session(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # production: plain HTTP is redirected to HTTPS
    for path in ["/health/live/", "/health/ready/"]:
        response = client.get(path, **PROBE)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"]
        assert not response.cookies


def test_readiness_is_503_without_the_database_logged_as_one_warning(client, monkeypatch, caplog):
    def refuse(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
    response = client.get("/health/ready/", **PROBE)
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "OperationalError: connection refused",
        "cache": "ok",
    }
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert client.get("/health/live/", **PROBE).status_code == 200


def test_readiness_is_503_without_the_cache(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(cache, "get", unreachable)
    response = client.get("/health/ready/", **PROBE)
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("ConnectionError: Error 111")
