"""The steering meetings' rules: creating them, their agenda, minutes and decisions.

Every change is for the cell's coordinators (governance.ensure_coordinator); the members read.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from g2id.agenda.models import Event
from g2id.agenda.schedule import local_zone
from g2id.steering.agenda import build_agenda
from g2id.steering.models import AgendaItem, Meeting, Source, SteeringDecision
from g2id.team.governance import ensure_coordinator
from g2id.team.models import Cell, Membership

if TYPE_CHECKING:
    from g2id.accounts.models import User

# A meeting for next month is prepared this many days before its date.
PREPARE_DAYS_AHEAD = 7


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def meeting_title() -> str:
    return _("Steering meeting")


def schedule_meeting(
    *,
    cell: Cell,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str = "",
    by: User | None,
) -> Meeting:
    """Create the month's meeting, its event in the cell's agenda and its draft agenda.

    `by` is None when the scheduler prepares the meeting itself.
    """
    if by is not None:
        ensure_coordinator(by, cell)
    if starts_at <= timezone.now():
        raise ValidationError(
            {"date": _("This date is already past: a steering meeting is planned ahead.")}
        )
    if ends_at <= starts_at:
        raise ValidationError({"end_time": _("The meeting ends before it starts.")})
    month = first_of_month(timezone.localdate(starts_at))
    try:
        with transaction.atomic():
            event = Event.objects.create(
                cell=cell,
                kind=Event.Kind.MEETING,
                title=meeting_title(),
                location=location,
                starts_at=starts_at,
                ends_at=ends_at,
                created_by=by,
            )
            meeting = Meeting.objects.create(
                cell=cell,
                month=month,
                starts_at=starts_at,
                ends_at=ends_at,
                location=location,
                event=event,
                created_by=by,
            )
            store_agenda(meeting)
    except IntegrityError:
        raise ValidationError(
            {
                "date": _("The cell already has its steering meeting in %(month)s.")
                % {"month": formats.date_format(month, "YEAR_MONTH_FORMAT")}
            }
        ) from None
    return meeting


def store_agenda(meeting: Meeting, *, today: datetime.date | None = None) -> list[AgendaItem]:
    """Replace the items built from the data by a fresh draft; items added by hand stay, after."""
    draft = build_agenda(meeting, today=today)
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        meeting.items.exclude(source=Source.ADDED).delete()
        added = list(meeting.items.all())
        items = AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                position=index,
                source=item.source,
                title=item.title[:200],
                body=item.body,
                decision=item.decision,
            )
            for index, item in enumerate(draft)
        )
        for offset, item in enumerate(added, start=len(items)):
            item.position = offset
        AgendaItem.objects.bulk_update(added, ["position"])
        meeting.agenda_built_at = timezone.now()
        meeting.save(update_fields=["agenda_built_at"])
    return items + added


def rebuild_agenda(meeting: Meeting, *, by: User) -> list[AgendaItem]:
    ensure_coordinator(by, meeting.cell)
    return store_agenda(meeting)


def add_item(meeting: Meeting, *, title: str, body: str, by: User) -> AgendaItem:
    ensure_coordinator(by, meeting.cell)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the item a title.")})
    with transaction.atomic():
        last = meeting.items.aggregate(last=Max("position"))["last"]
        return AgendaItem.objects.create(
            meeting=meeting,
            position=0 if last is None else last + 1,
            source=Source.ADDED,
            title=title,
            body=body.strip(),
        )


def remove_item(item: AgendaItem, *, by: User) -> None:
    ensure_coordinator(by, item.meeting.cell)
    item.delete()


def move_item_up(item: AgendaItem, *, by: User) -> None:
    """Swap the item with the one before it."""
    ensure_coordinator(by, item.meeting.cell)
    with transaction.atomic():
        items = list(item.meeting.items.select_for_update())
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        if index == 0:
            return
        items[index - 1], items[index] = items[index], items[index - 1]
        for position, other in enumerate(items):
            other.position = position
        AgendaItem.objects.bulk_update(items, ["position"])


def save_minutes(meeting: Meeting, *, minutes: str, attendees: Iterable[User], by: User) -> Meeting:
    ensure_coordinator(by, meeting.cell)
    allowed = set(members_of(meeting).values_list("pk", flat=True))
    chosen = list(attendees)
    if any(person.pk not in allowed for person in chosen):
        raise ValidationError({"attendees": _("Attendees are members of the cell.")})
    with transaction.atomic():
        meeting.minutes = minutes.strip()
        meeting.save(update_fields=["minutes"])
        meeting.attendees.set(chosen)
    return meeting


def members_of(meeting: Meeting):
    """The people who were members of the cell on the meeting's day."""
    from g2id.accounts.models import User

    day = timezone.localdate(meeting.starts_at)
    people = Membership.objects.active_on(day).filter(cell=meeting.cell).values("person_id")
    return User.objects.filter(pk__in=people).order_by("last_name", "first_name", "pk")


