"""One error shape everywhere under /api/v1/, even for a wrong address, method or a bug."""

from __future__ import annotations

import logging

import pytest

from tests.api.support import assert_error_shape, post_json, stored_counts, valid_body


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/requests/", "/api/v1/v2/x"])
def test_an_unknown_api_address_answers_a_json_404(client, path):
    body = assert_error_shape(client.get(path), 404)
    assert body == {"detail": "Ressource introuvable.", "errors": []}


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("get", "/api/v1/requests", "POST"),
        ("delete", "/api/v1/requests", "POST"),
        ("put", "/api/v1/requests", "POST"),
        ("post", "/api/v1/domains", "GET"),
        ("post", "/api/v1/track/abcdefghijklmnopqrstuvwxyz0123456789", "GET"),
    ],
)
def test_a_wrong_method_answers_a_json_405_with_the_allowed_method(client, method, path, allowed):
    response = getattr(client, method)(path)

    body = assert_error_shape(response, 405)
    assert body == {"detail": "Cette méthode n'est pas autorisée ici.", "errors": []}
    assert response["Allow"] == allowed


def test_an_unexpected_error_answers_a_json_500_is_logged_and_stores_nothing(
    client, monkeypatch, caplog
):
    def broken(**kwargs: object) -> None:
        raise RuntimeError("la base a disparu")

    monkeypatch.setattr("g2id.requests.forms.submit_request", broken)
    before = stored_counts()

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = post_json(client, valid_body())

    body = assert_error_shape(response, 500)
    assert "la base a disparu" not in response.content.decode()  # no internals leak
    assert body == {"detail": "Une erreur inattendue s'est produite.", "errors": []}
    logged = [record.exc_info[1] for record in caplog.records if record.exc_info]
    assert any("la base a disparu" in str(error) for error in logged)
    assert stored_counts() == before


def test_api_answers_say_their_language(client):
    assert client.get("/api/v1/domains")["Content-Language"] == "fr"
    assert client.get("/api/v1/domains", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"
