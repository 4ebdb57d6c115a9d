"""Invalid input to POST /api/v1/requests: 400 or 422, every wrong field named, nothing stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.api.support import (
    VALID_BODY,
    assert_error_shape,
    error_fields,
    post_json,
    stored_counts,
    valid_body,
)

MEGABYTE = 1024 * 1024


def assert_refused(
    client: Client,
    body: Any,
    fields: set[str],
    status: int | tuple[int, ...] = 422,
    **headers: str,
) -> dict[str, Any]:
    """Posting `body` is refused with the error shape naming `fields`, and stores nothing."""
    before = stored_counts()
    response = post_json(client, body, **headers)
    answer = assert_error_shape(response, status)
    assert fields <= error_fields(answer), answer
    assert stored_counts() == before
    return answer


def without(path: str) -> dict[str, Any]:
    """The valid body without the key at the dotted `path`."""
    body = valid_body()
    *parents, last = path.split(".")
    target = body
    for part in parents:
        target = target[part]
    del target[last]
    return body


REQUIRED_TEXT = [
    ("library", "name"),
    ("library", "city"),
    ("library", "postcode"),
    ("contact", "name"),
    ("contact", "email"),
    (None, "title"),
    (None, "description"),
    (None, "kind"),
]


def with_value(parent: str | None, key: str, value: Any) -> dict[str, Any]:
    return valid_body(**({parent: {key: value}} if parent else {key: value}))


def dotted(parent: str | None, key: str) -> str:
    return f"{parent}.{key}" if parent else key


@pytest.mark.parametrize(("parent", "key"), REQUIRED_TEXT, ids=lambda v: str(v))
def test_an_empty_required_field_is_named_and_nothing_is_stored(client, parent, key):
    assert_refused(client, with_value(parent, key, ""), {dotted(parent, key)})


@pytest.mark.parametrize(("parent", "key"), REQUIRED_TEXT, ids=lambda v: str(v))
def test_a_whitespace_only_required_field_is_named_and_nothing_is_stored(client, parent, key):
    assert_refused(client, with_value(parent, key, "  \t\n  "), {dotted(parent, key)})


@pytest.mark.parametrize(
    "path",
    [
        "library",
        "library.name",
        "library.city",
        "library.postcode",
        "contact",
        "contact.name",
        "contact.email",
        "title",
        "description",
        "kind",
        "domains",
        "consent",
    ],
)
def test_a_missing_required_field_is_named_and_nothing_is_stored(client, path):
    answer = assert_refused(client, without(path), {path})
    assert answer["errors"][0]["message"] == "Ce champ est obligatoire."


def test_an_empty_object_names_every_required_field(client):
    assert_refused(
        client,
        {},
        {"library", "contact", "title", "description", "kind", "domains", "consent"},
    )


def test_an_empty_domain_list_is_refused(client):
    assert_refused(client, valid_body(domains=[]), {"domains"})


def test_a_one_megabyte_description_is_refused(client):
    answer = assert_refused(client, valid_body(description="x" * MEGABYTE), {"description"})
    assert error_fields(answer) == {"description"}


def test_a_title_longer_than_the_form_allows_is_refused(client):
    assert_refused(client, valid_body(title="T" * 201), {"title"})


def test_a_body_larger_than_the_upload_limit_answers_json_not_a_html_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * MEGABYTE
    answer = assert_refused(client, valid_body(description="x" * 3 * MEGABYTE), {""}, status=400)
    assert answer["detail"] == "Le corps de la requête est trop volumineux."


@pytest.mark.parametrize(
    "email",
    [
        "pas-une-adresse",
        "camille@",
        "@example.fr",
        "camille@@example.fr",
        "camille martin@example.fr",
        "camille@example.fr\nBcc: tous@example.org",
        "camille@example.fr, autre@example.org",
    ],
)
def test_a_malformed_email_is_refused_in_french(client, email):
    answer = assert_refused(client, valid_body(contact={"email": email}), {"contact.email"})
    assert answer["errors"] == [
        {"field": "contact.email", "message": "Saisissez une adresse de courriel valide."}
    ]


@pytest.mark.parametrize(
    "isil",
    [
        pytest.param("FR-7511310151234567", id="too-long"),
        pytest.param("FR-75113101512345678901", id="longer-than-the-field"),
        pytest.param("FR-75113$015", id="bad-character"),
        pytest.param("FR 751131015", id="no-hyphen"),
        pytest.param("-751131015", id="no-prefix"),
        pytest.param("FRANCE-751131015", id="prefix-too-long"),
        pytest.param("FR-12345", id="french-rcr-too-short"),
        pytest.param("FR-ABCDEFGHI", id="french-rcr-not-a-commune"),
        pytest.param("FR-<script>", id="markup"),
    ],
)
def test_a_malformed_isil_is_refused(client, isil):
    answer = assert_refused(client, valid_body(library={"isil": isil}), {"library.isil"})
    assert error_fields(answer) == {"library.isil"}


@pytest.mark.parametrize("postcode", ["ABCDE", "7500", "750001", "00000"])
def test_a_postcode_that_is_not_french_is_refused(client, postcode):
    assert_refused(client, valid_body(library={"postcode": postcode}), {"library.postcode"})


def test_an_unknown_domain_code_is_refused_and_named_in_the_message(client):
    answer = assert_refused(client, valid_body(domains=["A1", "ZZ9"]), {"domains"})
    assert "ZZ9" in answer["errors"][0]["message"]


@pytest.mark.parametrize(
    "consent",
    [
        pytest.param(False, id="false"),
        pytest.param(None, id="null"),
        pytest.param("yes", id="yes"),
        pytest.param("true", id="string-true"),
        pytest.param("on", id="on"),
        pytest.param(1, id="one"),
    ],
)
def test_consent_must_be_an_explicit_true(client, consent):
    answer = assert_refused(client, valid_body(consent=consent), {"consent"})
    assert error_fields(answer) == {"consent"}


def test_an_unknown_kind_of_help_is_refused(client):
    assert_refused(client, valid_body(kind="consulting"), {"kind"})


def test_an_unknown_kind_of_library_is_refused(client):
    assert_refused(client, valid_body(library={"kind": "castle"}), {"library.kind"})


def test_a_desired_period_ending_before_it_starts_is_refused(client):
    assert_refused(
        client,
        valid_body(desired_start="2099-06-01", desired_end="2099-05-01"),
        {"desired_end"},
    )


def test_a_desired_end_already_past_is_refused(client):
    assert_refused(client, valid_body(desired_end="2001-01-01"), {"desired_end"})


def test_a_malformed_date_is_refused(client):
    assert_refused(client, valid_body(desired_start="demain"), {"desired_start"})


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("title=Koha&consent=on", id="form-encoded"),
        pytest.param("{", id="truncated-json"),
        pytest.param("{'title': 'x'}", id="python-not-json"),
        pytest.param(b"\xff\xfe\x00garbage", id="not-utf8"),
    ],
)
def test_a_body_that_is_not_json_answers_400_in_the_error_shape(client, raw):
    answer = assert_refused(client, raw, {""}, status=400)
    assert answer["detail"] == "Le corps de la requête n'est pas un JSON valide."


@pytest.mark.parametrize(
    ("override", "field"),
    [
        pytest.param({"title": 123}, "title", id="title-number"),
        pytest.param({"description": None}, "description", id="description-null"),
        pytest.param({"domains": "A1"}, "domains", id="domains-string"),
        pytest.param({"domains": [1]}, "domains.0", id="domains-numbers"),
        pytest.param({"library": "x"}, "library", id="library-string"),
        pytest.param({"library": ["Médiathèque"]}, "library", id="library-list"),
        pytest.param({"contact": 42}, "contact", id="contact-number"),
        pytest.param({"consent": "yes"}, "consent", id="consent-string"),
        pytest.param({"kind": ["advice"]}, "kind", id="kind-list"),
        pytest.param({"contact": {"email": 3}}, "contact.email", id="email-number"),
        pytest.param({"library": {"postcode": 86000}}, "library.postcode", id="postcode-number"),
    ],
)
def test_a_wrongly_typed_field_is_named(client, override, field):
    answer = assert_refused(client, valid_body(**override), {field})
    assert error_fields(answer) == {field}


def test_wrongly_typed_fields_are_all_named_at_once(client):
    answer = assert_refused(
        client,
        valid_body(title=123, domains="A1", library="x", consent="yes"),
        {"title", "domains", "library", "consent"},
    )
    assert len(answer["errors"]) == 4


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(json.dumps([VALID_BODY]), id="array"),
        pytest.param("", id="empty"),
        pytest.param("null", id="null"),
        pytest.param("42", id="number"),
        pytest.param('"une demande"', id="string"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(client, raw):
    answer = assert_refused(client, raw, {""}, status=(400, 422))
    assert answer["errors"] == [{"field": "", "message": "Un objet JSON est attendu."}]


def test_several_wrong_fields_are_all_named(client):
    assert_refused(
        client,
        valid_body(
            contact={"email": "pas-une-adresse", "name": " "},
            domains=["ZZ9"],
            kind="nope",
            library={"isil": "FR-1"},
        ),
        {"contact.email", "contact.name", "domains", "kind", "library.isil"},
    )


def test_errors_answer_in_english_when_the_client_asks_for_it(client):
    answer = assert_refused(
        client,
        valid_body(contact={"email": "pas-une-adresse"}),
        {"contact.email"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer["errors"][0]["message"] == "Enter a valid email address."


def test_errors_answer_in_french_by_default(client):
    answer = assert_refused(client, valid_body(title=""), {"title"})
    assert answer["detail"] == "Certains champs ne sont pas valides ; rien n'a été enregistré."
    assert answer["errors"] == [{"field": "title", "message": "Ce champ est obligatoire."}]


def test_a_refused_request_consumes_no_reference_number(client):
    assert_refused(client, valid_body(title=""), {"title"})

    response = post_json(client, valid_body())

    assert response.json()["reference"].endswith("-0001")


@pytest.mark.parametrize(
    ("override", "field"),
    [
        pytest.param({"title": "Koha\x00"}, "title", id="title"),
        pytest.param({"description": "\x00"}, "description", id="description"),
        pytest.param({"library": {"name": "BM\x00"}}, "library.name", id="library-name"),
        pytest.param({"library": {"isil": "FR-\x00"}}, "library.isil", id="isil"),
        pytest.param({"library": {"kind": "bm\x00"}}, "library.kind", id="library-kind"),
        pytest.param({"contact": {"email": "a\x00@b.fr"}}, "contact.email", id="email"),
        pytest.param({"kind": "advice\x00"}, "kind", id="kind"),
        pytest.param({"domains": ["A1\x00"]}, "domains", id="domain"),
    ],
)
def test_a_nul_character_is_refused_before_reaching_the_database(client, override, field):
    """PostgreSQL errors on NUL bytes in text: they must be refused as invalid, not crash."""
    assert_refused(client, valid_body(**override), {field})
