from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from g2id.directory.models import Partner
from g2id.team.models import Cell
from tests.factories import UserFactory, cell_of_five, under_review


@pytest.fixture
def cell(db) -> Cell:
    """A cell of five: a coordinator and four members, in office since before the dates the
    tests travel to (October 2026) and since a month ago."""
    return cell_of_five(
        since=min(datetime.date(2026, 10, 1), timezone.localdate() - datetime.timedelta(days=30))
    )


def person(username: str):
    return UserFactory(username=username)


@pytest.fixture(name="under_review")
def under_review_fixture(cell):
    """A request of the cell, taken into review by its coordinator."""
    return under_review(cell)


def partners(*codes: str) -> list[Partner]:
    """National partners seeded from the shared data, by code."""
    return list(Partner.objects.filter(code__in=codes, region=""))
