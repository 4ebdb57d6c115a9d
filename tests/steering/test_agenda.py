"""The draft agenda built from a fixed dataset, time frozen."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import translation

from g2id.interventions import services as interventions
from g2id.interventions.models import Intervention, Survey
from g2id.positioning.models import Outcome, Referral, Stance
from g2id.positioning.services import decide, give_opinion, record_referral_feedback
from g2id.steering import services
from g2id.steering.agenda import build_agenda
from g2id.steering.models import Source, SteeringDecision
from g2id.timesheets.models import TimeEntry
from tests.factories import PartnerFactory, file_request
from tests.steering.conftest import at, person, plan


def _dataset(cell) -> None:
    """February 2026: four requests in, one accepted (and its survey), one declined before the
    quorum, one referred (judged unhelpful), one still waiting past its deadline; 2 h 30 logged."""
    with time_machine.travel(at(2026, 2, 2, 9), tick=False):
        accepted = file_request(cell=cell, title="Relances Koha en double")
        accepted.take_into_review(by=person("coord"))
    with time_machine.travel(at(2026, 2, 3, 9), tick=False):
        declined = file_request(cell=cell, title="Migrer tout le SIGB")
        declined.take_into_review(by=person("coord"))
    with time_machine.travel(at(2026, 2, 5, 11), tick=False):
        for name in ("anne", "bruno", "chloe"):
            give_opinion(accepted, by=person(name), stance=Stance.TAKE, role="contributor")
        decide(accepted, outcome=Outcome.ACCEPTED, by=person("coord"), rationale="Nous le faisons.")
    with time_machine.travel(at(2026, 2, 6, 11), tick=False):
        give_opinion(declined, by=person("anne"), stance=Stance.DECLINE)
        decide(
            declined,
            outcome=Outcome.DECLINED,
            by=person("coord"),
            rationale="Personne ne connaît ce SIGB.",
            override_reason="La bibliothèque doit choisir avant vendredi.",
        )
    with time_machine.travel(at(2026, 2, 10, 9), tick=False):
        referred = file_request(cell=cell, title="Obtenir un code ISIL")
        referred.take_into_review(by=person("coord"))
    with time_machine.travel(at(2026, 2, 12, 11), tick=False):
        for name in ("anne", "bruno", "chloe"):
            give_opinion(referred, by=person(name), stance=Stance.ABSTAIN)
        decide(
            referred,
            outcome=Outcome.REFERRED,
            by=person("coord"),
            rationale="Ce n'est pas notre rôle.",
            partners=[PartnerFactory(name="Abes")],
            message="Écrivez à l'Abes.",
        )
    with time_machine.travel(at(2026, 2, 20, 15), tick=False):
        record_referral_feedback(
            Referral.objects.get(request=referred), helpful=False, comment="Personne n'a répondu."
        )
    with time_machine.travel(at(2026, 2, 16, 9), tick=False):
        waiting = file_request(cell=cell, title="Moissonner le catalogue")
        waiting.take_into_review(by=person("coord"))
    intervention = Intervention.objects.get(request=accepted)
    Survey.objects.create(
        intervention=intervention,
        expires_at=at(2026, 3, 20),
        score=4,
        answered_at=at(2026, 2, 25),
    )
    for day, minutes in ((datetime.date(2026, 2, 9), 90), (datetime.date(2026, 2, 23), 60)):
        TimeEntry.objects.create(
            member=person("anne"), date=day, minutes=minutes, activity="meeting", cell=cell,
            cell_work="steering",
        )  # fmt: skip
    TimeEntry.objects.create(
        member=person("anne"), date=datetime.date(2026, 3, 2), minutes=45, activity="meeting",
        cell=cell, cell_work="steering",
    )  # fmt: skip
    assert interventions  # the intervention exists through the accepted decision


def test_the_draft_agenda_of_march_reviews_february(cell) -> None:
    _dataset(cell)
    with time_machine.travel(at(2026, 3, 3, 10), tick=False), translation.override("en"):
        meeting = plan(cell, datetime.date(2026, 3, 10))
        items = build_agenda(meeting)

    by_source = {item.source: item for item in items}
    assert [item.source for item in items] == [
        Source.PENDING,
        Source.OVERRIDES,
        Source.FIGURES,
        Source.TRAINING,
        Source.REFERRALS,
        Source.ROTATION,
    ]
    pending = by_source[Source.PENDING].body
    assert "Moissonner le catalogue" in pending and "1 working day late" in pending
    overrides = by_source[Source.OVERRIDES].body
    assert "Migrer tout le SIGB" in overrides
    assert "with 1 opinion(s) of 5" in overrides
    assert "La bibliothèque doit choisir avant vendredi." in overrides
    figures = by_source[Source.FIGURES]
    assert figures.title == "Figures of February 2026"
    assert figures.body.splitlines() == [
        "- Requests received: 4",
        "- Decisions: Accepted 1, Referred 1, Not taken on 1",
        "- Positioning delay (median): 3.0 working days over 3 decisions",
        "- Satisfaction: 4.0 / 5 over 1 surveys",
        "- Hours logged: 2 h 30",
    ]
    assert "Personne ne connaît ce SIGB." in by_source[Source.TRAINING].body
    referrals = by_source[Source.REFERRALS].body
    assert "Obtenir un code ISIL (Abes): Personne n'a répondu." in referrals
    rotation = by_source[Source.ROTATION].body
    assert "Denis Durand: term ends on" in rotation and "The cell is recruiting." in rotation


def test_the_stored_agenda_keeps_hand_added_items_when_rebuilt(cell) -> None:
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        meeting = plan(cell, datetime.date(2026, 3, 10))
        generated = list(meeting.items.values_list("source", flat=True))
        assert generated == [Source.FIGURES, Source.ROTATION]
        services.add_item(meeting, title="Budget des déplacements", body="", by=person("coord"))
        services.rebuild_agenda(meeting, by=person("coord"))
    assert list(meeting.items.values_list("title", flat=True))[-1] == "Budget des déplacements"
    assert meeting.items.count() == 3
    assert meeting.event is not None and meeting.event.cell == cell


def test_open_decisions_come_back_until_closed(cell) -> None:
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        march = plan(cell, datetime.date(2026, 3, 10))
        decision = services.record_decision(
            march,
            text="Rédiger la fiche de recrutement",
            owner=person("anne"),
            due_date=datetime.date(2026, 4, 1),
            by=person("coord"),
        )
    with time_machine.travel(at(2026, 4, 7, 10), tick=False):
        april = plan(cell, datetime.date(2026, 4, 14))
        carried = april.items.filter(source=Source.CARRIED_OVER)
        assert [item.decision for item in carried] == [decision]
        assert "Rédiger la fiche de recrutement" in carried.get().title
        services.set_decision_status(decision, done=True, by=person("coord"))
    with time_machine.travel(at(2026, 5, 5, 10), tick=False):
        may = plan(cell, datetime.date(2026, 5, 12))
    assert not may.items.filter(source=Source.CARRIED_OVER).exists()
    assert SteeringDecision.objects.get().status == SteeringDecision.Status.DONE


def test_next_month_is_prepared_a_week_ahead_on_the_usual_day(cell) -> None:
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        # The second Tuesday of March.
        services.schedule_meeting(
            cell=cell, starts_at=at(2026, 3, 10, 14), ends_at=at(2026, 3, 10, 16), location="Visio",
            by=person("coord"),
        )  # fmt: skip
    with time_machine.travel(at(2026, 4, 1, 7), tick=False):
        assert services.prepare_next_meetings() == 0  # the 14th is more than a week away
    with time_machine.travel(at(2026, 4, 7, 7), tick=False):
        assert services.prepare_next_meetings() == 1
        assert services.prepare_next_meetings() == 0
    april = cell.steering_meetings.get(month=datetime.date(2026, 4, 1))
    assert april.starts_at == at(2026, 4, 14, 14) and april.ends_at == at(2026, 4, 14, 16)
    assert april.location == "Visio" and april.created_by is None
    assert april.items.exists()
