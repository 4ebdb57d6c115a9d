"""Expanding events into occurrences, busy periods and the week-by-week busy/free view."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2id.agenda.models import Event
from g2id.agenda.schedule import (
    BusyPeriod,
    busy_free_weeks,
    busy_free_weeks_of,
    busy_periods,
    merge,
    occurrences,
)
from g2id.team.models import Membership
from tests.agenda.conftest import make_event, paris, weekly_point
from tests.factories import CellFactory, MembershipFactory, national_cell

D = datetime.date


def starts(found) -> list[datetime.datetime]:
    return [occurrence.starts_at for occurrence in found]


def test_the_weekly_point_stays_at_ten_across_the_change_to_summer_time(db):
    point = weekly_point()
    found = occurrences([point], D(2026, 3, 16), D(2026, 4, 12))
    assert [(o.starts_at.hour, o.starts_at.minute) for o in found] == [(10, 0)] * 4
    assert [o.starts_at.utcoffset() for o in found] == [
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=2),  # 29 March 2026: summer time
        datetime.timedelta(hours=2),
    ]
    assert all(o.ends_at - o.starts_at == datetime.timedelta(minutes=30) for o in found)


def test_the_weekly_point_stays_at_ten_across_the_change_to_winter_time(db):
    point = weekly_point(starts_at=paris(2026, 10, 20, 10), ends_at=paris(2026, 10, 20, 10, 30))
    found = occurrences([point], D(2026, 10, 19), D(2026, 11, 1))
    assert starts(found) == [paris(2026, 10, 20, 10), paris(2026, 10, 27, 10)]
    assert found[1].starts_at.utcoffset() == datetime.timedelta(hours=1)


def test_repetitions_stop_after_the_last_day_included(db):
    point = weekly_point(recurrence_until=D(2026, 3, 31))
    found = occurrences([point], D(2026, 3, 1), D(2026, 5, 1))
    assert starts(found) == [paris(2026, 3, 17, 10), paris(2026, 3, 24, 10), paris(2026, 3, 31, 10)]


def test_an_open_ended_repetition_goes_on(db):
    found = occurrences([weekly_point()], D(2027, 1, 1), D(2027, 1, 10))
    assert starts(found) == [paris(2027, 1, 5, 10)]


def test_fortnightly_and_monthly_repetitions(db):
    fortnightly = weekly_point(recurrence=Event.Recurrence.FORTNIGHTLY)
    steering = weekly_point(
        title="Comité de pilotage",
        starts_at=paris(2026, 3, 5, 14),
        ends_at=paris(2026, 3, 5, 16),
        recurrence=Event.Recurrence.MONTHLY,
    )
    assert starts(occurrences([fortnightly], D(2026, 3, 16), D(2026, 4, 30))) == [
        paris(2026, 3, 17, 10),
        paris(2026, 3, 31, 10),
        paris(2026, 4, 14, 10),
        paris(2026, 4, 28, 10),
    ]
    assert starts(occurrences([steering], D(2026, 3, 1), D(2026, 6, 1))) == [
        paris(2026, 3, 5, 14),
        paris(2026, 4, 5, 14),
        paris(2026, 5, 5, 14),
    ]


def test_an_occurrence_that_began_before_the_range_is_included(member):
    absence = make_event(
        person=member,
        kind=Event.Kind.ABSENCE,
        starts_at=paris(2026, 3, 10, 8),
        ends_at=paris(2026, 3, 20, 18),
    )
    found = occurrences([absence], D(2026, 3, 16), D(2026, 3, 16))
    assert starts(found) == [paris(2026, 3, 10, 8)]
    assert occurrences([absence], D(2026, 3, 21), D(2026, 3, 31)) == []


def test_busy_periods_merge_overlapping_and_touching_events(member):
    make_event(person=member, starts_at=paris(2026, 3, 18, 9), ends_at=paris(2026, 3, 18, 11))
    make_event(person=member, starts_at=paris(2026, 3, 18, 10), ends_at=paris(2026, 3, 18, 12))
    make_event(person=member, starts_at=paris(2026, 3, 18, 12), ends_at=paris(2026, 3, 18, 13))
    make_event(person=member, starts_at=paris(2026, 3, 18, 15), ends_at=paris(2026, 3, 18, 16))
    assert busy_periods(person=member, start=D(2026, 3, 18), end=D(2026, 3, 18)) == [
        BusyPeriod(paris(2026, 3, 18, 9), paris(2026, 3, 18, 13)),
        BusyPeriod(paris(2026, 3, 18, 15), paris(2026, 3, 18, 16)),
    ]


def test_merge_keeps_a_period_contained_in_another():
    big = BusyPeriod(paris(2026, 3, 18, 8), paris(2026, 3, 18, 18))
    small = BusyPeriod(paris(2026, 3, 18, 9), paris(2026, 3, 18, 10))
    assert merge([small, big]) == [big]


def test_a_members_busy_periods_include_their_cells_events_but_not_other_cells(member, multimedia):
    weekly_point()
    weekly_point(cell=multimedia, starts_at=paris(2026, 3, 19, 14), ends_at=paris(2026, 3, 19, 15))
    make_event(person=member, starts_at=paris(2026, 3, 20, 9), ends_at=paris(2026, 3, 20, 10))
    assert busy_periods(person=member, start=D(2026, 3, 16), end=D(2026, 3, 22)) == [
        BusyPeriod(paris(2026, 3, 17, 10), paris(2026, 3, 17, 10, 30)),
        BusyPeriod(paris(2026, 3, 20, 9), paris(2026, 3, 20, 10)),
    ]


def test_a_cells_busy_periods_are_its_own_events_only(member):
    weekly_point()
    make_event(person=member)
    assert busy_periods(cell=national_cell(), start=D(2026, 3, 16), end=D(2026, 3, 22)) == [
        BusyPeriod(paris(2026, 3, 17, 10), paris(2026, 3, 17, 10, 30))
    ]


def test_a_former_member_no_longer_gets_the_cells_events(db):
    former = MembershipFactory(
        start_date=D(2020, 1, 1), end_date=D(2025, 12, 31), role=Membership.Role.MEMBER
    ).person
    weekly_point()
    assert busy_periods(person=former, start=D(2026, 3, 16), end=D(2026, 3, 22)) == []


def test_busy_periods_say_when_and_nothing_else(member):
    make_event(person=member)
    [period] = busy_periods(person=member, start=D(2026, 3, 16), end=D(2026, 3, 22))
    assert [field.name for field in dataclasses.fields(period)] == ["starts_at", "ends_at"]
    assert "Koha" not in repr(period)


def test_busy_periods_need_a_person_or_a_cell(member):
    with pytest.raises(TypeError):
        busy_periods(start=D(2026, 3, 16), end=D(2026, 3, 22))
    with pytest.raises(TypeError):
        busy_periods(person=member, cell=national_cell(), start=D(2026, 3, 16), end=D(2026, 3, 22))


@pytest.mark.parametrize("count", [1, 30])
def test_busy_periods_take_one_query_whatever_the_number_of_events(member, count):
    for day in range(count):
        start = paris(2026, 3, 16, 9) + datetime.timedelta(days=day)
        make_event(person=member, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    weekly_point()
    with CaptureQueriesContext(connection) as queries:
        periods = busy_periods(person=member, start=D(2026, 3, 16), end=D(2026, 5, 1))
    assert len(queries) == 1
    assert len(periods) >= count


def test_the_busy_free_weeks_show_mornings_and_afternoons_from_this_monday(member):
    weekly_point()  # Tuesday mornings
    make_event(person=member, starts_at=paris(2026, 3, 19, 14), ends_at=paris(2026, 3, 19, 17))
    make_event(
        person=member,
        kind=Event.Kind.ABSENCE,
        starts_at=paris(2026, 3, 30, 0),
        ends_at=paris(2026, 4, 4, 0),
    )
    weeks = busy_free_weeks(person=member, today=D(2026, 3, 18), weeks=3)
    assert [week.monday for week in weeks] == [D(2026, 3, 16), D(2026, 3, 23), D(2026, 3, 30)]
    first = {half.day: (half.morning_busy, half.afternoon_busy) for half in weeks[0].days}
    assert first == {
        D(2026, 3, 16): (False, False),
        D(2026, 3, 17): (True, False),
        D(2026, 3, 18): (False, False),
        D(2026, 3, 19): (False, True),
        D(2026, 3, 20): (False, False),
    }
    assert all(half.morning_busy and half.afternoon_busy for half in weeks[2].days)


def test_the_weeks_of_several_people_are_each_one_s_weeks_in_two_queries(member):
    weekly_point()  # the national cell's: the member's, not the other one's
    make_event(person=member, starts_at=paris(2026, 3, 19, 14), ends_at=paris(2026, 3, 19, 17))
    other = MembershipFactory(cell=CellFactory()).person
    make_event(person=other, starts_at=paris(2026, 3, 24, 9), ends_at=paris(2026, 3, 24, 11))
    people = [member, other] + [MembershipFactory().person for _ in range(28)]
    with CaptureQueriesContext(connection) as queries:
        together = busy_free_weeks_of(people, today=D(2026, 3, 18), weeks=3)
    assert len(queries) == 2
    assert together == {
        person.pk: busy_free_weeks(person=person, today=D(2026, 3, 18), weeks=3)
        for person in people
    }
