"""References G2ID-<year>-<n> stay unique and consecutive when libraries submit at once.

The submissions really run in parallel: a live HTTP server (one thread per request, each with
its own database connection) receives them from a pool of client threads released together.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from g2id.institutions.models import Institution
from g2id.requests.models import ReferenceSequence, Request
from tests.api.support import valid_body

THREADS = 8
SUBMISSIONS = 24  # three waves of THREADS simultaneous posts
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

pytestmark = [
    pytest.mark.live,
    # The live server sees only committed data; the seeded domains and cell are restored after.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def post(url: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=90) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def submit_together(
    url: str, bodies: list[dict[str, Any]], headers: dict[str, str] | None = None
) -> list[tuple[int, dict[str, Any]]]:
    """Post every body from THREADS threads, each wave released at the same instant."""
    barrier = threading.Barrier(THREADS, timeout=60)

    def one(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        barrier.wait()
        return post(url, body, headers or {})

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(one, bodies))


def test_references_stay_unique_and_consecutive_under_concurrent_submissions(live_server):
    year = timezone.localdate().year
    before = ReferenceSequence.objects.filter(year=year).values_list("last_number", flat=True)
    start = before.first() or 0
    bodies = [valid_body(title=f"Demande simultanée n°{n}") for n in range(SUBMISSIONS)]

    answers = submit_together(f"{live_server.url}/api/v1/requests", bodies)

    assert [status for status, _body in answers] == [201] * SUBMISSIONS, answers
    references = [body["reference"] for _status, body in answers]
    assert len(set(references)) == SUBMISSIONS
    numbers = []
    for reference in references:
        match = re.fullmatch(rf"G2ID-{year}-(\d{{4,}})", reference)
        assert match, reference
        numbers.append(int(match[1]))
    assert sorted(numbers) == list(range(start + 1, start + SUBMISSIONS + 1))
    assert set(Request.objects.values_list("reference", flat=True)) >= set(references)
    assert ReferenceSequence.objects.get(year=year).last_number == start + SUBMISSIONS
    assert len({body["token"] for _status, body in answers}) == SUBMISSIONS


def test_concurrent_retries_with_one_idempotency_key_file_one_request(live_server):
    answers = submit_together(
        f"{live_server.url}/api/v1/requests",
        [valid_body() for _ in range(THREADS)],
        headers={"Idempotency-Key": "une-seule-demande"},
    )

    assert {status for status, _body in answers} <= {200, 201}, answers
    assert 201 in {status for status, _body in answers}
    assert len({body["reference"] for _status, body in answers}) == 1
    assert Request.objects.count() == 1
    assert ReferenceSequence.objects.get().last_number == 1


def test_simultaneous_submissions_for_one_new_library_create_it_once(live_server):
    answers = submit_together(
        f"{live_server.url}/api/v1/requests", [valid_body() for _ in range(THREADS)]
    )

    assert [status for status, _body in answers] == [201] * THREADS
    assert Institution.objects.filter(name=valid_body()["library"]["name"]).count() == 1
