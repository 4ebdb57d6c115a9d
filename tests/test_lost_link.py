"""“Lost my link”: the links go to the address, and the page never says whether it is known."""

from __future__ import annotations

from django.core import mail

from tests.conftest import run_tasks
from tests.factories import file_request


def test_the_links_of_an_address_are_sent_to_it(client):
    first = file_request(email="agnes@mediatheque.example.fr")
    second = file_request(email="agnes@mediatheque.example.fr", title="Import Sudoc")
    file_request(email="quelquun@ailleurs.example.fr")
    run_tasks()
    mail.outbox.clear()

    client.post("/suivi/lien-perdu/", {"email": "Agnes@Mediatheque.example.fr"})
    run_tasks()

    (sent,) = mail.outbox
    assert sent.to == ["agnes@mediatheque.example.fr"]
    assert first.tracking_url in sent.body and second.tracking_url in sent.body
    assert "ailleurs" not in sent.body


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(client):
    file_request(email="connue@mediatheque.example.fr")
    known = client.post("/suivi/lien-perdu/", {"email": "connue@mediatheque.example.fr"})
    unknown = client.post("/suivi/lien-perdu/", {"email": "inconnue@mediatheque.example.fr"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    run_tasks()
    assert all("inconnue" not in ",".join(m.to) for m in mail.outbox)


def test_a_malformed_address_gets_a_french_error(client):
    response = client.post("/suivi/lien-perdu/", {"email": "nimportequoi"})
    assert "Saisissez une adresse de courriel valide." in response.content.decode()