def record_decision(
    meeting: Meeting,
    *,
    text: str,
    owner: User | None,
    due_date: datetime.date | None,
    by: User,
) -> SteeringDecision:
    ensure_coordinator(by, meeting.cell)
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("Write the decision.")
    if owner is None:
        errors["owner"] = _("Name the member who carries out this decision.")
    elif not members_of(meeting).filter(pk=owner.pk).exists():
        errors["owner"] = _("The owner is a member of the cell.")
    if due_date is None:
        errors["due_date"] = _("Give the date by which this decision is carried out.")
    elif due_date < timezone.localdate(meeting.starts_at):
        errors["due_date"] = _("The due date comes before the meeting.")
    if errors or owner is None or due_date is None:
        raise ValidationError(errors)
    return SteeringDecision.objects.create(
        cell=meeting.cell,
        meeting=meeting,
        text=text.strip(),
        owner=owner,
        due_date=due_date,
        created_by=by,
    )


def set_decision_status(decision: SteeringDecision, *, done: bool, by: User) -> SteeringDecision:
    """Close a decision (it leaves the next agendas) or reopen it."""
    ensure_coordinator(by, decision.cell)
    decision.status = SteeringDecision.Status.DONE if done else SteeringDecision.Status.OPEN
    decision.closed_at = timezone.now() if done else None
    decision.save(update_fields=["status", "closed_at"])
    return decision


# --- Prepared by the scheduler ----------------------------------------------------------------


def usual_slot(
    previous: Meeting, month: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The same weekday of the same week of `month` as the previous meeting (the 2nd Tuesday,
    the last Friday…), at the same time and for as long."""
    zone = local_zone()
    start = timezone.localtime(previous.starts_at, zone)
    rank = (start.day - 1) // 7
    first = month + datetime.timedelta(days=(start.weekday() - month.weekday()) % 7)
    day = first + datetime.timedelta(weeks=rank)
    if day.month != month.month:  # a fifth weekday this month lacks: the last one
        day -= datetime.timedelta(weeks=1)
    begins = datetime.datetime.combine(day, start.time(), tzinfo=zone)
    return begins, begins + (previous.ends_at - previous.starts_at)


def prepare_next_meetings(now: datetime.datetime | None = None) -> int:
    """Create each cell's coming meeting a week ahead, on its usual day; returns how many.

    The usual day is the previous meeting's (see usual_slot), in this month or the next, and
    only for a month without a meeting. A cell that never met has no usual day: its
    coordinator plans the first meeting.
    """
    now = now or timezone.now()
    this_month = first_of_month(timezone.localdate(now))
    horizon = timezone.localdate(now) + datetime.timedelta(days=PREPARE_DAYS_AHEAD)
    created = 0
    for month in (this_month, this_month + relativedelta(months=1)):
        for cell in Cell.objects.exclude(steering_meetings__month=month):
            previous = cell.steering_meetings.filter(month__lt=month).order_by("-starts_at").first()
            if previous is None:
                continue
            starts_at, ends_at = usual_slot(previous, month)
            if starts_at <= now or timezone.localdate(starts_at) > horizon:
                continue
            try:
                schedule_meeting(
                    cell=cell,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    location=previous.location,
                    by=None,
                )
            except ValidationError:  # planned meanwhile by its coordinator
                continue
            created += 1
    return created
