"""Submissions are limited per client address, one counter for the API and the web form."""

from __future__ import annotations

import uuid

import pytest

from g2id.requests.models import Request
from tests.api.support import assert_error_shape, post_json, stored_counts, valid_body


@pytest.fixture
def two_an_hour(settings):
    settings.G2ID_SUBMIT_RATE = "2/h"


def form_data() -> dict[str, str | list[str]]:
    return {
        "library_name": "Médiathèque François-Mitterrand",
        "library_postcode": "86000",
        "library_city": "Poitiers",
        "contact_name": "Camille Martin",
        "contact_email": "camille.martin@poitiers.example.fr",
        "title": "Relances en double",
        "description": "Chaque lecteur reçoit deux relances.",
        "kind": "advice",
        "domains": ["A1"],
        "consent": "on",
        "website": "",
        "submission_key": str(uuid.uuid4()),
    }


@pytest.mark.usefixtures("two_an_hour")
def test_the_third_api_submission_in_an_hour_answers_429_in_the_error_shape(client):
    statuses = [post_json(client, valid_body()).status_code for _ in range(2)]
    before = stored_counts()

    refused = post_json(client, valid_body())

    assert statuses == [201, 201]
    body = assert_error_shape(refused, 429)
    assert body == {
        "detail": "Trop de demandes envoyées depuis votre adresse ; réessayez plus tard.",
        "errors": [],
    }
    assert stored_counts() == before


@pytest.mark.usefixtures("two_an_hour")
def test_the_api_and_the_web_form_share_one_counter(client):
    for _ in range(2):
        assert post_json(client, valid_body()).status_code == 201

    page = client.post("/demande/", form_data())

    assert page.status_code == 429
    assert page["Content-Type"].startswith("text/html")
    assert Request.objects.count() == 2


@pytest.mark.usefixtures("two_an_hour")
def test_web_form_submissions_count_against_the_api_too(client):
    for _ in range(2):
        assert client.post("/demande/", form_data()).status_code == 302

    refused = post_json(client, valid_body())

    assert_error_shape(refused, 429)
    assert Request.objects.count() == 2


@pytest.mark.usefixtures("two_an_hour")
def test_the_limit_is_counted_per_client_address(client):
    for _ in range(2):
        post_json(client, valid_body(), REMOTE_ADDR="192.0.2.10")

    assert post_json(client, valid_body(), REMOTE_ADDR="192.0.2.10").status_code == 429
    assert post_json(client, valid_body(), REMOTE_ADDR="192.0.2.11").status_code == 201


@pytest.mark.usefixtures("two_an_hour")
def test_refused_submissions_count_too(client):
    for _ in range(2):
        assert post_json(client, valid_body(title="")).status_code == 422

    assert post_json(client, valid_body()).status_code == 429


@pytest.mark.usefixtures("two_an_hour")
def test_reading_the_api_is_not_limited(client, filed):
    for _ in range(2):
        post_json(client, valid_body())

    assert client.get("/api/v1/domains").status_code == 200
    assert client.get(f"/api/v1/track/{filed.tracking_token}").status_code == 200
