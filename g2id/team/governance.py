"""The charter's governance, enforced in one place: at most N active members, M years each.

Every change of membership goes through these functions. Each one locks the cell's row
first, so two coordinators adding members at the same moment are checked one after the
other (PostgreSQL row lock; SQLite takes its write lock at BEGIN).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from g2id.requests.models import OPEN_STATUSES
from g2id.team.models import Cell, Membership

if TYPE_CHECKING:
    from g2id.accounts.models import User
    from g2id.institutions.models import Institution


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def ensure_coordinator(user: User, cell: Cell) -> None:
    """Refuse anybody but a coordinator of this cell (or an operator)."""
    if not cell.is_coordinated_by(user):
        raise PermissionDenied(_("Only a coordinator of this cell may do this."))


def check_membership_rules(
    *,
    cell: Cell,
    person: User,
    start: datetime.date,
    last_day: datetime.date | None,
    exclude: Membership | None = None,
) -> None:
    """Raise ValidationError, field by field, if this membership would break a rule."""
    if last_day is None:
        raise ValidationError(
            {"planned_end_date": _("Give the planned end: a term is limited in time.")}
        )
    if last_day < start:
        raise ValidationError(
            {"planned_end_date": _("The end comes before the start (%(start)s).")
             % {"start": _day(start)}}
        )  # fmt: skip
    memberships = Membership.objects.filter(cell=cell).select_related("person")
    if exclude is not None and exclude.pk:
        memberships = memberships.exclude(pk=exclude.pk)
    others = list(memberships)
    _check_no_overlap(person, start, last_day, others)
    _check_term_cap(cell, person, start, last_day, others)
    _check_member_cap(cell, start, last_day, others)


def _overlaps(membership: Membership, start: datetime.date, last_day: datetime.date) -> bool:
    return membership.start_date <= last_day and (
        membership.last_day is None or membership.last_day >= start
    )


def _check_no_overlap(person, start, last_day, others) -> None:
    for other in others:
        if other.person_id == person.pk and _overlaps(other, start, last_day):
            raise ValidationError(
                {
                    "start_date": _(
                        "%(person)s is already a member of this cell from %(start)s to %(end)s: "
                        "renew that membership instead of adding another one."
                    )
                    % {
                        "person": person,
                        "start": _day(other.start_date),
                        "end": _day(other.last_day) if other.last_day else "…",
                    }
                }
            )


def _check_term_cap(cell: Cell, person, start, last_day, others) -> None:
    own = [m for m in others if m.person_id == person.pk]
    first_start = min([start, *(m.start_date for m in own)])
    allowed_days = (first_start + relativedelta(years=cell.term_cap_years) - first_start).days
    used_days = sum(((m.last_day or m.start_date) - m.start_date).days + 1 for m in own)
    wanted_days = (last_day - start).days + 1
    if used_days + wanted_days > allowed_days:
        latest_end = start + datetime.timedelta(days=allowed_days - used_days - 1)
        message = _(
            "5-year rule: %(person)s may serve at most %(years)d years in this cell, all "
            "memberships added up. With %(used)d days already served, this membership may "
            "end on %(latest)s at the latest."
        ) % {
            "person": person,
            "years": cell.term_cap_years,
            "used": used_days,
            "latest": _day(latest_end),
        }
        if latest_end < start:
            message = _(
                "5-year rule: %(person)s has already served the %(years)d years allowed in "
                "this cell."
            ) % {"person": person, "years": cell.term_cap_years}
        raise ValidationError({"planned_end_date": message})


def _check_member_cap(cell: Cell, start, last_day, others) -> None:
    overlapping = [m for m in others if _overlaps(m, start, last_day)]
    # The number of members can only grow on a day when a membership starts.
    for day in sorted({start, *(m.start_date for m in overlapping if m.start_date > start)}):
        active = [m for m in overlapping if m.is_active_on(day)]
        if len(active) >= cell.member_cap:
            names = ", ".join(sorted(str(m.person) for m in active))
            raise ValidationError(
                {
                    "start_date": _(
                        "5-member rule: on %(day)s the cell would have more than %(cap)d "
                        "active members (%(names)s are already active then)."
                    )
                    % {"day": _day(day), "cap": cell.member_cap, "names": names}
                }
            )


def add_membership(
    *,
    cell: Cell,
    person: User,
    start: datetime.date,
    planned_end: datetime.date,
    share_percent: int,
    role: str = Membership.Role.MEMBER,
    home_institution: Institution | None = None,
    by: User,
) -> Membership:
    """Second a person to a cell, if the cell's coordinator asks and the rules allow it."""
    ensure_coordinator(by, cell)
    with transaction.atomic():
        locked = Cell.objects.select_for_update().get(pk=cell.pk)
        check_membership_rules(cell=locked, person=person, start=start, last_day=planned_end)
        membership = Membership(
            cell=locked,
            person=person,
            role=role,
            home_institution=home_institution,
            share_percent=share_percent,
            start_date=start,
            planned_end_date=planned_end,
        )
        membership.full_clean()
        membership.save()
    return membership


