"""Authentication of the team's API calls: a member's personal token, sent as a Bearer token."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from g2id.accounts.models import ApiToken, User

# Longer than any token we issue: a longer header is refused without a query.
TOKEN_MAX_LENGTH = 200


class MemberToken(HttpBearer):
    """`Authorization: Bearer g2id_…`: an active token of an active account."""

    openapi_description = "A personal token created on your profile page (/espace/profil/)."

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        if not token or len(token) > TOKEN_MAX_LENGTH:
            return None
        return ApiToken.objects.authenticate(token)
