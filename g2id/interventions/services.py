"""The intervention's rules: its lifecycle, sessions, checklist, transfer record, survey.

The intervention's state is its request's status: every move goes through
Request.change_status, which checks it, locks the row and writes the history.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from g2id.agenda.models import Event
from g2id.interventions.models import (
    IMPACT_CHECK_AFTER,
    IMPACT_CHECK_DAYS,
    SURVEY_DAYS,
    ImpactCheck,
    Intervention,
    Mode,
    Session,
    Survey,
    Task,
    TransferRecord,
)
from g2id.notifications.mail import queue_mail
from g2id.public.cache import PUBLIC_PAGES, TEAM_PAGES
from g2id.requests.models import Party, Request, RequestEvent, Status

if TYPE_CHECKING:
    from g2id.accounts.models import User

# The states an intervention goes through, in order; the request's status carries them.
STATES = [Status.ACCEPTED, Status.PLANNED, Status.IN_PROGRESS, Status.DELIVERED, Status.CLOSED]
# Sessions and the checklist change while the work is alive.
WORKING_STATES = {Status.ACCEPTED, Status.PLANNED, Status.IN_PROGRESS}


class LinkClosed(Exception):
    """A survey or impact-check link already answered or expired; its message is for the user."""


# --- Who may act -----------------------------------------------------------------------


def may_act(intervention: Intervention, user: User) -> bool:
    """The intervention's members and the coordinators of its cell act on it."""
    if not user.is_authenticated:
        return False
    if intervention.participations.filter(person=user).exists() or intervention.lead_id == user.pk:
        return True
    return intervention.request.cell.is_coordinated_by(user)


def ensure_may_act(intervention: Intervention, user: User) -> None:
    if not may_act(intervention, user):
        raise PermissionDenied(
            _("Only the intervention's members and the cell's coordinator may do this.")
        )


def ensure_working(intervention: Intervention) -> None:
    if intervention.request.status not in WORKING_STATES:
        raise ValidationError(_("This intervention is delivered: its plan no longer changes."))


# --- Lifecycle --------------------------------------------------------------------------


def set_plan(
    intervention: Intervention,
    *,
    by: User,
    mode: str,
    planned_start: datetime.date | None,
    planned_end: datetime.date | None,
) -> Intervention:
    """Record the mode and the planned period (while the work is alive)."""
    ensure_may_act(intervention, by)
    ensure_working(intervention)
    if planned_start and planned_end and planned_end < planned_start:
        raise ValidationError({"planned_end": _("The planned end comes before the planned start.")})
    intervention.mode = Mode(mode)
    intervention.planned_start, intervention.planned_end = planned_start, planned_end
    intervention.save(update_fields=["mode", "planned_start", "planned_end"])
    return intervention


def plan(intervention: Intervention, *, by: User, reason: str = "") -> RequestEvent:
    """accepted → planned: the team has agreed how and when it will work."""
    ensure_may_act(intervention, by)
    return intervention.request.change_status(
        Status.PLANNED, party=Party.TEAM, user=by, reason=reason.strip()
    )


def start(intervention: Intervention, *, by: User, reason: str = "") -> RequestEvent:
    """planned → in_progress."""
    ensure_may_act(intervention, by)
    return intervention.request.change_status(
        Status.IN_PROGRESS, party=Party.TEAM, user=by, reason=reason.strip()
    )


def deliver(
    intervention: Intervention, *, by: User, reason: str = "", now: datetime.datetime | None = None
) -> RequestEvent:
    """in_progress → delivered, and the satisfaction survey to the library.

    A delivery leaves a deliverable behind, or says in writing why it does not (advice
    given in a session, for instance); the reason is kept in the history.
    """
    ensure_may_act(intervention, by)
    reason = reason.strip()
    now = now or timezone.now()
    request = intervention.request
    with transaction.atomic():
        Request.objects.select_for_update().filter(pk=request.pk).first()
        if not reason and not intervention.deliverables.exists():
            raise ValidationError(
                {
                    "reason": _(
                        "Add a deliverable before delivering, or explain in writing why "
                        "there is none."
                    )
                }
            )
        event = request.change_status(
            Status.DELIVERED, party=Party.TEAM, user=by, reason=reason, notify=False
        )
        survey = Survey.objects.create(
            intervention=intervention,
            sent_at=now,
            expires_at=now + datetime.timedelta(days=SURVEY_DAYS),
        )
        queue_mail(
            to=[request.contact_email],
            template="interventions/mail/delivered.txt",
            context={"request": request, "event": event, "survey": survey},
            language=request.language,
            reply_to=request.cell.contact_email,
        )
    return event


