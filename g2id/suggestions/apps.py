from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "g2id.suggestions"
    verbose_name = _("Suggestions")

    def ready(self) -> None:
        post_migrate.connect(_repair_sqlite_index, sender=self)


def _repair_sqlite_index(*, using: str, **kwargs: Any) -> None:
    """After every `migrate`: a table rebuild may have dropped the SQLite index's triggers."""
    from g2id.suggestions import index

    index.repair_sqlite_index(connections[using])
