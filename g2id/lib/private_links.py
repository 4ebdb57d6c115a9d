"""Private links: a random token in the address, looked up by its first characters and
compared in constant time (tracking pages, invitations, surveys)."""

from __future__ import annotations

import hmac
import re
import secrets
from typing import TypeVar

from django.db.models import Model, QuerySet

SELECTOR_LENGTH = 12
# URL-safe base64 of 32 random bytes: anything else is not a token and never reaches the database.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{40,64}")

M = TypeVar("M", bound=Model)


def new_token() -> str:
    # 32 random bytes: 256 bits, far above the 128 required.
    return secrets.token_urlsafe(32)


def find_by_token(
    rows: QuerySet[M], token: str, *, selector: str = "selector", field: str = "token"
) -> M | None:
    """The row whose `field` is `token`, found by its selector column; None otherwise."""
    if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
        return None
    found = rows.filter(**{selector: token[:SELECTOR_LENGTH]}).first()
    if found is None or not hmac.compare_digest(getattr(found, field).encode(), token.encode()):
        return None
    return found