def _close(
    intervention: Intervention,
    *,
    party: str,
    user: User | None,
    reason: str,
    now: datetime.datetime,
    notify: bool = True,
) -> RequestEvent:
    with transaction.atomic():
        event = intervention.request.change_status(
            Status.CLOSED, party=party, user=user, reason=reason, notify=notify
        )
        intervention.closed_at = now
        intervention.save(update_fields=["closed_at"])
    return event


def close(
    intervention: Intervention, *, by: User, reason: str = "", now: datetime.datetime | None = None
) -> RequestEvent:
    """delivered → closed, by the team (the library's answer or the 30 days close it too)."""
    ensure_may_act(intervention, by)
    return _close(
        intervention, party=Party.TEAM, user=by, reason=reason.strip(), now=now or timezone.now()
    )


def close_unanswered(now: datetime.datetime | None = None) -> int:
    """Close the delivered interventions whose survey went unanswered until it expired."""
    now = now or timezone.now()
    due = Intervention.objects.filter(
        request__status=Status.DELIVERED,
        survey__answered_at__isnull=True,
        survey__expires_at__lte=now,
    ).select_related("request__cell")
    closed = 0
    for intervention in due:
        with translation.override(intervention.request.language):
            reason = _(
                "Closed automatically: the satisfaction survey went unanswered for %(days)d days."
            ) % {"days": SURVEY_DAYS}
        _close(intervention, party=Party.SYSTEM, user=None, reason=reason, now=now)
        closed += 1
    return closed


# --- Sessions ---------------------------------------------------------------------------


def _session_kind(session: Session, mode: str) -> str:
    if mode == Mode.ON_SITE:
        return Event.Kind.ON_SITE
    if mode == Mode.REMOTE or session.location.startswith(("http://", "https://")):
        return Event.Kind.REMOTE
    return Event.Kind.ON_SITE


def _sync_events(session: Session, *, by: User) -> None:
    """One agenda event per member of the intervention, in step with the session."""
    intervention = session.intervention
    request = intervention.request
    people = set(intervention.participations.values_list("person_id", flat=True))
    if intervention.lead_id:
        people.add(intervention.lead_id)
    title = _("Session %(reference)s — %(title)s") % {
        "reference": request.reference,
        "title": request.title,
    }
    values = {
        "kind": _session_kind(session, intervention.mode),
        "title": title[:200],
        "location": session.location,
        "notes": session.notes,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
    }
    kept: set[int] = set()
    for event in session.events.all():
        if event.person_id in people and event.person_id not in kept:
            for field, value in values.items():
                setattr(event, field, value)
            event.save(update_fields=list(values))
            kept.add(event.person_id)
        else:
            event.delete()
    new = Event.objects.bulk_create(
        Event(person_id=person_id, created_by=by, **values) for person_id in people - kept
    )
    session.events.add(*new)
    # bulk_create sends no signal: the public calendars and the team's pages show these events.
    PUBLIC_PAGES.bump()
    TEAM_PAGES.bump()


def _check_session(session: Session) -> None:
    if session.end_time <= session.start_time:
        raise ValidationError({"end_time": _("The session ends before it starts.")})


def save_session(session: Session, *, by: User) -> Session:
    """Add or change a session; the members' agendas follow."""
    intervention = session.intervention
    ensure_may_act(intervention, by)
    ensure_working(intervention)
    _check_session(session)
    with transaction.atomic():
        if session.pk is None:
            session.created_by = by
        session.save()
        _sync_events(session, by=by)
    return session


def delete_session(session: Session, *, by: User) -> None:
    """Remove a session and its agenda events."""
    ensure_may_act(session.intervention, by)
    ensure_working(session.intervention)
    with transaction.atomic():
        session.events.all().delete()
        session.delete()


# --- Checklist --------------------------------------------------------------------------


def add_task(intervention: Intervention, *, by: User, title: str) -> Task:
    ensure_may_act(intervention, by)
    ensure_working(intervention)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Write the task.")})
    with transaction.atomic():
        Request.objects.select_for_update().filter(pk=intervention.request_id).first()
        last = intervention.tasks.aggregate(last=Max("order"))["last"]
        return Task.objects.create(
            intervention=intervention, title=title, order=0 if last is None else last + 1
        )


