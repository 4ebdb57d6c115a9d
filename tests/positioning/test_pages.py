"""The positioning pages: the members' section of the request page, the invited expert's
private page, the library's answer on a referral; permissions and bad input."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from g2id.positioning.models import Decision, Invitation, Opinion, Outcome, Referral
from g2id.positioning.services import decide, invite_expert, send_invitation_reminders
from tests.conftest import run_tasks
from tests.factories import file_request, member_of
from tests.positioning.conftest import partners, person


def opinion_url(filed) -> str:
    return f"/espace/demandes/{filed.reference}/avis/"


def test_a_member_gives_an_opinion_from_the_request_page(client, under_review):
    client.force_login(person("anne"))

    response = client.post(
        opinion_url(under_review),
        {"opinion-stance": "take", "opinion-role": "lead", "opinion-comment": "Je connais Koha."},
    )

    assert response.status_code == 302
    opinion = Opinion.objects.get(request=under_review, author=person("anne"))
    assert (opinion.stance, opinion.role) == ("take", "lead")
    page = client.get(under_review.get_absolute_url()).content.decode()
    assert "Je connais Koha." in page
    assert "Modifier mon avis" in page


def test_a_refused_opinion_shows_the_reason_on_its_field_and_saves_nothing(client, under_review):
    client.force_login(person("anne"))

    response = client.post(opinion_url(under_review), {"opinion-stance": "refer"})

    assert response.status_code == 400
    assert "Indiquez au moins une structure" in response.content.decode()
    assert not Opinion.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"opinion-stance": "vote"},
        {"opinion-stance": "take", "opinion-role": "chef"},
        {"opinion-stance": "refer", "opinion-partners": ["abc", "-1"]},
        {"opinion-stance": "abstain", "opinion-comment": "x" * 5000},
    ],
)
def test_malformed_opinions_are_refused_without_error(client, under_review, data):
    client.force_login(person("anne"))

    response = client.post(opinion_url(under_review), data)

    assert response.status_code == 400
    assert not Opinion.objects.exists()


def test_a_member_of_another_cell_cannot_see_or_give_opinions(client, under_review):
    client.force_login(member_of())  # a member of the national cell only

    assert client.get(under_review.get_absolute_url()).status_code == 404
    response = client.post(opinion_url(under_review), {"opinion-stance": "abstain"})

    assert response.status_code == 404
    assert not Opinion.objects.exists()


def test_only_a_coordinator_records_the_decision(client, under_review):
    client.force_login(person("anne"))

    response = client.post(
        f"/espace/demandes/{under_review.reference}/decision/",
        {"decision-outcome": "declined", "decision-rationale": "Non."},
    )

    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_a_decision_without_rationale_is_refused_with_a_field_error(client, under_review):
    client.force_login(person("coord"))

    response = client.post(
        f"/espace/demandes/{under_review.reference}/decision/",
        {"decision-outcome": "declined", "decision-override_reason": "Évident."},
    )

    assert response.status_code == 400
    assert 'id="id_decision-rationale_error"' in response.content.decode()
    assert not Decision.objects.exists()


def test_the_coordinator_decides_before_the_quorum_with_a_reason(client, under_review):
    client.force_login(person("coord"))

    response = client.post(
        f"/espace/demandes/{under_review.reference}/decision/",
        {
            "decision-outcome": "declined",
            "decision-rationale": "La demande relève du prestataire du SIGB.",
            "decision-override_reason": "Réponse évidente, inutile d'attendre.",
        },
    )

    assert response.status_code == 302
    decision = Decision.objects.get()
    assert not decision.quorum_reached
    team_page = client.get(under_review.get_absolute_url()).content.decode()
    assert "Réponse évidente, inutile d&#x27;attendre." in team_page
    library_page = client.get(under_review.tracking_path).content.decode()
    assert "La demande relève du prestataire du SIGB." in library_page
    assert "Réponse évidente" not in library_page


def referred(under_review) -> Referral:
    decision = decide(
        under_review,
        outcome=Outcome.REFERRED,
        by=person("coord"),
        rationale="Le RCR est attribué par l'Abes.",
        override_reason="Évident.",
        partners=partners("abes", "bnf-abn"),
        message="Écrivez au guichet de l'Abes.",
    )
    return decision.referral


def test_the_library_reads_the_referral_and_says_it_helped(client, under_review):
    referral = referred(under_review)

    page = client.get(under_review.tracking_path).content.decode()
    assert "Écrivez au guichet de l&#x27;Abes." in page
    assert "https://abes.fr" in page

    response = client.post(
        f"{under_review.tracking_path}reorientation/{referral.pk}/",
        {"helpful": "yes", "comment": "Réponse en deux jours."},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.helpful is True
    history = client.get(under_review.tracking_path).content.decode()
    assert "La bibliothèque indique que cette réorientation l'a aidée." in history


def test_a_referral_answer_needs_a_valid_token_and_a_yes_or_no(client, under_review):
    referral = referred(under_review)
    other = file_request(title="Autre demande")

    wrong_request = client.post(
        f"{other.tracking_path}reorientation/{referral.pk}/", {"helpful": "yes"}
    )
    no_answer = client.post(f"{under_review.tracking_path}reorientation/{referral.pk}/", {})

    assert wrong_request.status_code == 404
    assert no_answer.status_code == 302
    referral.refresh_from_db()
    assert referral.feedback_at is None


def test_referral_counts_per_partner(client, under_review):
    referral = referred(under_review)
    Referral.objects.filter(pk=referral.pk).update(helpful=False, feedback_at=timezone.now())
    client.force_login(person("anne"))

    page = client.get("/espace/reorientations/").content.decode()

    assert "Abes — Agence bibliographique" in page
    assert "BnF — Agence bibliographique nationale" in page


def test_an_invited_expert_reads_the_request_and_gives_an_opinion(client, under_review):
    invitation = invite_expert(
        under_review, by=person("anne"), email="expert@bm-exemple.fr", name="Sam Expert"
    )
    run_tasks()
    [sent] = [m for m in mail.outbox if m.to == ["expert@bm-exemple.fr"]]
    assert invitation.url in sent.body

    page = client.get(f"/avis/{invitation.token}/")
    assert page.status_code == 200
    assert under_review.description in page.content.decode()

    response = client.post(
        f"/avis/{invitation.token}/",
        {"stance": "refer", "comment": "Voyez l'Abes.", "partners": [partners("abes")[0].pk]},
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get(invitation=invitation)
    assert opinion.author is None
    team_page = client.get(under_review.get_absolute_url())
    assert team_page.status_code == 302  # the expert has no account: the team page stays closed
    client.force_login(person("coord"))
    assert "Voyez l&#x27;Abes." in client.get(under_review.get_absolute_url()).content.decode()


def test_an_invited_opinion_does_not_count_in_the_quorum(under_review):
    from g2id.positioning.services import give_invited_opinion, positioning_of

    invitation = invite_expert(under_review, by=person("anne"), email="expert@bm-exemple.fr")
    give_invited_opinion(invitation, stance="take", comment="Faisable.")

    assert positioning_of(under_review).quorum.given == 0


@pytest.mark.parametrize("email", ["pas-une-adresse", "a@b", "", "x" * 300 + "@exemple.fr"])
def test_an_invitation_to_a_malformed_address_is_refused(client, under_review, email):
    client.force_login(person("anne"))

    response = client.post(
        f"/espace/demandes/{under_review.reference}/invitations/", {"invitation-email": email}
    )

    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_a_revoked_or_expired_invitation_no_longer_opens(client, under_review):
    revoked = invite_expert(under_review, by=person("anne"), email="un@exemple.fr")
    expired = invite_expert(under_review, by=person("anne"), email="deux@exemple.fr")
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(person("bruno"))
    client.post(f"/espace/demandes/{under_review.reference}/invitations/{revoked.pk}/retrait/")
    client.logout()

    for invitation in (revoked, expired):
        page = client.get(f"/avis/{invitation.token}/")
        assert "a expiré ou a été retirée" in page.content.decode()
        posted = client.post(f"/avis/{invitation.token}/", {"stance": "take", "comment": "Oui"})
        assert posted.status_code == 410
    assert not Opinion.objects.exists()
    assert client.get("/avis/not-a-token/").status_code == 404
    assert client.get(f"/avis/{revoked.token[:-1]}x/").status_code == 404


def test_an_invited_expert_is_reminded_once(under_review):
    invite_expert(under_review, by=person("anne"), email="expert@bm-exemple.fr")
    run_tasks()
    mail.outbox.clear()

    in_eight_days = timezone.now() + datetime.timedelta(days=8)
    with time_machine.travel(in_eight_days, tick=False):
        assert send_invitation_reminders() == 1
        assert send_invitation_reminders() == 0
        run_tasks()

    [reminder] = mail.outbox
    assert reminder.to == ["expert@bm-exemple.fr"]
    assert "unique rappel" in reminder.body


def test_the_decision_closes_pending_invitations(under_review):
    invitation = invite_expert(under_review, by=person("anne"), email="expert@bm-exemple.fr")
    decide(
        under_review,
        outcome=Outcome.DECLINED,
        by=person("coord"),
        rationale="Hors champ.",
        override_reason="Évident.",
    )
    invitation.refresh_from_db()
    assert not invitation.is_usable()


def test_the_request_page_query_count_does_not_grow_with_opinions(
    client, under_review, rendered_every_time
):
    from g2id.positioning.services import give_opinion

    client.force_login(person("coord"))
    give_opinion(under_review, by=person("anne"), stance="refer", partners=partners("abes"))
    invite_expert(under_review, by=person("anne"), email="expert@exemple.fr")
    with CaptureQueriesContext(connection) as few:
        assert client.get(under_review.get_absolute_url()).status_code == 200
    for name in ("bruno", "chloe", "denis"):
        give_opinion(under_review, by=person(name), stance="refer", partners=partners("abes"))
    for number in range(6):
        invite_expert(under_review, by=person("anne"), email=f"expert{number}@exemple.fr")
    with CaptureQueriesContext(connection) as many:
        page = client.get(under_review.get_absolute_url()).content.decode()

    assert page.count("expert") >= 7  # every invitation is listed
    assert len(many) == len(few) <= 60
