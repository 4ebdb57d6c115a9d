"""GET /api/v1/track/{token}: what the library may see of its request, nothing more."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from g2id.lib.private_links import new_token
from g2id.requests.models import Party
from g2id.requests.services import post_message
from tests.api.support import assert_error_shape, post_json, valid_body

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def track(client, token: str, **headers: str):
    return client.get(f"/api/v1/track/{token}", **headers)


def test_a_request_just_filed_through_the_api_can_be_followed_with_its_token(client):
    filed = post_json(client, valid_body()).json()

    response = track(client, filed["token"])

    assert response.status_code == 200
    body = response.json()
    assert {"reference", "status", "status_label", "history", "messages"} <= set(body)
    assert body["reference"] == filed["reference"]
    assert (body["status"], body["status_label"]) == ("submitted", "Reçue")
    assert [event["status"] for event in body["history"]] == ["submitted"]
    assert body["messages"] == []


def test_tracking_shows_the_status_history_and_messages_in_order(client, filed, member):
    filed.take_into_review(by=member)
    post_message(request=filed, body="Nous regardons vos règles de prêt.", party=Party.TEAM)
    filed.ask_library(by=member, question="Quelle version de Koha utilisez-vous ?")
    post_message(request=filed, body="Koha 23.11.", party=Party.LIBRARY)

    body = track(client, filed.tracking_token).json()

    assert body["status"] == "under_review"  # the library's answer resumed the review
    assert body["status_label"] == "En instruction"
    assert [(e["from_status"], e["status"]) for e in body["history"]] == [
        (None, "submitted"),
        ("submitted", "under_review"),
        ("under_review", "needs_info"),
        ("needs_info", "under_review"),
    ]
    assert [e["status_label"] for e in body["history"]] == [
        "Reçue",
        "En instruction",
        "Complément demandé",
        "En instruction",
    ]
    assert body["history"][2]["reason"] == "Quelle version de Koha utilisez-vous ?"
    assert [e["by"] for e in body["history"]] == ["library", "team", "team", "library"]
    assert [(m["author"], m["body"]) for m in body["messages"]] == [
        ("team", "Nous regardons vos règles de prêt."),
        ("team", "Quelle version de Koha utilisez-vous ?"),
        ("library", "Koha 23.11."),
    ]


def test_internal_notes_and_team_member_names_never_reach_the_library(client, filed, member):
    filed.take_into_review(by=member)
    post_message(
        request=filed,
        body="Note interne : bibliothèque déjà aidée en 2025.",
        party=Party.TEAM,
        author=member,
        internal=True,
        files=[SimpleUploadedFile("notes-internes.txt", b"confidentiel")],
    )
    post_message(request=filed, body="Bonjour, nous regardons.", party=Party.TEAM, author=member)

    response = track(client, filed.tracking_token)

    content = response.content.decode()
    assert response.status_code == 200
    assert "déjà aidée" not in content
    assert "notes-internes.txt" not in content
    for name in ("Claire", "Dubois", "claire", member.email):
        assert name not in content
    assert [m["body"] for m in response.json()["messages"]] == ["Bonjour, nous regardons."]
    assert all(m["author"] in {"library", "team"} for m in response.json()["messages"])


def test_message_attachments_are_listed_with_name_size_and_type(client, filed):
    post_message(
        request=filed,
        body="Voici le relevé.",
        party=Party.LIBRARY,
        files=[SimpleUploadedFile("releve.pdf", PDF, content_type="application/pdf")],
    )

    message = track(client, filed.tracking_token).json()["messages"][0]

    assert message["attachments"] == [
        {"name": "releve.pdf", "size": len(PDF), "content_type": "application/pdf"}
    ]


def test_the_status_label_follows_the_callers_language(client, filed):
    body = track(client, filed.tracking_token, HTTP_ACCEPT_LANGUAGE="en").json()

    assert (body["status"], body["status_label"]) == ("submitted", "Received")


def test_markup_is_returned_as_plain_json_data(client):
    filed = post_json(client, valid_body(title="<script>alert(1)</script>")).json()

    response = track(client, filed["token"])

    assert response["Content-Type"].startswith("application/json")
    assert response.json()["title"] == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda token: token[:-1], id="one-character-short"),
        pytest.param(lambda token: token[:20], id="truncated"),
        pytest.param(lambda token: token[:12], id="selector-only"),
        pytest.param(lambda token: token + "x", id="one-character-more"),
        pytest.param(lambda token: token + "A" * 500, id="far-too-long"),
        pytest.param(lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"), id="forged"),
        pytest.param(lambda token: token[:12] + "x" * (len(token) - 12), id="right-selector"),
        pytest.param(lambda token: token.upper(), id="upper-case"),
        pytest.param(lambda token: "x" * 43, id="made-up"),
        pytest.param(lambda token: new_token(), id="unknown"),
        pytest.param(lambda token: "%00" + token, id="nul-byte"),
        pytest.param(lambda token: token + "%2F..%2F", id="encoded-slashes"),
    ],
)
def test_a_forged_truncated_or_unknown_token_answers_a_json_404(client, filed, mangle):
    response = track(client, mangle(filed.tracking_token))

    body = assert_error_shape(response, 404)
    assert body["errors"] == []
    assert filed.reference not in response.content.decode()


def test_no_token_at_all_answers_a_json_404(client):
    assert_error_shape(client.get("/api/v1/track/"), 404)


def test_a_transfer_between_cells_appears_in_the_history_as_a_transfer(client):
    from g2id.team.models import Membership
    from tests.factories import CellFactory, file_request, member_of

    filed = file_request()
    coordinator = member_of(role=Membership.Role.COORDINATOR)
    filed.transfer(to=CellFactory(name="Multimédia"), by=coordinator, reason="Vidéo")
    history = client.get(f"/api/v1/track/{filed.tracking_token}").json()["history"]
    assert [event["kind"] for event in history] == ["status", "transfer"]
    assert history[-1]["status"] == "submitted"
    assert history[-1]["reason"] == ""
