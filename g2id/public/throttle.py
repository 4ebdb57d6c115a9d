"""How often a client may submit: G2ID_SUBMIT_RATE per client address ("20/h", "100/5m").

A fixed window per client and action; the form, the API and the lost-link page count in
their groups. Called inside a transaction, the count is written in that transaction (a
submission's count and its request commit together: one write transaction on SQLite);
otherwise in a short one of its own.
"""

from __future__ import annotations

import datetime
import hashlib
import re

from django.conf import settings
from django.db import connections, router, transaction
from django.http import HttpRequest
from django.utils import timezone

from g2id.lib.http import client_address
from g2id.public.models import RateCount

# The columns of RateCount the upsert writes.
COLUMNS = ("key", "count", "window_ends_at")
RATE = re.compile(r"(\d+)/(\d*)([smhd])?$")
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """("20/h") → (20 uses, 3600 seconds)."""
    match = RATE.match(rate.strip())
    if match is None:
        raise ValueError(f"Not a rate: {rate!r} (e.g. 20/h, 100/5m).")
    count, multiplier, unit = match.groups()
    return int(count), PERIODS[(unit or "s").lower()] * int(multiplier or 1)


def rate_exceeded(request: HttpRequest, *, group: str) -> bool:
    """Count one use of `group` by this client; True once G2ID_SUBMIT_RATE is exceeded."""
    limit, period = parse_rate(settings.G2ID_SUBMIT_RATE)
    now = timezone.now()
    window = int(now.timestamp()) // period
    client = client_address(request)
    key = hashlib.sha256(f"{group}\n{client}\n{period}\n{window}".encode()).hexdigest()
    ends_at = datetime.datetime.fromtimestamp((window + 1) * period, tz=datetime.UTC)
    return count_use(key, ends_at) > limit


def count_use(key: str, window_ends_at: datetime.datetime) -> int:
    """Add one to the counter `key` (created at its first use); the new count.

    One upsert statement (SQLite 3.35+ and PostgreSQL): it runs under the write lock of the
    submission it counts, so the shorter the better; two first uses at once both count.
    """
    connection = connections[router.db_for_write(RateCount)]
    quote = connection.ops.quote_name
    table = quote(RateCount._meta.db_table)
    key_column, count_column, ends_column = (quote(name) for name in COLUMNS)
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {count_column}, {ends_column}) "  # noqa: S608
            f"VALUES (%s, 1, %s) ON CONFLICT ({key_column}) "
            f"DO UPDATE SET {count_column} = {table}.{count_column} + 1 "
            f"RETURNING {count_column}",
            [key, connection.ops.adapt_datetimefield_value(window_ends_at)],
        )
        (count,) = cursor.fetchone()
    return int(count)


def forget_past_windows(now: datetime.datetime) -> int:
    """Delete the counters of windows that have ended; how many."""
    deleted, _by_model = RateCount.objects.filter(window_ends_at__lt=now).delete()
    return deleted
