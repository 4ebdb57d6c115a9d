"""Filing a request writes in one transaction, with the rate limit's count (SQLite has one
writer: every extra transaction queues behind the others)."""

from __future__ import annotations

import datetime
import json
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from g2id.public import throttle
from g2id.public.models import RateCount
from g2id.requests.models import Request
from tests.test_query_budgets import api_payload, codes, form_data

TRANSACTION_START = ("SAVEPOINT", "BEGIN")
TRANSACTION_END = ("RELEASE", "COMMIT", "ROLLBACK")
WRITES = ("INSERT", "UPDATE", "DELETE")


def write_transactions(statements: list[str]) -> list[list[str]]:
    """The outermost transactions (savepoints in a test) of these statements with their writes,
    nested savepoints included; a write out of any fails."""
    transactions: list[list[str]] = []
    depth = 0
    for sql in statements:
        if sql.startswith(TRANSACTION_START):
            if depth == 0:
                transactions.append([])
            depth += 1
        elif sql.startswith(TRANSACTION_END):
            assert depth > 0
            depth -= 1
        elif sql.startswith(WRITES):
            assert depth > 0, f"a write out of the transaction: {sql[:80]}"
            transactions[-1].append(sql)
    return [writes for writes in transactions if writes]


def statements(send) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = send()
    assert response.status_code in (201, 302), response
    return [query["sql"].lstrip() for query in queries.captured_queries]


@pytest.mark.parametrize("path", ["form", "api"])
def test_a_submission_is_one_write_transaction_with_its_rate_count(client, path):
    def send():
        if path == "form":
            return client.post("/demande/", form_data(codes(2)))
        return client.post(
            "/api/v1/requests", api_payload(codes(2)), content_type="application/json"
        )

    send()  # the counter exists
    [writes] = write_transactions(statements(send))
    assert any('"public_ratecount"' in sql for sql in writes)
    assert any('INTO "requests_request"' in sql for sql in writes)
    assert Request.objects.count() == 2


def test_the_form_answers_with_a_cookie_and_writes_no_session(client, settings):
    response = client.post("/demande/", form_data(codes(1)))
    assert response.url == "/demande/envoyee/"
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()
    page = client.get("/demande/envoyee/")
    assert Request.objects.get().reference in page.content.decode()


def test_a_forged_confirmation_cookie_shows_nothing(client):
    client.post("/demande/", form_data(codes(1)))
    client.cookies["g2id_submitted"] = str(Request.objects.get().pk)  # unsigned
    assert client.get("/demande/envoyee/").url == "/demande/"


def test_the_fourth_use_of_a_three_an_hour_rate_is_refused(rf, settings):
    settings.G2ID_SUBMIT_RATE = "3/h"
    request = rf.post("/", REMOTE_ADDR="192.0.2.7")
    assert [throttle.rate_exceeded(request, group="test") for _ in range(4)] == [
        False,
        False,
        False,
        True,
    ]
    other_client = rf.post("/", REMOTE_ADDR="192.0.2.99")
    assert not throttle.rate_exceeded(other_client, group="test")
    assert not throttle.rate_exceeded(request, group="another action")


def test_the_counts_of_past_windows_are_forgotten(rf, settings, time_machine):
    settings.G2ID_SUBMIT_RATE = "1/m"
    time_machine.move_to(time.time(), tick=False)
    throttle.rate_exceeded(rf.post("/", REMOTE_ADDR="192.0.2.9"), group="test")
    assert throttle.forget_past_windows(timezone.now()) == 0
    assert throttle.forget_past_windows(timezone.now() + datetime.timedelta(minutes=2)) == 1
    assert not RateCount.objects.exists()


def test_an_expired_counter_starts_again(rf, settings, time_machine):
    settings.G2ID_SUBMIT_RATE = "1/m"
    request = rf.post("/", REMOTE_ADDR="192.0.2.8")
    time_machine.move_to(time.time(), tick=False)
    assert not throttle.rate_exceeded(request, group="test")
    assert throttle.rate_exceeded(request, group="test")
    time_machine.shift(120)
    assert not throttle.rate_exceeded(request, group="test")


def test_the_api_replays_an_idempotency_key_with_200(client):
    body = api_payload(codes(1))
    first = client.post(
        "/api/v1/requests", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    again = client.post(
        "/api/v1/requests", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert json.loads(again.content)["reference"] == json.loads(first.content)["reference"]