def renew_membership(membership: Membership, *, planned_end: datetime.date, by: User) -> Membership:
    """Move the planned end of a running membership, within the rules."""
    ensure_coordinator(by, membership.cell)
    with transaction.atomic():
        locked = Cell.objects.select_for_update().get(pk=membership.cell_id)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.end_date is not None:
            raise ValidationError(
                {"planned_end_date": _("This membership has ended: add a new one instead.")}
            )
        check_membership_rules(
            cell=locked,
            person=membership.person,
            start=membership.start_date,
            last_day=planned_end,
            exclude=membership,
        )
        membership.planned_end_date = planned_end
        membership.save(update_fields=["planned_end_date"])
    return membership


def end_membership(membership: Membership, *, on: datetime.date, by: User) -> Membership:
    """End a membership on a given day (its last day of service)."""
    ensure_coordinator(by, membership.cell)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if on < membership.start_date:
            raise ValidationError(
                {"end_date": _("The end comes before the start (%(start)s).")
                 % {"start": _day(membership.start_date)}}
            )  # fmt: skip
        planned = membership.planned_end_date
        if planned is not None and on > planned:
            # Ending later would lengthen the term without the 5x5 checks: renew first.
            raise ValidationError(
                {"end_date": _("The last day comes after the planned end (%(end)s): renew the "
                               "membership first.") % {"end": _day(planned)}}
            )  # fmt: skip
        membership.end_date = on
        membership.save(update_fields=["end_date"])
    return membership


def terms_ending_soon(cell: Cell, *, today: datetime.date, months: int = 6) -> list[Membership]:
    """Running memberships whose last day falls within the next `months` months."""
    horizon = today + relativedelta(months=months)
    return [
        m
        for m in Membership.objects.active_on(today).filter(cell=cell).select_related("person")
        if m.last_day is not None and m.last_day <= horizon
    ]


def is_recruiting(cell: Cell, *, today: datetime.date) -> bool:
    """A free seat today, or a term ending within six months."""
    active = Membership.objects.active_on(today).filter(cell=cell).count()
    return active < cell.member_cap or bool(terms_ending_soon(cell, today=today))


# A member's current work is in their latest actions: the load reads those only, so that
# it costs the same whatever the years of history.
RECENT_ACTIONS = 200
# One branch per person: their latest events and their latest messages (ids are literal
# integers, the rest parameters).
FOLLOWED_BY_PERSON = """
    SELECT {person} AS person, request_id FROM (
        SELECT request_id FROM requests_requestevent
        WHERE actor_user_id = {person} ORDER BY id DESC LIMIT %s
    ) AS events_{person}
    UNION
    SELECT {person} AS person, request_id FROM (
        SELECT request_id FROM requests_message
        WHERE author_id = {person} ORDER BY id DESC LIMIT %s
    ) AS messages_{person}
"""
# The requests are looked up by key among those followed: joined to the whole table, the
# planner would rather read every open request of the cell (20 ms at 20,000 requests).
OPEN_REQUESTS_FOLLOWED = """
    WITH followed AS ({branches})
    SELECT followed.person, count(*) FROM followed
    WHERE followed.request_id IN (
        SELECT id FROM requests_request
        WHERE id IN (SELECT request_id FROM followed)
        AND cell_id = %s AND status IN ({open_statuses})
    )
    GROUP BY followed.person
"""


def open_requests_followed(cell_id: int, people: list[int]) -> dict[int, int]:
    """Per person: the open requests of the cell in whose history or conversation they
    appear, among their RECENT_ACTIONS latest events and messages; one query.

    Interventions will add to this once they exist.
    """
    if not people:
        return {}
    # UNION (not UNION ALL) keeps each (person, request) pair once.
    branches = " UNION ".join(FOLLOWED_BY_PERSON.format(person=int(person)) for person in people)
    query = OPEN_REQUESTS_FOLLOWED.format(
        branches=branches, open_statuses=", ".join(["%s"] * len(OPEN_STATUSES))
    )
    params: list[int | str] = [RECENT_ACTIONS, RECENT_ACTIONS] * len(people)
    params += [cell_id, *OPEN_STATUSES]
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return {person: count for person, count in cursor.fetchall()}
