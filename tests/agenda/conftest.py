"""The agenda's personas and a fixed clock: Monday 16 March 2026, two weeks before summer time."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine

from g2id.agenda.models import Event
from g2id.team.models import Membership
from tests.factories import CellFactory, UserFactory, member_of, national_cell

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 3, 16, 9, 0, tzinfo=PARIS)


def paris(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def coordinator(db):
    """The coordinator of the national cell."""
    return member_of(
        person=UserFactory(username="coord", first_name="Hélène", last_name="Martin"),
        role=Membership.Role.COORDINATOR,
    )


@pytest.fixture
def colleague(db):
    """Another member of the national cell."""
    return member_of(person=UserFactory(username="yann", first_name="Yann", last_name="Le Goff"))


@pytest.fixture
def multimedia(db):
    return CellFactory(name="Multimédia Occitanie", slug="multimedia", region="76")


@pytest.fixture
def other_coordinator(multimedia):
    """The coordinator of another cell."""
    return member_of(
        multimedia,
        person=UserFactory(username="coord2", first_name="Inès", last_name="Roux"),
        role=Membership.Role.COORDINATOR,
    )


def make_event(**fields) -> Event:
    values = {
        "kind": Event.Kind.ON_SITE,
        "title": "Formation Koha à Rodez",
        "location": "Médiathèque de Rodez, salle 2",
        "notes": "Apporter les exports MARC",
        "starts_at": paris(2026, 3, 18, 9, 30),
        "ends_at": paris(2026, 3, 18, 12, 0),
    }
    values.update(fields)
    return Event.objects.create(**values)


def weekly_point(**fields) -> Event:
    """The national cell's weekly point: Tuesdays 10:00 to 10:30."""
    values = {
        "cell": national_cell(),
        "kind": Event.Kind.MEETING,
        "title": "Point hebdomadaire",
        "location": "https://visio.example.org/g2id",
        "notes": "Ordre du jour partagé",
        "starts_at": paris(2026, 3, 17, 10, 0),
        "ends_at": paris(2026, 3, 17, 10, 30),
        "recurrence": Event.Recurrence.WEEKLY,
    }
    values.update(fields)
    return Event.objects.create(**values)
