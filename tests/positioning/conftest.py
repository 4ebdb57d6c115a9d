from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from g2id.directory.models import Partner
from g2id.team.models import Cell, Membership
from tests.factories import CellFactory, UserFactory, file_request, member_of


@pytest.fixture
def cell(db) -> Cell:
    """A cell of five: a coordinator and four members, in office since before the dates the
    tests travel to (October 2026) and since a month ago."""
    cell = CellFactory(name="Cellule SIGB", slug="cellule-sigb", contact_email="sigb@g2id.fr")
    since = min(datetime.date(2026, 10, 1), timezone.localdate() - datetime.timedelta(days=30))
    member_of(
        cell,
        person=UserFactory(username="coord"),
        role=Membership.Role.COORDINATOR,
        start_date=since,
    )
    for name in ("anne", "bruno", "chloe", "denis"):
        member_of(cell, person=UserFactory(username=name), start_date=since)
    return cell


def person(username: str):
    return UserFactory(username=username)


@pytest.fixture
def under_review(cell):
    """A request of the cell, taken into review by its coordinator."""
    filed = file_request(cell=cell)
    filed.take_into_review(by=person("coord"))
    return filed


def partners(*codes: str) -> list[Partner]:
    """National partners seeded from the shared data, by code."""
    return list(Partner.objects.filter(code__in=codes, region=""))
