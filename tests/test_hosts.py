"""A request naming a host the site does not serve is refused in one warning line."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_bad_host_header_is_a_400_logged_as_one_warning_line(client, caplog):
    response = client.get("/resources/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        (
            "WARNING",
            "Refused: Invalid HTTP_HOST header: 'evil.example'. "
            "You may need to add 'evil.example' to ALLOWED_HOSTS.",
        )
    ]
    assert caplog.records[0].exc_info is None


def test_an_allowed_host_is_served(client):
    assert client.get("/organisations/", HTTP_HOST="localhost").status_code == 200
