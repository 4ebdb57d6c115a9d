"""The Idempotency-Key header makes retries of POST /api/v1/requests safe."""

from __future__ import annotations

import uuid

from g2id.notifications.models import OutgoingMail
from g2id.requests.models import Request
from tests.api.support import assert_error_shape, post_json, stored_counts, valid_body


def test_retrying_with_the_same_idempotency_key_returns_the_first_request_with_200(client):
    key = str(uuid.uuid4())
    first = post_json(client, valid_body(), HTTP_IDEMPOTENCY_KEY=key)
    mails_after_first = OutgoingMail.objects.count()

    retry = post_json(client, valid_body(), HTTP_IDEMPOTENCY_KEY=key)

    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert Request.objects.count() == 1
    assert OutgoingMail.objects.count() == mails_after_first  # no second receipt


def test_a_retry_returns_the_first_request_even_if_its_body_changed(client):
    first = post_json(client, valid_body(), HTTP_IDEMPOTENCY_KEY="commande-42")

    retry = post_json(client, valid_body(title="Autre titre"), HTTP_IDEMPOTENCY_KEY="commande-42")

    assert retry.status_code == 200
    assert retry.json()["reference"] == first.json()["reference"]
    assert Request.objects.get().title == valid_body()["title"]


def test_different_idempotency_keys_file_different_requests(client):
    first = post_json(client, valid_body(), HTTP_IDEMPOTENCY_KEY="envoi-1")
    second = post_json(client, valid_body(), HTTP_IDEMPOTENCY_KEY="envoi-2")

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["reference"] != second.json()["reference"]
    assert Request.objects.count() == 2


def test_without_an_idempotency_key_each_post_files_a_new_request(client):
    references = {post_json(client, valid_body()).json()["reference"] for _ in range(3)}

    assert len(references) == 3
    assert Request.objects.count() == 3


def test_a_key_reused_by_another_contact_never_reveals_the_first_request(client):
    mine = post_json(client, valid_body(), HTTP_IDEMPOTENCY_KEY="1")

    someone_else = valid_body(contact={"email": "quelquun@ailleurs.example.org"})
    theirs = post_json(client, someone_else, HTTP_IDEMPOTENCY_KEY="1")

    assert theirs.status_code == 201
    assert theirs.json()["token"] != mine.json()["token"]
    assert theirs.json()["reference"] != mine.json()["reference"]


def test_the_same_key_with_the_contact_address_in_another_case_is_still_a_retry(client):
    first = post_json(client, valid_body(), HTTP_IDEMPOTENCY_KEY="k")

    retry = post_json(
        client,
        valid_body(contact={"email": "Camille.Martin@Poitiers.example.fr"}),
        HTTP_IDEMPOTENCY_KEY="k",
    )

    assert retry.status_code == 200
    assert retry.json()["reference"] == first.json()["reference"]


def test_a_refused_body_with_an_idempotency_key_reserves_nothing(client):
    refused = post_json(client, valid_body(title=""), HTTP_IDEMPOTENCY_KEY="cle")

    accepted = post_json(client, valid_body(), HTTP_IDEMPOTENCY_KEY="cle")

    assert refused.status_code == 422
    assert accepted.status_code == 201


def test_an_overlong_idempotency_key_is_refused_and_nothing_is_stored(client):
    before = stored_counts()

    response = post_json(client, valid_body(), HTTP_IDEMPOTENCY_KEY="k" * 201)

    body = assert_error_shape(response, 422)
    assert [error["field"] for error in body["errors"]] == ["Idempotency-Key"]
    assert stored_counts() == before


def test_the_web_forms_own_submission_keys_do_not_collide_with_api_keys(client):
    filed = post_json(client, valid_body(), HTTP_IDEMPOTENCY_KEY="abc").json()

    stored = Request.objects.get(reference=filed["reference"])

    assert stored.submission_key is not None
    assert str(stored.submission_key) != "abc"
    assert stored.submission_key.version == 5  # the form's keys are random (version 4)
