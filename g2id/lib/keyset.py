"""Keyset ("seek") pagination: the next page starts after the last row shown.

Deep pages cost what the first one does (no OFFSET), and rows filed meanwhile never shift a
page. The cursor is the last row's sort values, URL-safe; a malformed cursor simply shows the
first page. NULLs sort last, whatever the direction.

Only a key declared `nullable` says so in its ORDER BY and its cursor condition: the others
stay plain `col DESC` / `col < value`, so that an index such as (deadline, -submitted_at,
-id) serves the whole order on PostgreSQL (whose ASC indexes keep NULLs last) and SQLite
(which reads the NULLs of a leading ASC column after the others).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import attrgetter
from typing import Any, Generic, TypeVar

from django.db.models import F, Model, OrderBy, Q, QuerySet

Parse = Callable[[str], Any]


@dataclass(frozen=True)
class SortKey:
    """One column of the order: its lookup path, its direction, how to read it back."""

    lookup: str
    descending: bool = False
    parse: Parse = int
    nullable: bool = False

    def order(self) -> OrderBy:
        column = F(self.lookup)
        nulls_last = True if self.nullable else None
        return (
            column.desc(nulls_last=nulls_last)
            if self.descending
            else column.asc(nulls_last=nulls_last)
        )

    def after(self, value: Any, *, nulls: bool = True) -> Q:
        """Rows that come after `value` in this column's order (NULLs come after everything,
        unless `nulls` is False)."""
        if value is None:
            return Q(pk__in=[])
        beyond = Q(**{f"{self.lookup}__{'lt' if self.descending else 'gt'}": value})
        if not (self.nullable and nulls):
            return beyond
        return beyond | Q(**{f"{self.lookup}__isnull": True})

    def equal(self, value: Any) -> Q:
        return Q(**{f"{self.lookup}__isnull": True} if value is None else {self.lookup: value})


def parse_date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def parse_datetime(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class KeysetPage(Generic[M]):
    items: list[M]
    next_cursor: str | None
    is_first: bool


def paginate(
    queryset: QuerySet[M], keys: Sequence[SortKey], *, cursor: str | None, size: int
) -> KeysetPage[M]:
    """One page of `queryset` in the order of `keys` (which must end with a unique column)."""
    ordered = queryset.order_by(*(key.order() for key in keys))
    position = _decode(cursor, keys)
    if position is None:
        rows = list(ordered[: size + 1])
    elif keys[0].nullable and position[0] is not None:
        rows = _values_then_nulls(ordered, keys, position, size + 1)
    else:
        rows = list(ordered.filter(_after(keys, position))[: size + 1])
    items = rows[:size]
    next_cursor = _encode(keys, items[-1]) if len(rows) > size else None
    return KeysetPage(items=items, next_cursor=next_cursor, is_first=position is None)


def _values_then_nulls(
    ordered: QuerySet[M], keys: Sequence[SortKey], position: Sequence[Any], wanted: int
) -> list[M]:
    """The rows after `position` whose first key has a value, then those where it is NULL.

    Two reads in index order: one `… OR first IS NULL` would make the database sort every row.
    """
    first = f"{keys[0].lookup}__isnull"
    rows = list(ordered.filter(_after(keys, position, nulls=False), **{first: False})[:wanted])
    if len(rows) < wanted:
        rows += list(ordered.filter(**{first: True})[: wanted - len(rows)])
    return rows


def _after(keys: Sequence[SortKey], position: Sequence[Any], *, nulls: bool = True) -> Q:
    # (k1 after v1) or (k1 = v1 and k2 after v2) or (k1 = v1 and k2 = v2 and k3 after v3)…
    alternatives = []
    for index, key in enumerate(keys):
        equal_before = [keys[i].equal(position[i]) for i in range(index)]
        after = key.after(position[index], nulls=nulls)
        alternatives.append(reduce(lambda a, b: a & b, equal_before, after))
    return reduce(lambda a, b: a | b, alternatives)


def _encode(keys: Sequence[SortKey], row: Model) -> str:
    values = []
    for key in keys:
        value = attrgetter(key.lookup.replace("__", "."))(row)
        values.append(value.isoformat() if hasattr(value, "isoformat") else value)
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode(cursor: str | None, keys: Sequence[SortKey]) -> list[Any] | None:
    if not cursor:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(keys):
            return None
        return [
            None if v is None else key.parse(str(v)) for key, v in zip(keys, values, strict=True)
        ]
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None
