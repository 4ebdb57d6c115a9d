"""The weekly timesheet grid: its week, the lines a member may fill, and what they hold."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from g2id.accounts.models import User
from g2id.interventions.models import Intervention
from g2id.team.models import Cell, Membership
from g2id.timesheets.durations import format_duration, parse_duration
from g2id.timesheets.models import Activity, CellWork, TimeEntry
from g2id.timesheets.services import PostedLine, WeekErrors, target_key

# Blank lines offered under the week's lines, for time on something new this week.
NEW_LINES = 3


def monday_of(text: str | None, today: datetime.date) -> datetime.date:
    """The Monday of an ISO week written "2026-W48"; this week's when absent or malformed."""
    if text:
        year, _sep, week = text.upper().partition("-W")
        if year.isdigit() and week.isdigit():
            try:
                return datetime.date.fromisocalendar(int(year), int(week), 1)
            except ValueError:
                pass
    return today - datetime.timedelta(days=today.weekday())


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Target:
    """Something time goes to: an intervention, or one kind of work for a cell."""

    key: str
    label: str
    short_label: str
    cell: Cell
    intervention: Intervention | None = None
    cell_work: str = ""


def _intervention_target(intervention: Intervention) -> Target:
    request = intervention.request
    return Target(
        key=f"i{intervention.pk}",
        label=f"{request.reference} — {request.title}",
        short_label=request.reference,
        cell=request.cell,
        intervention=intervention,
    )


def _cell_work_target(cell: Cell, kind: str) -> Target:
    label = f"{CellWork(kind).label} ({cell.name})"
    return Target(key=f"c{cell.pk}-{kind}", label=label, short_label=label, cell=cell,
                  cell_work=kind)  # fmt: skip


def targets_for(member: User, monday: datetime.date) -> dict[str, Target]:
    """What `member` may log time on this week: the cell work of the cells they belonged to
    during the week, and those cells' interventions already started by its end."""
    sunday = monday + datetime.timedelta(days=6)
    memberships = Membership.objects.filter(person=member, start_date__lte=sunday).filter(
        Q(end_date__gte=monday)
        | Q(end_date__isnull=True, planned_end_date__isnull=True)
        | Q(end_date__isnull=True, planned_end_date__gte=monday)
    )
    cells = list(Cell.objects.filter(memberships__in=memberships).distinct())
    after_week = timezone.make_aware(
        datetime.datetime.combine(sunday + datetime.timedelta(days=1), datetime.time())
    )
    interventions = (
        Intervention.objects.filter(request__cell__in=cells, created_at__lt=after_week)
        .select_related("request__cell")
        .order_by("request__reference")
    )
    targets = [_intervention_target(intervention) for intervention in interventions]
    targets += [_cell_work_target(cell, kind) for cell in cells for kind in CellWork.values]
    return {target.key: target for target in targets}


@dataclass
class GridCell:
    day: datetime.date
    name: str
    value: str
    label: str
    errors: list[str] = field(default_factory=list)


@dataclass
class GridLine:
    index: int
    target: str
    activity: str
    label: str
    is_new: bool
    new_number: int
    cells: list[GridCell]
    errors: list[str] = field(default_factory=list)

    @property
    def activity_label(self) -> str:
        return str(Activity(self.activity).label) if self.activity in Activity.values else ""


@dataclass
class Grid:
    monday: datetime.date
    days: list[datetime.date]
    lines: list[GridLine]
    day_totals: list[str]
    week_total: str
    error_count: int = 0


def day_label(day: datetime.date) -> str:
    return capfirst(date_format(day, "l j F"))


def saved_lines(member: User, monday: datetime.date) -> list[PostedLine]:
    """The week's entries as grid lines (one per target and activity), then blank lines."""
    days = [monday + datetime.timedelta(days=offset) for offset in range(7)]
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * 7)
    for entry in TimeEntry.objects.filter(member=member, date__range=(days[0], days[-1])):
        totals[target_key(entry), entry.activity][(entry.date - monday).days] += entry.minutes
    lines = [
        PostedLine(key, activity, [format_duration(m) if m else "" for m in minutes])
        for (key, activity), minutes in totals.items()
    ]
    return lines + [PostedLine("", "", [""] * 7) for _line in range(NEW_LINES)]


def saved_targets(member: User, monday: datetime.date) -> dict[str, Target]:
    """The targets of the member's entries this week, even those no longer open to them."""
    sunday = monday + datetime.timedelta(days=6)
    entries = TimeEntry.objects.filter(member=member, date__range=(monday, sunday)).select_related(
        "cell", "intervention__request__cell"
    )
    targets: dict[str, Target] = {}
    for entry in entries:
        if entry.intervention is not None:
            targets[target_key(entry)] = _intervention_target(entry.intervention)
        else:
            targets[target_key(entry)] = _cell_work_target(entry.cell, entry.cell_work)
    return targets


def build_grid(
    monday: datetime.date,
    lines: list[PostedLine],
    targets: dict[str, Target],
    errors: WeekErrors | None = None,
) -> Grid:
    """The grid to show: `lines` as saved or as typed, with the errors on their cells."""
    days = [monday + datetime.timedelta(days=offset) for offset in range(7)]
    labels = [day_label(day) for day in days]
    day_minutes = [0] * 7
    grid_lines = []
    new_count = 0
    for index, line in enumerate(lines):
        target = targets.get(line.target)
        is_new = target is None
        if is_new:
            new_count += 1
            name = _("new line %(number)s") % {"number": new_count}
            label = ""
        else:
            assert target is not None
            activity = Activity(line.activity).label if line.activity in Activity.values else ""
            name = f"{activity}, {target.short_label}"
            label = target.label
        cells = []
        for day_index, value in enumerate(line.values):
            cells.append(
                GridCell(
                    day=days[day_index],
                    name=f"l{index}-d{day_index}",
                    value=value,
                    label=f"{labels[day_index]}, {name}",
                    errors=list(errors.cells.get((index, day_index), [])) if errors else [],
                )
            )
            day_minutes[day_index] += _minutes_or_zero(value)
        grid_lines.append(
            GridLine(
                index=index,
                target=line.target,
                activity=line.activity,
                label=label,
                is_new=is_new,
                new_number=new_count if is_new else 0,
                cells=cells,
                errors=list(errors.lines.get(index, [])) if errors else [],
            )
        )
    return Grid(
        monday=monday,
        days=days,
        lines=grid_lines,
        day_totals=[format_duration(minutes) if minutes else "" for minutes in day_minutes],
        week_total=format_duration(sum(day_minutes)) if any(day_minutes) else "",
        error_count=errors.count if errors else 0,
    )


def _minutes_or_zero(value: str) -> int:
    if not value.strip():
        return 0
    try:
        return parse_duration(value)
    except ValidationError:
        return 0
