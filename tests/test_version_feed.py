"""On PostgreSQL each process hears the page versions change instead of reading them."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2id.public.cache import TEAM_PAGES
from g2id.public.version_feed import CHANNEL, announcement, version_feed

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="LISTEN/NOTIFY is PostgreSQL's"),
    # Announcements are delivered at the commit: real transactions.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PAGE = "g2id:page:tests:feed"


def announce_from_another_process(version: str) -> None:
    """What another worker's renewal sends (its own connection, committed)."""
    other = connection.get_new_connection(connection.get_connection_params())
    other.autocommit = True
    try:
        other.execute("SELECT pg_notify(%s, %s)", [CHANNEL, announcement(TEAM_PAGES.key, version)])
    finally:
        other.close()


def heard(version: str) -> bool:
    """Whether this process hears `version` within two seconds."""
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        if version_feed.version(TEAM_PAGES.key) == version:
            return True
        time.sleep(0.01)
    return False


def test_a_page_kept_in_this_process_is_served_without_a_query():
    version, _nothing = TEAM_PAGES.read(PAGE)  # read from the cache, then heard of
    TEAM_PAGES.store(PAGE, version, "la page", 60)

    with CaptureQueriesContext(connection) as queries:
        assert TEAM_PAGES.read(PAGE) == (version, "la page")
    assert len(queries) == 0


def test_a_renewal_by_another_process_drops_the_kept_page_at_once():
    version, _nothing = TEAM_PAGES.read(PAGE)
    TEAM_PAGES.store(PAGE, version, "la page d'avant", 60)

    announce_from_another_process("renouvelee")

    assert heard("renouvelee")
    assert TEAM_PAGES.read(PAGE) == ("renouvelee", None)


def test_a_renewal_in_this_process_is_known_before_its_announcement_arrives():
    TEAM_PAGES.read(PAGE)
    TEAM_PAGES.renew()

    assert version_feed.version(TEAM_PAGES.key) == TEAM_PAGES.current()


def test_a_version_read_while_a_newer_one_is_announced_is_not_kept():
    TEAM_PAGES.read(PAGE)  # opens the listening connection
    mark = version_feed.mark()
    announce_from_another_process("plus-recente")
    assert heard("plus-recente")

    version_feed.remember(TEAM_PAGES.key, "lue-avant", mark)

    assert version_feed.version(TEAM_PAGES.key) == "plus-recente"


def listener_pid() -> int | None:
    return version_feed.connection.info.backend_pid if version_feed.connection else None


def test_a_dropped_listening_connection_is_opened_again():
    TEAM_PAGES.read(PAGE)
    dropped = listener_pid()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [dropped])

    # Noticed on a read, then opened again on a later one; the versions are read from the
    # cache meanwhile.
    deadline = time.monotonic() + 2
    while listener_pid() in (dropped, None) and time.monotonic() < deadline:
        assert TEAM_PAGES.read(PAGE)[0] == TEAM_PAGES.current()
        time.sleep(0.01)
    assert listener_pid() not in (dropped, None)
    announce_from_another_process("apres-la-coupure")
    assert heard("apres-la-coupure")


def test_a_process_that_reads_nothing_still_takes_the_announcements():
    # Else its listener would hold up PostgreSQL's notification queue for every session.
    TEAM_PAGES.read(PAGE)
    announce_from_another_process("pendant-le-calme")

    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        with version_feed.lock:  # what the drain thread took, without reading the socket
            taken = version_feed.heard.get(TEAM_PAGES.key, ("", 0.0))[0]
        if taken == "pendant-le-calme":
            break
        time.sleep(0.05)
    assert taken == "pendant-le-calme"


def test_a_version_heard_long_ago_is_read_again(monkeypatch):
    TEAM_PAGES.read(PAGE)
    announce_from_another_process("ancienne")
    assert heard("ancienne")

    monkeypatch.setattr("g2id.public.version_feed.TRUST_SECONDS", -1.0)

    assert version_feed.version(TEAM_PAGES.key) is None


def test_the_cache_table_skips_the_write_ahead_log():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = 'g2id_cache'")
        assert cursor.fetchone() == ("u",)