def set_task_done(task: Task, *, by: User, done: bool) -> Task:
    ensure_may_act(task.intervention, by)
    task.done = done
    task.done_by = by if done else None
    task.done_at = timezone.now() if done else None
    task.save(update_fields=["done", "done_by", "done_at"])
    return task


def delete_task(task: Task, *, by: User) -> None:
    ensure_may_act(task.intervention, by)
    ensure_working(task.intervention)
    task.delete()


# --- Transfer record --------------------------------------------------------------------


def save_transfer_record(record: TransferRecord, *, by: User) -> TransferRecord:
    """The team writes down what it taught; it may complete it until the intervention closes."""
    ensure_may_act(record.intervention, by)
    if record.intervention.request.status == Status.CLOSED:
        raise ValidationError(_("This intervention is closed: its transfer record is final."))
    record.updated_by = by
    record.updated_at = timezone.now()
    record.save()
    return record


# --- The library's answers --------------------------------------------------------------


def closed_reason(link: Survey | ImpactCheck, now: datetime.datetime) -> str:
    """Why the library may no longer answer through this link; empty while it may."""
    if link.is_answered:
        return _("You have already answered. Thank you!")
    if not link.is_open(now):
        return _("This link expired on %(date)s; write to the team from your tracking page.") % {
            "date": formats.date_format(timezone.localtime(link.expires_at), "DATE_FORMAT")
        }
    return ""


def _ensure_open(link: Survey | ImpactCheck, now: datetime.datetime) -> None:
    reason = closed_reason(link, now)
    if reason:
        raise LinkClosed(reason)


def answer_survey(
    survey: Survey, *, answers: dict[str, object], now: datetime.datetime | None = None
) -> Survey:
    """Record the library's verdict once, close the intervention and tell its members."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        _ensure_open(locked, now)
        for field, value in answers.items():
            setattr(locked, field, value)
        locked.answered_at = now
        locked.full_clean()
        locked.save()
        intervention = locked.intervention
        if intervention.request.status == Status.DELIVERED:
            _close(
                intervention,
                party=Party.LIBRARY,
                user=None,
                reason=_("The library answered the satisfaction survey."),
                now=now,
                notify=False,
            )
        queue_mail(
            to=_members_emails(intervention),
            template="interventions/mail/survey_answered.txt",
            context={"request": intervention.request, "survey": locked},
        )
    return locked


def send_impact_checks(now: datetime.datetime | None = None) -> int:
    """Ask, once, six months after closing: is it still in use, what did it change?"""
    now = now or timezone.now()
    due = Intervention.objects.filter(
        request__status=Status.CLOSED,
        closed_at__lte=now - IMPACT_CHECK_AFTER,
        impact_check__isnull=True,
    ).select_related("request__cell")
    sent = 0
    for intervention in due:
        request = intervention.request
        with transaction.atomic():
            check = ImpactCheck.objects.create(
                intervention=intervention,
                sent_at=now,
                expires_at=now + datetime.timedelta(days=IMPACT_CHECK_DAYS),
            )
            queue_mail(
                to=[request.contact_email],
                template="interventions/mail/impact_check.txt",
                context={"request": request, "check": check},
                language=request.language,
                reply_to=request.cell.contact_email,
            )
        sent += 1
    return sent


def answer_impact_check(
    check: ImpactCheck,
    *,
    still_in_use: bool,
    what_changed: str,
    now: datetime.datetime | None = None,
) -> ImpactCheck:
    now = now or timezone.now()
    with transaction.atomic():
        locked = ImpactCheck.objects.select_for_update().get(pk=check.pk)
        _ensure_open(locked, now)
        locked.still_in_use = still_in_use
        locked.what_changed = what_changed.strip()
        locked.answered_at = now
        locked.save()
        queue_mail(
            to=_members_emails(locked.intervention),
            template="interventions/mail/impact_answered.txt",
            context={"request": locked.intervention.request, "check": locked},
        )
    return locked


def _members_emails(intervention: Intervention) -> list[str]:
    from g2id.accounts.models import User

    return list(
        User.objects.filter(
            Q(participations__intervention=intervention) | Q(pk=intervention.lead_id)
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
