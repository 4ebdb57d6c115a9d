"""Secondment statements: the time a home institution's agents gave to the cells.

For a period and each agent, the working time the institution seconded — French working days
of the period within the membership (weekends and public holidays excluded) times the hours
of a working day (G2ID_WORKING_HOURS_PER_DAY) times the seconded share — against the hours logged.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from g2id.accounts.models import User
from g2id.institutions.models import Institution
from g2id.positioning.delay import is_working_day
from g2id.team.models import Cell, Membership
from g2id.timesheets.models import Activity, CellWork, TimeEntry


def last_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last days of the month before `today`'s."""
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def working_days(start: datetime.date, end: datetime.date) -> int:
    """French working days from `start` to `end`, both included."""
    return sum(
        1
        for offset in range((end - start).days + 1)
        if is_working_day(start + datetime.timedelta(days=offset))
    )


def percent(part: int, whole: int) -> Decimal | None:
    """`part` as a percentage of `whole`, to one decimal; None when there is no whole."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Line:
    label: str
    minutes: int


@dataclass
class Window:
    """The part of the period one membership covers."""

    membership: Membership
    start: datetime.date
    end: datetime.date
    working_days: int


@dataclass
class AgentStatement:
    person: User
    windows: list[Window]
    full_time_minutes: int
    seconded_minutes: int
    used_minutes: int = 0
    by_activity: list[Line] = field(default_factory=list)
    by_work: list[Line] = field(default_factory=list)

    @property
    def working_days(self) -> int:
        return sum(window.working_days for window in self.windows)

    @property
    def shares(self) -> list[int]:
        return sorted({window.membership.share_percent for window in self.windows})

    @property
    def used_percent(self) -> Decimal | None:
        """Hours logged as a share of the hours seconded."""
        return percent(self.used_minutes, self.seconded_minutes)

    @property
    def full_time_percent(self) -> Decimal | None:
        """Hours logged as a share of full time, to compare with the seconded share."""
        return percent(self.used_minutes, self.full_time_minutes)


@dataclass
class Statement:
    institution: Institution
    start: datetime.date
    end: datetime.date
    agents: list[AgentStatement]

    @property
    def seconded_minutes(self) -> int:
        return sum(agent.seconded_minutes for agent in self.agents)

    @property
    def used_minutes(self) -> int:
        return sum(agent.used_minutes for agent in self.agents)

    @property
    def used_percent(self) -> Decimal | None:
        return percent(self.used_minutes, self.seconded_minutes)


def secondment_statement(
    institution: Institution,
    start: datetime.date,
    end: datetime.date,
    *,
    cells: QuerySet[Cell] | None = None,
) -> Statement:
    """The statement of `institution`'s agents from `start` to `end` (both included); with
    `cells`, only their memberships of those cells (what a coordinator may see)."""
    memberships = (
        Membership.objects.filter(home_institution=institution, start_date__lte=end)
        .filter(
            Q(end_date__gte=start)
            | Q(end_date__isnull=True, planned_end_date__isnull=True)
            | Q(end_date__isnull=True, planned_end_date__gte=start)
        )
        .select_related("person", "cell")
        .order_by("person__last_name", "person__first_name", "person_id", "start_date")
    )
    if cells is not None:
        memberships = memberships.filter(cell__in=cells)
    minutes_per_day = settings.G2ID_WORKING_HOURS_PER_DAY * 60
    agents: dict[int, AgentStatement] = {}
    for membership in memberships:
        first = max(start, membership.start_date)
        last = min(end, membership.last_day or end)
        window = Window(membership, first, last, working_days(first, last))
        agent = agents.setdefault(
            membership.person_id,
            AgentStatement(membership.person, [], full_time_minutes=0, seconded_minutes=0),
        )
        agent.windows.append(window)
        agent.full_time_minutes += window.working_days * minutes_per_day
        agent.seconded_minutes += _rounded(
            Decimal(window.working_days * minutes_per_day * membership.share_percent) / 100
        )
    _add_time(agents, start, end)
    return Statement(institution, start, end, list(agents.values()))


def _rounded(minutes: Decimal) -> int:
    return int(minutes.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _add_time(agents: dict[int, AgentStatement], start: datetime.date, end: datetime.date) -> None:
    """Add up, in one query, each agent's entries that fall within one of their memberships."""
    if not agents:
        return
    cell_ids = {window.membership.cell_id for agent in agents.values() for window in agent.windows}
    rows = TimeEntry.objects.filter(
        member__in=list(agents), cell__in=cell_ids, date__range=(start, end)
    ).values_list(
        "member_id",
        "cell_id",
        "date",
        "minutes",
        "activity",
        "cell__name",
        "cell_work",
        "intervention__request__reference",
        "intervention__request__title",
    )
    for agent_id, agent in agents.items():
        by_activity: dict[str, int] = defaultdict(int)
        by_work: dict[tuple[int, str], int] = defaultdict(int)
        for member_id, cell_id, day, minutes, activity, cell_name, work, reference, title in rows:
            if member_id != agent_id or not _within(agent.windows, cell_id, day):
                continue
            agent.used_minutes += minutes
            by_activity[activity] += minutes
            if reference:
                by_work[0, f"{reference} — {title}"] += minutes
            else:
                by_work[1, f"{CellWork(work).label} ({cell_name})"] += minutes
        agent.by_activity = [
            Line(str(activity.label), by_activity[activity.value])
            for activity in Activity
            if by_activity.get(activity.value)
        ]
        agent.by_work = [Line(label, by_work[order, label]) for order, label in sorted(by_work)]


def _within(windows: Iterable[Window], cell_id: int, day: datetime.date) -> bool:
    return any(
        window.membership.cell_id == cell_id and window.start <= day <= window.end
        for window in windows
    )


def hours(minutes: int) -> Decimal:
    """Minutes as decimal hours, to two decimals (for spreadsheets)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def csv_rows(statement: Statement) -> list[list[str]]:
    """The statement as spreadsheet rows: one per agent and breakdown line, the agent's totals
    repeated on each so that the rows can be filtered and summed on their own."""
    header = [
        _("Agent"),
        _("Seconded share (%)"),
        _("Working days"),
        _("Seconded hours"),
        _("Hours used"),
        _("Used / seconded (%)"),
        _("Breakdown"),
        _("Item"),
        _("Hours"),
    ]
    rows = [header]
    for agent in statement.agents:
        totals = [
            agent.person.get_full_name() or agent.person.username,
            " / ".join(str(share) for share in agent.shares),
            str(agent.working_days),
            _number(hours(agent.seconded_minutes)),
            _number(hours(agent.used_minutes)),
            _number(agent.used_percent) if agent.used_percent is not None else "",
        ]
        breakdown = [(_("Activity"), line) for line in agent.by_activity] + [
            (_("Intervention or cell work"), line) for line in agent.by_work
        ]
        if not breakdown:
            rows.append([*totals, "", "", ""])
        for kind, line in breakdown:
            rows.append([*totals, kind, line.label, _number(hours(line.minutes))])
    return rows


def _number(value: Decimal) -> str:
    # French spreadsheets read "12,50" as a number, "12.50" as text.
    return str(value).replace(".", ",")
