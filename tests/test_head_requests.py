"""HEAD as a server sees it: the WSGI application's own answer, not the test client's, which
drops the body on its own and so would hide one."""

from io import BytesIO
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from tests.factories import make_resource

PATHS = [
    "/",
    "/resources/",
    "/resources/feed/",
    "/resources/export.csv",
    "/resources/export.ris",
    "/api/v1/resources/",
    "/api/v1/openapi.json",
    "/sitemap.xml",
]


def ask(method, path, **headers):
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "wsgi.input": BytesIO(), **headers}
    setup_testing_defaults(environ)
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=dict(headers))

    # As Django's test client does: a request must not close the test's connection, which
    # holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = get_wsgi_application()(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return started["status"], started["headers"], body


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
def test_head_sends_the_headers_of_get_and_no_body(path, settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    make_resource(title="Health equity audit guide")
    status, headers, body = ask("HEAD", path)
    get_status, get_headers, get_body = ask("GET", path)
    assert status == get_status == "200 OK"
    assert body == b""
    assert get_body
    assert headers["Content-Type"] == get_headers["Content-Type"]


@pytest.mark.django_db
def test_head_gives_the_length_get_would_send(settings):
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    status, headers, body = ask("HEAD", "/api/v1/openapi.json")
    _, _, get_body = ask("GET", "/api/v1/openapi.json")
    assert int(headers["Content-Length"]) == len(get_body)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/resources/", "/resources/export.csv"])
def test_head_for_a_browser_that_takes_gzip_says_gzip_and_sends_no_body(path, settings):
    """GZipMiddleware sits below NoBodyForHead: it compresses, then the body is dropped."""
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    make_resource(title="Health equity audit guide")
    status, headers, body = ask("HEAD", path, HTTP_ACCEPT_ENCODING="gzip")
    _, get_headers, get_body = ask("GET", path, HTTP_ACCEPT_ENCODING="gzip")
    assert status == "200 OK"
    assert headers["Content-Encoding"] == get_headers["Content-Encoding"] == "gzip"
    assert body == b""
    assert get_body[:2] == b"\x1f\x8b"  # gzip's magic number
