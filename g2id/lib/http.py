"""Small HTTP helpers shared by the pages and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
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
