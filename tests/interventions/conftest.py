from __future__ import annotations

import datetime

import pytest

from g2id.interventions import services
from g2id.interventions.models import Intervention, Session
from g2id.positioning.models import Outcome, Stance
from g2id.positioning.services import decide, give_opinion
from g2id.realisations.models import Deliverable
from g2id.team.models import Cell, Membership
from tests.factories import CellFactory, UserFactory, file_request, member_of


@pytest.fixture
def cell(db) -> Cell:
    """A cell of five: a coordinator and four members."""
    cell = CellFactory(name="Cellule SIGB", slug="cellule-sigb", contact_email="sigb@g2id.fr")
    member_of(
        cell,
        person=UserFactory(username="coord", email="coord@g2id.fr"),
        role=Membership.Role.COORDINATOR,
    )
    for name in ("anne", "bruno", "chloe", "denis"):
        member_of(cell, person=UserFactory(username=name, email=f"{name}@g2id.fr"))
    return cell


def person(username: str):
    from g2id.accounts.models import User

    return User.objects.get(username=username)


def accepted_intervention(cell: Cell, **request_fields) -> Intervention:
    """A request of the cell accepted with anne as lead and bruno as contributor."""
    filed = file_request(cell=cell, **request_fields)
    filed.take_into_review(by=person("coord"))
    give_opinion(filed, by=person("anne"), stance=Stance.TAKE, role="lead")
    give_opinion(filed, by=person("bruno"), stance=Stance.TAKE, role="contributor")
    give_opinion(filed, by=person("chloe"), stance=Stance.ABSTAIN)
    decide(filed, outcome=Outcome.ACCEPTED, by=person("coord"), rationale="Nous le faisons.")
    return Intervention.objects.select_related("request__cell").get(request=filed)


@pytest.fixture
def intervention(cell) -> Intervention:
    return accepted_intervention(cell)


def add_deliverable(intervention: Intervention) -> Deliverable:
    return Deliverable.objects.create(
        intervention=intervention, title="Script de relances", type="script", licence="MIT"
    )


def in_progress(intervention: Intervention) -> Intervention:
    services.plan(intervention, by=person("anne"))
    services.start(intervention, by=person("anne"))
    return intervention


def delivered(intervention: Intervention) -> Intervention:
    in_progress(intervention)
    services.deliver(intervention, by=person("anne"), reason="Conseils donnés en séance.")
    return intervention


def session_on(intervention: Intervention, day: datetime.date, **fields) -> Session:
    values = {
        "start_time": datetime.time(9, 30),
        "end_time": datetime.time(12, 0),
        "location": "https://visio.example.fr/koha",
    }
    values.update(fields)
    return services.save_session(
        Session(intervention=intervention, date=day, **values), by=person("anne")
    )
