"""Backing up the whole database and restoring it (docs/decisions/0016-failing-well.md).

PostgreSQL: `pg_dump` in its custom format, restored by `pg_restore`, which drops what the dump
holds and makes it again in one transaction (an error leaves the database as it was). SQLite:
SQLite's online backup (Python's `sqlite3`), a consistent copy of the whole database file even
while the app runs, copied back the same way. Both are exact, every row of every table; dumpdata
and loaddata are not (they cut times to milliseconds and renumber many-to-many rows). Either way
a restore ends as a bulk load does: search data is made again, which moves the catalogue's
version on (so no process serves counts or pages cached before the restore), then the kept counts.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing

from django.db import connection

from resources.management.bulk import index_and_recount

CLIENT_PACKAGE = "postgresql-client"


def suffix():
    """The file ending a backup of this database gets."""
    return ".dump" if connection.vendor == "postgresql" else ".sqlite3"


def backup(path):
    if connection.vendor == "postgresql":
        run_client("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}")
    else:
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as copy:
            connection.connection.backup(copy)


def restore(path):
    """Replace the database's contents with the backup at `path`, then refresh what is made
    from them."""
    connection.close()  # drop this process's connection (and its pool's) before the swap
    if connection.vendor == "postgresql":
        run_client(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(path),
        )
    else:
        connection.ensure_connection()
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as saved:
            saved.backup(connection.connection)
    return index_and_recount()


def run_client(program, *arguments):
    """Run one of PostgreSQL's client programs against this database."""
    executable = shutil.which(program)
    if executable is None:
        raise FileNotFoundError(
            f"{program} is not installed; on Debian or Ubuntu: apt-get install {CLIENT_PACKAGE}"
        )
    settings = connection.settings_dict
    # Through the environment, so the password is not on a command line for `ps` to show.
    given = {
        "PGHOST": settings["HOST"],
        "PGPORT": settings["PORT"],
        "PGUSER": settings["USER"],
        "PGPASSWORD": settings["PASSWORD"],
        "PGCONNECT_TIMEOUT": settings["OPTIONS"].get("connect_timeout"),
    }
    environment = os.environ | {name: str(value) for name, value in given.items() if value}
    subprocess.run(
        [executable, f"--dbname={settings['NAME']}", *arguments], env=environment, check=True
    )
