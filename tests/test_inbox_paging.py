"""The inbox pages through any number of requests at the cost of the first page."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone

from g2id.requests.models import Request
from g2id.triage import views
from tests.factories import file_request

NEXT = re.compile(r'href="\?(?:[^"]*&amp;)?after=([A-Za-z0-9_-]+)"')


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(views, "INBOX_PAGE_SIZE", 3)


def walk(client, **params) -> tuple[list[str], list[int]]:
    """Every reference the inbox shows, page after page, and the queries of each page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seen: list[str] = []
    queries: list[int] = []
    cursor = None
    for _ in range(20):
        with CaptureQueriesContext(connection) as captured:
            html = client.get(
                "/espace/demandes/", {**params, **({"after": cursor} if cursor else {})}
            ).content.decode()
        queries.append(len(captured))
        seen += re.findall(r">(G2ID-\d{4}-\d{4})</a>", html)
        found = NEXT.search(html)
        if not found:
            return seen, queries
        cursor = found.group(1)
    raise AssertionError("the inbox pages never end")


def test_every_open_request_shows_once_nearest_deadline_first(
    client, member, small_pages, rendered_every_time
):
    now = timezone.now()
    for days_ago in (1, 9, 3, 3, 14, 0, 6, 2):
        with time_machine.travel(now - datetime.timedelta(days=days_ago), tick=False):
            file_request()
    paused = file_request(title="En attente de la bibliothèque")
    # As refresh_clock leaves a paused request: no deadline.
    Request.objects.filter(pk=paused.pk).update(positioning_deadline=None, positioning_paused=True)
    client.force_login(member)

    seen, queries = walk(client)

    expected = list(
        Request.objects.order_by(
            F("positioning_deadline").asc(nulls_last=True),
            "-submitted_at",
            "-id",
        ).values_list("reference", flat=True)
    )
    assert seen == expected
    assert seen[-1] == paused.reference  # no deadline: after every running delay
    # A later page costs what the first does, but the one where the undated rows begin:
    # it reads them apart (rows and their domains), in index order too.
    assert sorted(set(queries)) == [queries[0], queries[0] + 2]


def test_most_recent_first_pages_too(client, member, small_pages):
    for _ in range(7):
        file_request()
    client.force_login(member)

    seen, _queries = walk(client, sort="recent")

    assert seen == list(
        Request.objects.order_by("-submitted_at", "-id").values_list("reference", flat=True)
    )


@pytest.mark.parametrize("cursor", ["x", "!!!", "WzFd", "bnVsbA", "W251bGwsICJ4IiwgMV0"])
def test_a_malformed_cursor_shows_the_first_page(client, member, cursor):
    filed = file_request()
    client.force_login(member)

    response = client.get("/espace/demandes/", {"after": cursor})

    assert response.status_code == 200
    assert filed.reference in response.content.decode()


def test_the_count_stops_at_the_cap(client, member, monkeypatch):
    monkeypatch.setattr(views, "COUNT_CAP", 2)
    for _ in range(3):
        file_request()
    client.force_login(member)

    page = client.get("/espace/demandes/").content.decode()

    assert "Plus de 2 demandes : affinez les filtres." in page
