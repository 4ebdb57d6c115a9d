"""The private tracking page: status, history, conversation, files, withdrawal."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from g2id.requests.models import Message, Party, Status
from g2id.requests.services import post_message


def test_the_tracking_page_shows_status_history_and_conversation(client, filed, member):
    filed.take_into_review(by=member)
    post_message(request=filed, body="Nous regardons vos règles de prêt.", party=Party.TEAM)
    page = client.get(filed.tracking_path).content.decode()
    assert filed.reference in page
    assert "En instruction" in page
    assert "Nous regardons vos règles de prêt." in page


def test_internal_notes_and_team_names_never_reach_the_library(client, filed, member):
    post_message(
        request=filed,
        body="Note interne : bibliothèque déjà aidée en 2025.",
        party=Party.TEAM,
        author=member,
        internal=True,
        files=[SimpleUploadedFile("notes.txt", b"confidentiel")],
    )
    page = client.get(filed.tracking_path).content.decode()
    assert "déjà aidée" not in page
    assert "notes.txt" not in page
    internal_file = filed.attachments.get()
    assert client.get(f"{filed.tracking_path}pieces/{internal_file.pk}/").status_code == 404


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1],
        lambda token: token[:20],
        lambda token: token + "x",
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "x" * 43,
        lambda token: token.upper(),
    ],
)
def test_a_forged_or_truncated_token_is_a_plain_404(client, filed, mangle):
    response = client.get(f"/suivi/{mangle(filed.tracking_token)}/")
    assert response.status_code == 404
    assert filed.reference not in response.content.decode()


def test_tokens_are_long_and_random(filed):
    from tests.factories import file_request

    other = file_request()
    assert len(filed.tracking_token) >= 43  # 32 random bytes in base64url
    assert filed.tracking_token != other.tracking_token


def test_the_library_writes_to_the_team_with_a_file(client, filed):
    upload = SimpleUploadedFile("export.csv", b"titre;auteur\nLe Horla;Maupassant\n")
    response = client.post(
        f"{filed.tracking_path}message/",
        {"body": "Voici l'export demandé.", "attachments": [upload]},
        follow=True,
    )
    assert "Voici l&#x27;export demandé." in response.content.decode()
    message = Message.objects.get()
    assert (message.author_party, message.is_internal) == (Party.LIBRARY, False)
    attachment = message.attachments.get()
    download = client.get(f"{filed.tracking_path}pieces/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"titre;auteur")


def test_an_empty_message_is_refused_in_french(client, filed):
    response = client.post(f"{filed.tracking_path}message/", {"body": "   "})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Message.objects.exists()


def test_a_message_with_a_bad_file_stores_nothing(client, filed):
    response = client.post(
        f"{filed.tracking_path}message/",
        {"body": "Voici", "attachments": [SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 10)]},
    )
    assert response.status_code == 400
    assert not Message.objects.exists()
    assert not filed.attachments.exists()


def test_the_library_answers_a_question_from_its_tracking_page(client, filed, member):
    filed.take_into_review(by=member)
    filed.ask_library(by=member, question="Quelle est votre version ?")
    client.post(f"{filed.tracking_path}message/", {"body": "La 23.11."})
    filed.refresh_from_db()
    assert filed.status == Status.UNDER_REVIEW


def test_the_library_withdraws_its_request_after_confirming(client, filed):
    refused = client.post(f"{filed.tracking_path}retrait/", {"reason": "Plus besoin"})
    assert refused.status_code == 400
    filed.refresh_from_db()
    assert filed.status == Status.SUBMITTED

    client.post(f"{filed.tracking_path}retrait/", {"reason": "Plus besoin", "confirm": "on"})
    filed.refresh_from_db()
    assert filed.status == Status.WITHDRAWN
    page = client.get(filed.tracking_path).content.decode()
    assert "Retirée" in page


def test_a_withdrawn_request_no_longer_takes_messages(client, filed):
    filed.withdraw()
    response = client.post(f"{filed.tracking_path}message/", {"body": "Encore moi"}, follow=True)
    assert not Message.objects.exists()
    assert "conversation est close" in response.content.decode()


def test_withdrawing_twice_says_it_is_not_possible(client, filed):
    filed.withdraw()
    response = client.post(f"{filed.tracking_path}retrait/", {"confirm": "on"}, follow=True)
    assert "ne peut pas" in response.content.decode()
    assert filed.events.count() == 2


def test_the_tracking_page_is_not_indexed_by_search_engines(client, filed):
    assert 'name="robots" content="noindex' in client.get(filed.tracking_path).content.decode()
