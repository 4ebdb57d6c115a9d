"""When people and cells are busy: events expanded into occurrences, busy periods, weeks.

Repeating events are expanded on Paris wall-clock time, so the weekly point at 10:00 stays
at 10:00 when France changes to or from summer time (as calendar clients do with the RRULE
of the feeds).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dateutil import rrule
from django.db.models import Q
from django.utils import timezone

from g2id.agenda.models import Event

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from g2id.accounts.models import User
    from g2id.team.models import Cell

# How each kind of repetition maps onto an iCalendar rule: (FREQ, INTERVAL).
RULES: dict[str, tuple[str, int]] = {
    Event.Recurrence.WEEKLY: ("WEEKLY", 1),
    Event.Recurrence.FORTNIGHTLY: ("WEEKLY", 2),
    Event.Recurrence.MONTHLY: ("MONTHLY", 1),
}
FREQUENCIES = {"WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY}

# The half-days of the public busy/free view, in local time.
MORNING = (datetime.time(8), datetime.time(12))
AFTERNOON = (datetime.time(12), datetime.time(18))
WORKING_DAYS = 5


@dataclass(frozen=True)
class BusyPeriod:
    """A span of time when someone is busy, without saying why."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of an event, with its own start and end (aware, local time)."""

    event: Event
    starts_at: datetime.datetime
    ends_at: datetime.datetime


@dataclass(frozen=True)
class HalfDays:
    """Whether a day's morning and afternoon are busy."""

    day: datetime.date
    morning_busy: bool
    afternoon_busy: bool


@dataclass(frozen=True)
class Week:
    """The working days of one week, from Monday."""

    monday: datetime.date
    days: list[HalfDays]


def local_zone() -> ZoneInfo:
    return timezone.get_default_timezone()


def day_bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """From the start of `start` to the end of `end` (both days included), in local time."""
    zone = local_zone()
    return (
        datetime.datetime.combine(start, datetime.time(), tzinfo=zone),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone),
    )


def until_moment(event: Event) -> datetime.datetime | None:
    """The last moment a repeating event may start: the end of its last day, local time."""
    if event.recurrence_until is None:
        return None
    return datetime.datetime.combine(
        event.recurrence_until, datetime.time(23, 59, 59), tzinfo=local_zone()
    )


def occurrences(
    events: Iterable[Event], start: datetime.date, end: datetime.date
) -> list[Occurrence]:
    """Every occurrence of these events that overlaps the days from `start` to `end`."""
    window_start, window_end = day_bounds(start, end)
    found: list[Occurrence] = []
    for event in events:
        found.extend(_expand(event, window_start, window_end))
    found.sort(key=lambda occurrence: (occurrence.starts_at, occurrence.event.pk or 0))
    return found


def _expand(
    event: Event, window_start: datetime.datetime, window_end: datetime.datetime
) -> list[Occurrence]:
    zone = local_zone()
    first_start = timezone.localtime(event.starts_at, zone)
    first_end = timezone.localtime(event.ends_at, zone)
    if event.recurrence not in RULES:
        if first_start < window_end and first_end > window_start:
            return [Occurrence(event, first_start, first_end)]
        return []
    # Expand on naive wall-clock times, then place each one in Paris time: a 10:00 meeting
    # stays at 10:00 across the change to summer time, as RFC 5545 says for a TZID start.
    wall_start = first_start.replace(tzinfo=None)
    length = first_end.replace(tzinfo=None) - wall_start
    frequency, interval = RULES[event.recurrence]
    until = until_moment(event)
    rule = rrule.rrule(
        FREQUENCIES[frequency],
        interval=interval,
        dtstart=wall_start,
        until=until.replace(tzinfo=None) if until else None,
    )
    earliest = (window_start.astimezone(zone) - length).replace(tzinfo=None)
    latest = window_end.astimezone(zone).replace(tzinfo=None)
    found = []
    for wall in rule.between(earliest, latest, inc=True):
        starts_at = _aware(wall, zone)
        ends_at = _aware(wall + length, zone)
        if starts_at < window_end and ends_at > window_start:
            found.append(Occurrence(event, starts_at, ends_at))
    return found


def _aware(wall: datetime.datetime, zone: ZoneInfo) -> datetime.datetime:
    # A wall time that does not exist (inside the spring gap) is moved forward by the gap,
    # as calendar clients do; round-tripping through UTC normalises it.
    return wall.replace(tzinfo=zone).astimezone(datetime.UTC).astimezone(zone)


