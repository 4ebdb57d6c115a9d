"""Small HTTP helpers shared by the pages and the API."""

from __future__ import annotations

import base64
import hashlib
import pickle
import re
import time
import zlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.http import HttpRequest
from django.utils import timezone
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

    from g2id.accounts.models import User


class TeamRequest(HttpRequest):
    """A request behind login_required, as the team's views see it (for type checking)."""

    user: User
    htmx: HtmxDetails


def client_address(request: HttpRequest) -> str:
    """The client's IP address; behind a trusted proxy, the address the proxy saw."""
    if settings.G2ID_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


# --- Rate limit --------------------------------------------------------------------------------
# The rates and windows of django-ratelimit ("20/h", "100/5m"): a fixed window per client,
# shifted by a hash of the client's address so that windows do not all turn at once.

_RATE = re.compile(r"(\d+)/(\d*)([smhd])?$")
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# The counter outlives its window a little, so that a late increment never resets it.
_EXPIRY_MARGIN = 5


def _split_rate(rate: str) -> tuple[int, int]:
    match = _RATE.match(rate.strip())
    if match is None:
        raise ValueError(f"Not a rate: {rate!r} (e.g. 20/h, 100/5m).")
    count, multiplier, unit = match.groups()
    return int(count), _PERIODS[(unit or "s").lower()] * int(multiplier or 1)


def _window_end(value: str, period: int, now: int) -> int:
    """The end of the window `now` falls in, for this client (django-ratelimit's windows)."""
    if period == 1:
        return now
    end = now - (now % period) + (zlib.crc32(value.encode()) % period)
    return end + period if end < now else end


def rate_exceeded(request: HttpRequest, *, group: str) -> bool:
    """Count one use of `group` by this client; True once G2ID_SUBMIT_RATE is exceeded.

    The request form and the API count in the same group, "submit". Called inside a
    transaction, the count is written in that transaction (a submission's count and its
    request are committed together); otherwise it is its own short transaction.
    """
    limit, period = _split_rate(settings.G2ID_SUBMIT_RATE)
    address = client_address(request)
    now = int(time.time())
    end = _window_end(address, period, now)
    digest = hashlib.sha256(f"{group}\n{address}\n{period}\n{end}".encode()).hexdigest()
    key = f"g2id-rate:{digest}"
    timeout = end - now + _EXPIRY_MARGIN
    return _count(key, timeout) > limit


def _count(key: str, timeout: int) -> int:
    """Add one to a counter of the shared cache; the new count."""
    cache = caches["default"]
    if isinstance(cache, DatabaseCache):
        connection = connections[router.db_for_write(cache.cache_model_class)]
        if connection.vendor in ("sqlite", "postgresql"):
            with transaction.atomic(using=connection.alias, savepoint=False):
                return _count_in_table(connection, cache, key, timeout)
    # Redis and the others: add is atomic, and incr keeps the key's expiry.
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout)
        return 1


def _count_in_table(
    connection: BaseDatabaseWrapper, table_cache: DatabaseCache, key: str, timeout: int
) -> int:
    """The database cache's counter in two statements, one read and one upsert.

    DatabaseCache's own add and incr take eleven (a count of the table and a transaction on
    each write). The row is what DatabaseCache writes itself (a base64 pickle, an expiry),
    so `cache.get` reads it; it is culled with the others. On PostgreSQL the read locks the
    row, so simultaneous submissions from one address are all counted; SQLite's write
    lock, taken at the start of the transaction, does the same.
    """
    key = table_cache.make_and_validate_key(key)
    quote = connection.ops.quote_name
    table, cache_key, value_column, expires = (
        quote(table_cache._table),  # type: ignore[attr-defined]
        quote("cache_key"),
        quote("value"),
        quote("expires"),
    )
    now = timezone.now()
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {value_column} FROM {table} WHERE {cache_key} = %s AND {expires} >= %s{lock}",  # noqa: S608
            [key, connection.ops.adapt_datetimefield_value(now)],
        )
        row = cursor.fetchone()
        count = 1
        if row is not None:
            stored = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))  # noqa: S301
            count = stored + 1 if isinstance(stored, int) else 1
        expiry = datetime.fromtimestamp(time.time() + timeout, tz=UTC if settings.USE_TZ else None)
        cursor.execute(
            f"INSERT INTO {table} ({cache_key}, {value_column}, {expires}) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT ({cache_key}) DO UPDATE SET {value_column} = EXCLUDED.{value_column}, "
            f"{expires} = EXCLUDED.{expires}",
            [
                key,
                base64.b64encode(pickle.dumps(count, table_cache.pickle_protocol)).decode("latin1"),
                connection.ops.adapt_datetimefield_value(expiry.replace(microsecond=0)),
            ],
        )
    return count
