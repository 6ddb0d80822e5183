"""Counts gathered in each process and written together every INSIGHTS_WRITE_SECONDS, so a
page costs no query at all for most visitors and many visitors to one page do not queue on
one row's lock (measured in docs/performance.md). The first count of a batch starts a timer
that writes the batch when it is due, so on a quiet site counts still arrive within seconds; a
busy process's pages write it as soon as it is due. With INSIGHTS_WRITE_SECONDS = 0 every page
writes its own count (recording.write), as the tests have it.

A process that is killed loses what it had not written yet (at most a few seconds' counts); at
a normal exit it writes them first."""

import atexit
import threading
import time

from django.conf import settings
from django.db import connections
from django.utils import timezone

from resources.insights.recording import write_quietly

# A process seeing very many different searches writes before its time is up.
MOST_KEPT = 500


class Tallies:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.started_at = None

    def add(self, insight):
        """Add `insight` to its day's tally (times seen, times it found nothing, the latest
        result count); True if it starts a new batch."""
        key = (insight.kind, insight.subject, timezone.localdate())
        with self.lock:
            tally = self.counts.setdefault(key, [0, 0, None])
            tally[0] += 1
            tally[1] += int(insight.result_count == 0)
            tally[2] = insight.result_count
            if self.started_at is not None:
                return False
            self.started_at = time.monotonic()
            return True

    def take(self, *, if_older_than=0):
        """What has been gathered, if it is due (or `if_older_than` is 0), and start afresh."""
        with self.lock:
            if not self.counts:
                return {}
            due = time.monotonic() - self.started_at >= if_older_than
            if not due and len(self.counts) < MOST_KEPT:
                return {}
            taken, self.counts, self.started_at = self.counts, {}, None
            return taken


tallies = Tallies()


def count(insight):
    """Add `insight` to this process's tallies; write them all if they are due."""
    seconds = settings.INSIGHTS_WRITE_SECONDS
    if tallies.add(insight) and seconds > 0:
        write_later(seconds)
    if due := tallies.take(if_older_than=seconds):
        write_quietly(due)


def write_later(seconds):
    timer = threading.Timer(seconds, write_in_the_background)
    timer.daemon = True
    timer.start()


def write_in_the_background():
    """The timer's write: whatever is gathered by now (a page may have written it already),
    on this thread's own database connection, given back afterwards."""
    try:
        if due := tallies.take():
            write_quietly(due)
    finally:
        connections.close_all()


@atexit.register
def write_what_is_left():
    if left := tallies.take():
        write_quietly(left)