def events_of(
    *,
    person: User | None = None,
    cell: Cell | None = None,
    start: datetime.date,
    end: datetime.date,
) -> list[Event]:
    """The events (one query) that may occur between the two days for a person or a cell.

    A person's events include those of the cells they are a member of during those days.
    """
    if (person is None) == (cell is None):
        raise TypeError("Give either a person or a cell.")
    window_start, window_end = day_bounds(start, end)
    events = Event.objects.overlapping(window_start, window_end)
    if person is not None:
        events = events.of_person(person, start=start, end=end)
    else:
        events = events.filter(cell=cell)
    return list(events)


def busy_periods(
    *,
    person: User | None = None,
    cell: Cell | None = None,
    start: datetime.date,
    end: datetime.date,
) -> list[BusyPeriod]:
    """When the person or the cell is busy from `start` to `end` (days included), merged."""
    found = occurrences(events_of(person=person, cell=cell, start=start, end=end), start, end)
    return merge([BusyPeriod(o.starts_at, o.ends_at) for o in found])


def merge(periods: Iterable[BusyPeriod]) -> list[BusyPeriod]:
    """Overlapping or touching periods merged into one, in order."""
    merged: list[BusyPeriod] = []
    for period in sorted(periods, key=lambda p: p.starts_at):
        if merged and period.starts_at <= merged[-1].ends_at:
            last = merged[-1]
            merged[-1] = BusyPeriod(last.starts_at, max(last.ends_at, period.ends_at))
        else:
            merged.append(period)
    return merged


def busy_free_weeks(*, person: User, today: datetime.date, weeks: int = 4) -> list[Week]:
    """The person's working days, week by week from this Monday: morning and afternoon busy?"""
    monday = today - datetime.timedelta(days=today.weekday())
    last_day = monday + datetime.timedelta(weeks=weeks, days=-1)
    return _weeks(busy_periods(person=person, start=monday, end=last_day), monday, weeks)


def busy_free_weeks_of(
    people: Sequence[User], *, today: datetime.date, weeks: int = 4
) -> dict[int, list[Week]]:
    """busy_free_weeks() of each person, by id, in two queries whatever their number."""
    from g2id.team.models import Membership

    monday = today - datetime.timedelta(days=today.weekday())
    last_day = monday + datetime.timedelta(weeks=weeks, days=-1)
    ids = [person.pk for person in people]
    if not ids:
        return {}
    # The cells each person serves during those days (as EventQuerySet.of_person reads them).
    cells_of: dict[int, set[int]] = {pk: set() for pk in ids}
    serving = (
        Membership.objects.filter(person_id__in=ids)
        .serving_between(monday, last_day)
        .values_list("person_id", "cell_id")
    )
    for person_id, cell_id in serving:
        cells_of[person_id].add(cell_id)
    every_cell = set().union(*cells_of.values())
    window_start, window_end = day_bounds(monday, last_day)
    events = Event.objects.overlapping(window_start, window_end).filter(
        Q(person_id__in=ids) | Q(cell_id__in=every_cell)
    )
    found = occurrences(list(events), monday, last_day)
    return {
        pk: _weeks(
            merge(
                BusyPeriod(o.starts_at, o.ends_at)
                for o in found
                if o.event.person_id == pk or o.event.cell_id in cells_of[pk]
            ),
            monday,
            weeks,
        )
        for pk in ids
    }


def _weeks(periods: list[BusyPeriod], monday: datetime.date, weeks: int) -> list[Week]:
    zone = local_zone()

    def busy(day: datetime.date, half: tuple[datetime.time, datetime.time]) -> bool:
        starts = datetime.datetime.combine(day, half[0], tzinfo=zone)
        ends = datetime.datetime.combine(day, half[1], tzinfo=zone)
        return any(p.starts_at < ends and p.ends_at > starts for p in periods)

    result = []
    for number in range(weeks):
        first = monday + datetime.timedelta(weeks=number)
        days = [first + datetime.timedelta(days=offset) for offset in range(WORKING_DAYS)]
        result.append(
            Week(
                monday=first,
                days=[HalfDays(day, busy(day, MORNING), busy(day, AFTERNOON)) for day in days],
            )
        )
    return result
