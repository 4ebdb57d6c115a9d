"""The page versions as PostgreSQL announces them, so that a cached page costs no query.

With the database cache on PostgreSQL, each renewal of a version (g2id/public/cache.py) also
sends `NOTIFY g2id_page_versions, '<key> <version>'` in the same statement; PostgreSQL delivers
it when that transaction commits, to every process of every host that listens. Each process
keeps one listening connection and, before it answers from the cache, reads what has arrived
on it: a non-blocking read of its socket instead of a query.

What this process has not heard about is read from the cache as before, and remembered only
when no announcement came in meanwhile. A version heard more than TRUST_SECONDS ago is read
again, which bounds what a silently dropped connection could cost; a failed connection is
closed, forgotten and opened again on the next read. A thread of the process also takes what
arrived every second, so that a process which serves nothing for a while does not hold up
PostgreSQL's notification queue.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from typing import Any

import psycopg
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router

CHANNEL = "g2id_page_versions"
TRUST_SECONDS = 60.0
DRAIN_SECONDS = 1.0

logger = logging.getLogger(__name__)


def announcing_alias() -> str | None:
    """The database whose connections announce and hear the versions, if there is one.

    The versions live in the database cache and that database is PostgreSQL.
    """
    if not settings.G2ID_VERSION_FEED:
        return None
    shared = caches["default"]
    if not isinstance(shared, DatabaseCache):
        return None
    alias = router.db_for_write(shared.cache_model_class)
    return alias if connections[alias].vendor == "postgresql" else None


def announcement(key: str, version: object) -> str:
    """The NOTIFY payload saying that `key` is now `version` (read by `_take_announcements`)."""
    return f"{key} {version}"


class VersionFeed:
    """What this process heard of the versions, and when (one listening connection)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.connection: psycopg.Connection[Any] | None = None
        self.pid = 0
        self.heard: dict[str, tuple[str, float]] = {}
        # Counts the announcements heard: a version read from the cache is kept only if none
        # arrived while it was read (it could be older than what was announced).
        self.announcements = 0

    def version(self, key: str) -> str | None:
        """The current version of `key` as announced, or None when it must be read."""
        if announcing_alias() is None:
            return None
        with self.lock:
            if not self._listen():
                return None
            heard = self.heard.get(key)
            if heard is None or time.monotonic() - heard[1] > TRUST_SECONDS:
                return None
            return heard[0]

    def mark(self) -> int:
        """Call before reading a version from the cache; give the result to `remember`."""
        with self.lock:
            return self.announcements

    def remember(self, key: str, version: str, mark: int) -> None:
        """Keep a version read from the cache, unless an announcement came in since `mark`."""
        with self.lock:
            if self.connection is not None and self.announcements == mark:
                self.heard[key] = (version, time.monotonic())

    def hear(self, key: str, version: str) -> None:
        """A version this process has just committed."""
        with self.lock:
            if self.connection is not None:
                self.heard[key] = (version, time.monotonic())
                self.announcements += 1

    def forget(self) -> None:
        with self.lock:
            self._close()

    def _listen(self) -> bool:
        """Open the listening connection if needed and take what arrived on it."""
        try:
            if self.connection is None or self.pid != os.getpid():
                self._open()
            self._take_announcements()
        except (psycopg.Error, OSError):
            logger.warning(
                "The page versions' listening connection failed; reopened next time.", exc_info=True
            )
            self._close()
            return False
        return True

    def _take_announcements(self) -> None:
        assert self.connection is not None
        pgconn = self.connection.pgconn
        pgconn.consume_input()  # a non-blocking read of what the socket holds
        while (notify := pgconn.notifies()) is not None:
            key, _, version = notify.extra.decode().partition(" ")
            self.heard[key] = (version, time.monotonic())
            self.announcements += 1

    def _open(self) -> None:
        # A connection inherited through fork belongs to the parent: leave it alone.
        self.connection = None
        self.heard.clear()
        alias = announcing_alias()
        assert alias is not None
        wrapper = connections[alias]
        connection = wrapper.get_new_connection(wrapper.get_connection_params())
        connection.autocommit = True
        connection.execute(f"LISTEN {CHANNEL}")
        self.connection, self.pid = connection, os.getpid()
        threading.Thread(
            target=self._drain, args=(connection,), name="g2id-version-feed", daemon=True
        ).start()

    def _drain(self, connection: psycopg.Connection[Any]) -> None:
        """Take the announcements every DRAIN_SECONDS, even while this process serves nothing.

        A listener that does not read holds up PostgreSQL's notification queue for every
        other session (past 8 GB, NOTIFY fails): an idle worker, the task worker or the
        scheduler must not. Ends when the connection is closed or replaced.
        """
        while True:
            time.sleep(DRAIN_SECONDS)
            with self.lock:
                if self.connection is not connection:
                    return
                self._listen()

    def _close(self) -> None:
        if self.connection is not None and self.pid == os.getpid():
            with contextlib.suppress(psycopg.Error):
                self.connection.close()
        self.connection = None
        self.heard.clear()
        self.announcements += 1


version_feed = VersionFeed()
