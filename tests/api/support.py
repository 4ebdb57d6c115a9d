"""Helpers of the API tests: a valid body, JSON posts, and what the database holds."""

from __future__ import annotations

import copy
import json
from typing import Any

from django.test import Client

from g2id.institutions.models import Institution
from g2id.notifications.models import OutgoingMail
from g2id.requests.models import Request

# The test client's response: an HttpResponse with .json() (its class is private to Django).
TestResponse = Any

REQUESTS_URL = "/api/v1/requests"

VALID_BODY: dict[str, Any] = {
    "library": {
        "name": "Médiathèque François-Mitterrand",
        "city": "Poitiers",
        "postcode": "86000",
        "kind": "network_head",
    },
    "contact": {
        "name": "Camille Martin",
        "email": "camille.martin@poitiers.example.fr",
        "phone": "05 49 00 00 00",
        "role": "Responsable du SIGB",
    },
    "title": "Relances en double depuis la mise à jour de Koha",
    "description": "Depuis la mise à jour en 23.11, chaque lecteur reçoit deux relances.",
    "kind": "advice",
    "domains": ["A1", "A5"],
    "consent": True,
}


def valid_body(**overrides: Any) -> dict[str, Any]:
    """A body the API accepts; `library`/`contact` overrides are merged into the defaults."""
    body = copy.deepcopy(VALID_BODY)
    for key, value in overrides.items():
        if key in ("library", "contact") and isinstance(value, dict):
            body[key].update(value)
        else:
            body[key] = value
    return body


def post_json(client: Client, body: Any, **headers: Any) -> TestResponse:
    """POST `body` as JSON (a str or bytes is sent as it is, for malformed bodies)."""
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(REQUESTS_URL, data=data, content_type="application/json", **headers)


def stored_counts() -> tuple[int, int, int]:
    return Request.objects.count(), Institution.objects.count(), OutgoingMail.objects.count()


def assert_error_shape(response: TestResponse, status: int | tuple[int, ...]) -> dict[str, Any]:
    """The API's one error shape: {"detail": str, "errors": [{"field": str, "message": str}]}."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], list)
    for error in body["errors"]:
        assert set(error) == {"field", "message"}
        assert isinstance(error["field"], str)
        assert isinstance(error["message"], str) and error["message"]
    return body


def error_fields(body: dict[str, Any]) -> set[str]:
    return {error["field"] for error in body["errors"]}
