"""send_alerts killed between two sends and run again delivers each email exactly once, to a
real SMTP server started here (aiosmtpd), reading back what arrived.

The command runs as `manage.py send_alerts` in a subprocess, against this test's database (on
PostgreSQL the test database itself; on SQLite, whose test database lives in this process's
memory, a copy of it in a file). The mail server accepts the first message and holds the second
without answering, as a slow server would; the command is killed while it waits, then run again.
"""

import asyncio
import os
import socket
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from email import message_from_bytes, policy
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone

from resources.models import AlertFrequency
from tests.factories import make_resource
from tests.resources.alerts.conftest import SITE, subscribe

pytestmark = pytest.mark.django_db(transaction=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailServer:
    """Keeps each message it accepts. With `hold_after` set, every message after that many is
    held: the server waits and never answers, so the sender is left waiting mid-send."""

    def __init__(self):
        self.arrived = []
        self.hold_after = None
        self.holding = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if self.hold_after is not None and len(self.arrived) >= self.hold_after:
            self.holding.set()
            await asyncio.sleep(3600)  # cancelled when the server stops: never accepted
        self.arrived.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def mail_server():
    handler = MailServer()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def database_url(tmp_path):
    """This test's database as a DATABASE_URL another process can open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = tmp_path / "alerts.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(copy) as target:
            connection.connection.backup(target)
        return f"sqlite:///{copy}"
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def command(database, port):
    environment = os.environ | {
        "DATABASE_URL": database,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(port),
        "DIRECTORY_SITE_URL": SITE,
        "PYTHONUNBUFFERED": "1",  # each line reaches us before the kill
    }
    return {
        "args": [sys.executable, "manage.py", "send_alerts"],
        "cwd": settings.BASE_DIR,
        "env": environment,
        "stdout": subprocess.PIPE,
        "stderr": subprocess.STDOUT,
        "text": True,
    }


def test_a_run_killed_between_two_sends_and_run_again_sends_each_email_once(
    world, mail_server, tmp_path
):
    now = timezone.now()
    since = now - timedelta(days=1)
    subscribe(world.sam, world.team_view, AlertFrequency.DAILY, since=since)
    subscribe(world.alex, world.own_view, AlertFrequency.WEEKLY, since=since)
    subscribe(world.alex, world.team_view, AlertFrequency.DAILY, since=since)
    for title, term in [("About race", world.race), ("About disability", world.disability)]:
        make_resource(title=title, terms=[term], published_at=now - timedelta(hours=1))
    server, port = mail_server
    database = database_url(tmp_path)

    server.hold_after = 1
    first = subprocess.Popen(**command(database, port))
    try:
        assert server.holding.wait(timeout=60), "the second message never reached the server"
    finally:
        first.kill()
    killed_output = first.communicate(timeout=30)[0]
    assert len(server.arrived) == 1
    assert killed_output.count("Sent “") == 1, killed_output

    server.hold_after = None
    second = subprocess.run(**command(database, port), timeout=120)
    third = subprocess.run(**command(database, port), timeout=120)

    assert second.returncode == 0, second.stdout
    assert "it may arrive twice" in second.stdout  # the one that was held when we killed it
    assert second.stdout.splitlines()[-1] == "Sent 2 emails; 0 views had nothing new."
    assert third.stdout.splitlines() == ["Sent 0 emails; 0 views had nothing new."]
    received = Counter((str(m["To"]), str(m["Subject"]).strip()) for m in server.arrived)
    assert received == {
        (
            "sam@example.nhs.uk",
            "1 new in “Race equality” – Health Inequalities Resource Directory",
        ): 1,
        (
            "alex@example.nhs.uk",
            "1 new in “Race equality” – Health Inequalities Resource Directory",
        ): 1,
        (
            "alex@example.nhs.uk",
            "1 new in “Disability” – Health Inequalities Resource Directory",
        ): 1,
    }
    assert len({m["Message-ID"] for m in server.arrived}) == 3
