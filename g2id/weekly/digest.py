"""The weekly digest of a cell: what happened in the seven days before the point, what waits.

Every section is read with one query whatever the data (the approach of the daily opinion
digest, g2id/positioning/digest.py): about ten queries for the whole digest.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation

from g2id.accounts.models import User
from g2id.interventions.models import Intervention, Session
from g2id.positioning.delay import TimeLeft, time_left_of
from g2id.positioning.models import Decision, Opinion, Recusal
from g2id.realisations.models import DeliverableVersion
from g2id.requests.models import Request, Status
from g2id.team import governance
from g2id.team.models import Cell, Membership
from g2id.timesheets.models import TimeEntry
from g2id.timesheets.week import iso_week

PERIOD = datetime.timedelta(days=7)
# Upcoming sessions listed per intervention.
SESSIONS_PER_INTERVENTION = 3
# Statuses whose positioning delay runs (at risk or late is only meaningful there).
CLOCK_STATUSES = [Status.SUBMITTED, Status.UNDER_REVIEW]
INTERVENTION_STATUSES = [Status.PLANNED, Status.IN_PROGRESS]


@dataclass(frozen=True)
class AwaitingOpinions:
    request: Request
    time_left: TimeLeft
    missing: list[User]


@dataclass(frozen=True)
class Delay:
    request: Request
    time_left: TimeLeft


@dataclass(frozen=True)
class InterventionRow:
    intervention: Intervention
    next_sessions: list[Session]


@dataclass(frozen=True)
class MemberHours:
    name: str
    minutes: int


@dataclass(frozen=True)
class WeeklyDigest:
    cell: Cell
    week: str
    since: datetime.datetime
    until: datetime.datetime
    new_requests: list[Request]
    awaiting: list[AwaitingOpinions]
    delays: list[Delay]
    decisions: list[Decision]
    interventions: list[InterventionRow]
    shipped: list[DeliverableVersion]
    hours: list[MemberHours]
    ending_soon: list[Membership]

    @property
    def total_minutes(self) -> int:
        return sum(row.minutes for row in self.hours)


def build_weekly_digest(cell: Cell, *, now: datetime.datetime) -> WeeklyDigest:
    """The digest of `cell` at `now`: the seven days before it, and the state at that moment."""
    since = now - PERIOD
    today = timezone.localdate(now)
    members = list(
        Membership.objects.active_on(today)
        .filter(cell=cell)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person__username")
    )
    awaiting, delays = _positioning(cell, members, today)
    return WeeklyDigest(
        cell=cell,
        week=iso_week(today),
        since=since,
        until=now,
        new_requests=list(
            Request.objects.filter(cell=cell, submitted_at__gte=since, submitted_at__lt=now)
            .select_related("institution")
            .order_by("submitted_at", "pk")
        ),
        awaiting=awaiting,
        delays=delays,
        decisions=list(
            Decision.objects.filter(request__cell=cell, decided_at__gte=since, decided_at__lt=now)
            .select_related("request", "decided_by")
            .order_by("decided_at", "pk")
        ),
        interventions=_interventions(cell, now),
        shipped=list(
            DeliverableVersion.objects.filter(
                deliverable__intervention__request__cell=cell,
                created_at__gte=since,
                created_at__lt=now,
            )
            .select_related("deliverable__intervention__request")
            .order_by("created_at", "pk")
        ),
        hours=_hours(cell, members, since=timezone.localdate(since), today=today),
        ending_soon=governance.terms_ending_soon(cell, today=today),
    )


def _positioning(
    cell: Cell, members: list[Membership], today: datetime.date
) -> tuple[list[AwaitingOpinions], list[Delay]]:
    """Requests under review with the members whose opinion is missing; delays at risk."""
    requests = list(
        Request.objects.filter(cell=cell, status__in=CLOCK_STATUSES)
        .select_related("institution")
        .order_by("positioning_deadline", "submitted_at", "pk")
    )
    reviewed = [r.pk for r in requests if r.status == Status.UNDER_REVIEW]
    people = [m.person_id for m in members]
    given = set(
        Opinion.objects.filter(request_id__in=reviewed, author_id__in=people).values_list(
            "request_id", "author_id"
        )
    )
    recused = set(
        Recusal.objects.filter(request_id__in=reviewed, member_id__in=people).values_list(
            "request_id", "member_id"
        )
    )
    awaiting, delays = [], []
    for request in requests:
        left = time_left_of(request, today=today)
        if left.at_risk:
            delays.append(Delay(request, left))
        if request.status != Status.UNDER_REVIEW:
            continue
        # The rule of Positioning.waiting_for: not given, not recused, not from their library.
        missing = [
            m.person
            for m in members
            if (request.pk, m.person_id) not in given
            and (request.pk, m.person_id) not in recused
            and m.home_institution_id != request.institution_id
        ]
        if missing:
            awaiting.append(AwaitingOpinions(request, left, missing))
    return awaiting, delays


def _interventions(cell: Cell, now: datetime.datetime) -> list[InterventionRow]:
    interventions = list(
        Intervention.objects.filter(request__cell=cell, request__status__in=INTERVENTION_STATUSES)
        .select_related("request__institution", "lead")
        .order_by("request__submitted_at", "pk")
    )
    local = timezone.localtime(now)
    upcoming: dict[int, list[Session]] = defaultdict(list)
    sessions = Session.objects.filter(
        intervention__in=interventions, date__gte=local.date()
    ).order_by("date", "start_time", "pk")
    for session in sessions:
        row = upcoming[session.intervention_id]
        later = session.date > local.date() or session.end_time > local.time()
        if later and len(row) < SESSIONS_PER_INTERVENTION:
            row.append(session)
    return [InterventionRow(i, upcoming.get(i.pk, [])) for i in interventions]


def _hours(
    cell: Cell, members: list[Membership], *, since: datetime.date, today: datetime.date
) -> list[MemberHours]:
    """Minutes logged for the cell on the seven days up to today, per member (all active
    members, with nothing logged too; former members who logged time as well)."""
    logged = (
        TimeEntry.objects.filter(cell=cell, date__gt=since, date__lte=today)
        .values("member_id", "member__first_name", "member__last_name", "member__username")
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    by_member = {row["member_id"]: row for row in logged}
    rows = [
        MemberHours(str(m.person), by_member.pop(m.person_id)["minutes"])
        if m.person_id in by_member
        else MemberHours(str(m.person), 0)
        for m in members
    ]
    for row in by_member.values():
        name = f"{row['member__first_name']} {row['member__last_name']}".strip()
        rows.append(MemberHours(name or row["member__username"], row["minutes"]))
    return rows


def render_digest(digest: WeeklyDigest, *, language: str | None = None) -> str:
    """The digest in Markdown, links absolute; in French (the cell's language) by default.

    The chat post and the mail are written by the worker and the scheduler, whose active
    language is whatever ran last in the thread: the language is always said, not inherited.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        text = render_to_string(
            "weekly/digest.md", {"digest": digest, "base_url": settings.PUBLIC_BASE_URL}
        )
    # Blank lines left by the template's tags: at most one in a row.
    lines: list[str] = []
    for line in text.strip().splitlines():
        line = line.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines) + "\n"
