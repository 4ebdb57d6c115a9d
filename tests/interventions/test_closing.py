"""The survey answered once, the 30-day auto-close, the impact check six months later."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from g2id.interventions import services
from g2id.interventions.models import SURVEY_DAYS, ImpactCheck, Survey
from g2id.requests.models import Party, Status
from tests.interventions.conftest import delivered, person

ANSWERS = {
    "score": "4",
    "what_worked": "La formation en binôme.",
    "what_did_not": "",
    "would_recommend": "True",
    "saved_estimate": "Deux jours par mois",
    "consent_case_study": "on",
    "anonymise": "on",
}


def status_of(intervention) -> str:
    intervention.request.refresh_from_db()
    return intervention.request.status


def test_the_library_answers_the_survey_once(client, intervention):
    delivered(intervention)
    url = f"/en/enquete/{intervention.survey.token}/"
    page = client.get(url)
    assert page.status_code == 200 and b"Satisfaction survey" in page.content

    response = client.post(url, ANSWERS)
    assert response.status_code == 200
    survey = Survey.objects.get()
    assert survey.score == 4 and survey.would_recommend is True
    assert survey.consent_case_study and survey.anonymise and survey.answered_at
    assert status_of(intervention) == Status.CLOSED
    closing = intervention.request.events.last()
    assert closing.actor_party == Party.LIBRARY

    again = client.post(url, {**ANSWERS, "score": "1"})
    assert again.status_code == 410
    assert b"You have already answered" in again.content
    survey.refresh_from_db()
    assert survey.score == 4
    assert client.get(url).status_code == 410


def test_an_invalid_answer_saves_nothing(client, intervention):
    delivered(intervention)
    response = client.post(f"/en/enquete/{intervention.survey.token}/", {**ANSWERS, "score": "9"})
    assert response.status_code == 400
    assert Survey.objects.get().answered_at is None
    assert status_of(intervention) == Status.DELIVERED


def test_an_expired_survey_refuses_answers(client, intervention):
    delivered(intervention)
    url = f"/en/enquete/{intervention.survey.token}/"
    with time_machine.travel(timezone.now() + datetime.timedelta(days=SURVEY_DAYS, hours=1)):
        response = client.post(url, ANSWERS)
    assert response.status_code == 410
    assert b"This link expired on" in response.content
    assert Survey.objects.get().answered_at is None


def test_a_wrong_or_unknown_token_is_a_plain_404(client, intervention):
    delivered(intervention)
    token = intervention.survey.token
    assert client.get(f"/enquete/{token[:-1]}x/").status_code == 404
    assert client.get("/enquete/court/").status_code == 404
    assert client.get(f"/enquete/impact/{token}/").status_code == 404


def test_unanswered_interventions_close_themselves_after_30_days(intervention, cell):
    from tests.interventions.conftest import accepted_intervention

    delivered(intervention)
    answered = delivered(accepted_intervention(cell, title="Un autre besoin"))
    services.answer_survey(answered.survey, answers={"score": 5, "would_recommend": True})
    sent = intervention.survey.sent_at

    assert services.close_unanswered(sent + datetime.timedelta(days=29)) == 0
    assert status_of(intervention) == Status.DELIVERED

    later = sent + datetime.timedelta(days=30, minutes=1)
    with time_machine.travel(later, tick=False):
        call_command("interventions_daily", stdout=io.StringIO())
    assert status_of(intervention) == Status.CLOSED
    event = intervention.request.events.last()
    assert event.actor_party == Party.SYSTEM and event.actor_user is None
    assert "30" in event.reason
    intervention.refresh_from_db()
    assert intervention.closed_at == later
    assert services.close_unanswered(later) == 0  # once


def test_the_impact_check_goes_out_once_six_months_after_closing(client, intervention):
    delivered(intervention)
    services.close(intervention, by=person("anne"))
    closed_at = Survey.objects.get().intervention.request.events.last().created_at

    assert services.send_impact_checks(closed_at + datetime.timedelta(days=100)) == 0
    six_months = closed_at + datetime.timedelta(days=183)
    assert services.send_impact_checks(six_months) == 1
    assert services.send_impact_checks(six_months + datetime.timedelta(days=1)) == 0
    check = ImpactCheck.objects.get()

    url = f"/en/enquete/impact/{check.token}/"
    with time_machine.travel(six_months + datetime.timedelta(days=2)):
        assert client.get(url).status_code == 200
        response = client.post(url, {"still_in_use": "True", "what_changed": "Moins de relances."})
        assert response.status_code == 200
        again = client.post(url, {"still_in_use": "False", "what_changed": "Rien."})
    assert again.status_code == 410
    check.refresh_from_db()
    assert check.still_in_use is True and check.what_changed == "Moins de relances."
    assert intervention.impact_check == check


def test_the_survey_cannot_be_answered_twice_through_the_service(intervention):
    delivered(intervention)
    services.answer_survey(intervention.survey, answers={"score": 3, "would_recommend": False})
    with pytest.raises(services.LinkClosed):
        services.answer_survey(intervention.survey, answers={"score": 5, "would_recommend": True})
