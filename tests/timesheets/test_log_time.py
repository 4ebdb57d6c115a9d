"""The rules of `log_time`: each refusal in words, and nothing saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from g2id.timesheets.models import Activity, CellWork, TimeEntry
from g2id.timesheets.services import log_time
from tests.timesheets.conftest import TODAY, D, intervention_in, join


@pytest.fixture
def membership(cell):
    return join(cell)


@pytest.fixture
def intervention(cell):
    return intervention_in(cell, started=D(2026, 11, 2))


def log(membership, **kwargs):
    kwargs.setdefault("day", D(2026, 11, 24))
    kwargs.setdefault("minutes", 90)
    kwargs.setdefault("activity", Activity.ANALYSIS)
    return log_time(member=membership.person, today=TODAY, **kwargs)


def refusal(membership, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        log(membership, **kwargs)
    assert not TimeEntry.objects.exists()
    return raised.value


def test_time_on_an_intervention_belongs_to_its_cell(membership, intervention):
    entry = log(membership, intervention=intervention, comment="Lecture des journaux")
    assert (entry.cell, entry.intervention, entry.minutes, entry.cell_work) == (
        membership.cell,
        intervention,
        90,
        "",
    )


def test_time_on_cell_work(membership):
    entry = log(membership, cell=membership.cell, cell_work=CellWork.WEEKLY_POINT)
    assert entry.intervention is None
    assert entry.cell_work == CellWork.WEEKLY_POINT


@pytest.mark.parametrize(("minutes", "code"), [(0, "zero"), (-30, "negative")])
def test_zero_and_negative_are_refused(membership, intervention, minutes, code):
    assert refusal(membership, intervention=intervention, minutes=minutes).code == code


def test_more_than_24_hours_in_a_day_across_entries(membership, intervention):
    log(membership, intervention=intervention, minutes=10 * 60)
    log(membership, cell=membership.cell, cell_work=CellWork.STEERING, minutes=12 * 60)
    with pytest.raises(ValidationError) as raised:
        log(membership, intervention=intervention, minutes=2 * 60 + 1)
    assert raised.value.code == "day_over_24h"
    assert "24" in raised.value.messages[0]
    assert TimeEntry.objects.count() == 2
    # Exactly 24 hours is still possible (a night on the road to a session).
    log(membership, intervention=intervention, minutes=2 * 60)


def test_a_day_before_the_intervention_started(membership, intervention):
    error = refusal(membership, intervention=intervention, day=D(2026, 11, 1))
    assert error.code == "before_intervention"


def test_more_than_seven_days_ahead(membership, intervention):
    log(membership, intervention=intervention, day=D(2026, 12, 9))  # 7 days ahead: planned
    TimeEntry.objects.all().delete()
    assert refusal(membership, intervention=intervention, day=D(2026, 12, 10)).code == "far_future"


def test_another_cells_intervention(membership, other_cell):
    foreign = intervention_in(other_cell)
    assert refusal(membership, intervention=foreign).code == "not_in_cell"


def test_a_day_outside_the_membership(cell, intervention):
    late = join(cell, start_date=D(2026, 11, 25))
    assert refusal(late, intervention=intervention, day=D(2026, 11, 24)).code == "not_in_cell"
    ended = join(cell, start_date=D(2026, 1, 5), end_date=D(2026, 11, 20))
    assert refusal(ended, intervention=intervention).code == "not_in_cell"


def test_a_target_is_needed_and_only_one(membership, intervention):
    assert refusal(membership).code == "target"
    assert refusal(membership, cell=membership.cell, cell_work="coffee").code == "target"
    error = refusal(membership, intervention=intervention, cell_work=CellWork.STEERING)
    assert error.code == "target"
    assert refusal(membership, intervention=intervention, activity="napping").code == "activity"
