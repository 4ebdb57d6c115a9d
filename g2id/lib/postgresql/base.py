"""Django's PostgreSQL backend, whose statements stay within the parameters the server takes.

With parameters bound on the server (settings: G2ID_PG_PREPARED_STATEMENTS), one statement
carries at most 65,535 of them, a limit of the protocol that Django's backend does not know:
a bulk_create, an in_bulk or a delete that collects more rows than that would fail. This
backend tells Django the limit, so that it splits them in batches as it does for SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

from django.db import models
from django.db.backends.postgresql import base, features, operations
from django.utils.functional import cached_property

# The protocol's limit on the parameters of one statement (a 16-bit count).
MAX_PARAMETERS = 65_535


class DatabaseFeatures(features.DatabaseFeatures):
    @cached_property
    def max_query_params(self) -> int | None:  # type: ignore[override]
        return MAX_PARAMETERS if self.uses_server_side_binding else None


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields: Sequence[Any], objs: Sequence[Any]) -> int:
        if not self.connection.features.uses_server_side_binding:
            return super().bulk_batch_size(fields, objs)
        columns = list(
            chain.from_iterable(
                field.fields if isinstance(field, models.CompositePrimaryKey) else [field]
                for field in fields
            )
        )
        return max(MAX_PARAMETERS // max(len(columns), 1), 1)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
