"""A member added by a coordinator chooses a password from the login page."""

from __future__ import annotations

import re

from django.core import mail

from tests.conftest import run_tasks
from tests.factories import member_of


def test_a_member_chooses_a_password_through_the_queued_reset_mail(client):
    person = member_of()
    person.set_unusable_password()
    person.save()
    assert "mot-de-passe-oublie" in client.get("/connexion/").content.decode()

    response = client.post("/connexion/mot-de-passe-oublie/", {"email": person.email})
    assert response.status_code == 302
    assert mail.outbox == []  # queued, sent by the worker
    run_tasks()
    (sent,) = mail.outbox
    link = re.search(r"http://testserver(/connexion/nouveau-mot-de-passe/\S+/)", sent.body)
    assert link is not None

    form = client.get(link.group(1), follow=True)
    new_password = "un-mot-de-passe-tres-solide-2026"
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    person.refresh_from_db()
    assert person.check_password(new_password)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post("/connexion/mot-de-passe-oublie/", {"email": "personne@nulle.part"})
    assert response.status_code == 302
    run_tasks()
    assert mail.outbox == []
