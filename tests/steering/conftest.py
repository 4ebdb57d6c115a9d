from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from g2id.accounts.models import User
from g2id.steering import services
from g2id.steering.models import Meeting
from g2id.team.models import Cell, Membership
from tests.factories import CellFactory, MembershipFactory, UserFactory

PARIS = ZoneInfo("Europe/Paris")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def person(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def cell(db) -> Cell:
    """A cell of five since 2025: a coordinator, four members; Denis's term ends in June 2026."""
    cell = CellFactory(name="Cellule SIGB", slug="cellule-sigb")
    start = datetime.date(2025, 1, 6)
    MembershipFactory(
        cell=cell,
        person=UserFactory(username="coord", first_name="Mathilde", last_name="Lefebvre"),
        role=Membership.Role.COORDINATOR,
        start_date=start,
    )
    for name, last in (("anne", "Aubert"), ("bruno", "Bernard"), ("chloe", "Carpentier")):
        MembershipFactory(
            cell=cell,
            person=UserFactory(username=name, first_name=name.title(), last_name=last),
            start_date=start,
        )
    MembershipFactory(
        cell=cell,
        person=UserFactory(username="denis", first_name="Denis", last_name="Durand"),
        start_date=start,
        planned_end_date=datetime.date(2026, 6, 30),
    )
    return cell


def plan(cell: Cell, day: datetime.date, **fields) -> Meeting:
    """The coordinator plans the meeting of `day`, 14:00 to 16:00."""
    return services.schedule_meeting(
        cell=cell,
        starts_at=at(day.year, day.month, day.day, 14),
        ends_at=at(day.year, day.month, day.day, 16),
        by=person("coord"),
        **fields,
    )
