from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from g2id.interventions.models import Intervention
from g2id.team.models import Cell, Membership
from tests.factories import CellFactory, InstitutionFactory, MembershipFactory, file_request

D = datetime.date
# Wednesday 2 December 2026: "last month" is November, whose 11th is a public holiday.
TODAY = D(2026, 12, 2)
SEPTEMBER = D(2026, 9, 1)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 2, 10, 0), tick=False)


def join(cell: Cell, **kwargs) -> Membership:
    kwargs.setdefault("start_date", D(2026, 1, 5))
    kwargs.setdefault("planned_end_date", D(2028, 12, 31))
    kwargs.setdefault("share_percent", 50)
    return MembershipFactory(cell=cell, **kwargs)


def intervention_in(cell: Cell, *, started: datetime.date = SEPTEMBER, **kwargs) -> Intervention:
    """An intervention of `cell` opened on `started` (created directly: these tests are about
    time, not about how a request gets accepted)."""
    request = file_request(**kwargs)
    if request.cell != cell:
        request.cell = cell
        request.save(update_fields=["cell"])
    created = timezone.make_aware(datetime.datetime.combine(started, datetime.time(9)))
    return Intervention.objects.create(request=request, created_at=created)


@pytest.fixture
def cell() -> Cell:
    return CellFactory(name="Cellule nationale du temps", slug="temps")


@pytest.fixture
def other_cell() -> Cell:
    return CellFactory(name="Cellule multimédia", slug="multimedia")


@pytest.fixture
def home():
    return InstitutionFactory(name="Bibliothèque départementale de la Drôme", city="Valence")
