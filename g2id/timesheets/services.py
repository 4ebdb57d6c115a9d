"""The rules for logging time, one entry at a time or a whole week at once."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from g2id.accounts.models import User
from g2id.team.models import Membership
from g2id.timesheets.durations import format_duration, parse_duration
from g2id.timesheets.models import MINUTES_PER_DAY, Activity, CellWork, TimeEntry

if TYPE_CHECKING:
    from g2id.interventions.models import Intervention
    from g2id.team.models import Cell
    from g2id.timesheets.week import Target

# How far ahead a member may log time (planned travel, a session booked next week).
MAX_DAYS_AHEAD = 7


def log_time(
    *,
    member: User,
    day: datetime.date,
    minutes: int,
    activity: str,
    intervention: Intervention | None = None,
    cell: Cell | None = None,
    cell_work: str = "",
    comment: str = "",
    today: datetime.date | None = None,
) -> TimeEntry:
    """Record `minutes` of `member`'s time on `day`, on an intervention or on the cell's work.

    Refused (ValidationError, nothing saved): a zero or negative duration; more than 24 hours
    on one day for the member, all entries added up; a day more than 7 days ahead or before
    the intervention started; a member who was not in the cell on that day.
    """
    today = today or timezone.localdate()
    if minutes < 0:
        raise ValidationError(_("A duration cannot be negative."), code="negative")
    if minutes == 0:
        raise ValidationError(_("A duration must be more than zero."), code="zero")
    if activity not in Activity.values:
        raise ValidationError(_("Choose an activity."), code="activity")
    if intervention is not None:
        if cell_work:
            raise ValidationError(
                _("Choose an intervention or cell work, not both."), code="target"
            )
        cell = intervention.request.cell
        started = timezone.localdate(intervention.created_at)
        if day < started:
            raise ValidationError(
                _("This intervention started on %(start)s: no time can be logged before.")
                % {"start": _long_date(started)},
                code="before_intervention",
            )
    elif cell is None or cell_work not in CellWork.values:
        raise ValidationError(_("Choose an intervention or a kind of cell work."), code="target")
    if day > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(
            _("%(day)s is more than %(count)s days ahead: log time once it is spent.")
            % {"day": _long_date(day), "count": MAX_DAYS_AHEAD},
            code="far_future",
        )
    if not Membership.objects.active_on(day).filter(person=member, cell=cell).exists():
        raise ValidationError(
            _("On %(day)s, %(member)s was not a member of the cell “%(cell)s”.")
            % {"day": _long_date(day), "member": member, "cell": cell},
            code="not_in_cell",
        )
    with transaction.atomic():
        # One member's entries are added one at a time, so that two at once cannot pass 24 h.
        User.objects.select_for_update().filter(pk=member.pk).first()
        logged = (
            TimeEntry.objects.filter(member=member, date=day).aggregate(total=Sum("minutes"))[
                "total"
            ]
            or 0
        )
        if logged + minutes > MINUTES_PER_DAY:
            raise ValidationError(
                _("That would make %(total)s on %(day)s: more than 24 hours in one day.")
                % {"total": format_duration(logged + minutes), "day": _long_date(day)},
                code="day_over_24h",
            )
        return TimeEntry.objects.create(
            member=member,
            date=day,
            minutes=minutes,
            activity=activity,
            cell=cell,
            intervention=intervention,
            cell_work=cell_work if intervention is None else "",
            comment=comment,
        )


def _long_date(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


# --- The weekly timesheet --------------------------------------------------------------------


@dataclass
class PostedLine:
    """One line of the weekly grid as sent: what it is for, and the seven typed durations."""

    target: str
    activity: str
    values: list[str]


@dataclass
class WeekErrors(Exception):
    """Why a week was not saved: messages per line and per (line, day) cell."""

    lines: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    cells: dict[tuple[int, int], list[str]] = field(default_factory=lambda: defaultdict(list))

    def __bool__(self) -> bool:
        return bool(self.lines or self.cells)

    @property
    def count(self) -> int:
        return sum(map(len, self.lines.values())) + sum(map(len, self.cells.values()))


def save_week(
    *,
    member: User,
    monday: datetime.date,
    lines: list[PostedLine],
    targets: dict[str, Target],
    today: datetime.date | None = None,
) -> int:
    """Save a week of `member`'s timesheet, all or nothing; the number of cells changed.

    Each (line, day) cell holds the member's total for that target, activity and day: a cell
    whose value changed replaces the entries behind it (an empty cell removes them), a cell
    left as it was keeps them and their comments. `targets` are the interventions and cell
    work the member may log time on (see `g2id.timesheets.week.targets_for`). Any refusal
    raises WeekErrors and nothing at all is saved.
    """
    errors = WeekErrors()
    days = [monday + datetime.timedelta(days=offset) for offset in range(7)]
    wanted: dict[tuple[str, str, int], tuple[int, int]] = {}  # cell → (line, minutes)
    seen: set[tuple[str, str]] = set()
    for index, line in enumerate(lines):
        typed = [value.strip() for value in line.values]
        if not line.target and not line.activity and not any(typed):
            continue  # a new line left blank
        if line.target not in targets:
            errors.lines[index].append(
                _("Choose an intervention or cell work for this line.")
                if not line.target
                else _("Unknown intervention or cell work.")
            )
        if line.activity not in Activity.values:
            errors.lines[index].append(_("Choose an activity for this line."))
        if (line.target, line.activity) in seen:
            errors.lines[index].append(_("This line appears twice: put its time on the first one."))
        seen.add((line.target, line.activity))
        for day_index, value in enumerate(typed):
            minutes = 0
            if value:
                try:
                    minutes = parse_duration(value)
                except ValidationError as refusal:
                    errors.cells[index, day_index].extend(refusal.messages)
                    continue
            wanted[line.target, line.activity, day_index] = (index, minutes)
    if errors:
        raise errors

    saved: dict[tuple[str, str, int], list[TimeEntry]] = defaultdict(list)
    for entry in TimeEntry.objects.filter(member=member, date__range=(days[0], days[-1])):
        saved[target_key(entry), entry.activity, (entry.date - monday).days].append(entry)
    changed = [
        cell
        for cell, (_line, minutes) in wanted.items()
        if minutes != sum(entry.minutes for entry in saved.get(cell, []))
    ]
    with transaction.atomic():
        TimeEntry.objects.filter(
            pk__in=[entry.pk for cell in changed for entry in saved.get(cell, [])]
        ).delete()
        for cell in changed:
            key, activity, day_index = cell
            index, minutes = wanted[cell]
            if not minutes:
                continue
            target = targets[key]
            try:
                log_time(
                    member=member,
                    day=days[day_index],
                    minutes=minutes,
                    activity=activity,
                    intervention=target.intervention,
                    cell=target.cell,
                    cell_work=target.cell_work,
                    today=today,
                )
            except ValidationError as refusal:
                errors.cells[index, day_index].extend(refusal.messages)
        if errors:
            raise errors  # rolls the whole week back
    return len(changed)


def target_key(entry: TimeEntry) -> str:
    """The grid's name for what an entry was for: "i42" (intervention), "c3-steering" (cell)."""
    if entry.intervention_id is not None:
        return f"i{entry.intervention_id}"
    return f"c{entry.cell_id}-{entry.cell_work}"
