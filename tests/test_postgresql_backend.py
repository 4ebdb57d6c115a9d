"""On PostgreSQL with parameters bound on the server, no statement passes the protocol's limit."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from g2id.lib.postgresql.base import MAX_PARAMETERS
from g2id.public.models import RateCount
from g2id.requests.models import Request
from tests.factories import file_request

pytestmark = pytest.mark.skipif(
    not connection.features.max_query_params or connection.vendor != "postgresql",
    reason="the limit of parameters bound on the PostgreSQL server",
)


def test_a_bulk_insert_of_more_values_than_a_statement_takes_is_split():
    ends = timezone.now() + datetime.timedelta(hours=1)
    rows = [RateCount(key=f"{number:064d}", window_ends_at=ends) for number in range(25_000)]
    assert 3 * len(rows) > MAX_PARAMETERS

    RateCount.objects.bulk_create(rows)

    assert RateCount.objects.count() == 25_000


def test_more_identifiers_than_a_statement_takes_are_read_in_batches():
    filed = file_request()
    wanted = [filed.pk, *range(10**9, 10**9 + MAX_PARAMETERS)]

    assert list(Request.objects.in_bulk(wanted)) == [filed.pk]
