"""The draft agenda of a steering meeting, built from the cell's data.

The meeting reviews the calendar month before its own (a meeting in March reviews February):
its figures, the decisions taken before the quorum, the requests declined (training needs)
and the referrals the libraries judged unhelpful. Pending decisions, terms ending and the
open steering decisions are taken as they stand when the agenda is built.
"""

from __future__ import annotations

import datetime
import re
import statistics
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Avg, Count, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from g2id.agenda.schedule import local_zone
from g2id.interventions.models import Survey
from g2id.positioning.delay import working_days_between
from g2id.positioning.models import Decision, Outcome, Referral
from g2id.requests.models import Request, Status
from g2id.steering.models import Meeting, Source, SteeringDecision
from g2id.team import governance
from g2id.timesheets.models import TimeEntry

FINAL_OUTCOMES = [Outcome.ACCEPTED, Outcome.REFERRED, Outcome.DECLINED]
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


@dataclass(frozen=True)
class DraftItem:
    source: str
    title: str
    body: str
    decision: SteeringDecision | None = None


def reviewed_month(meeting: Meeting) -> tuple[datetime.datetime, datetime.datetime]:
    """The start and end (excluded) of the month the meeting reviews, in local time."""
    first = meeting.month - relativedelta(months=1)
    zone = local_zone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(meeting.month, datetime.time.min, tzinfo=zone)
    return start, end


def _md(text: str) -> str:
    """Text from the data, shown as it is in the Markdown of an item."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _request_line(request: Request) -> str:
    return f"{request.reference} — {_md(request.title)}"


def build_agenda(meeting: Meeting, *, today: datetime.date | None = None) -> list[DraftItem]:
    """The draft agenda, in the order it is discussed; each item says where it comes from."""
    today = today or timezone.localdate()
    start, end = reviewed_month(meeting)
    items = [
        *_pending(meeting, today),
        *_overrides(meeting, start, end),
        _figures(meeting, start, end),
        *_training_needs(meeting, start, end),
        *_unhelpful_referrals(meeting, start, end),
        *_rotation(meeting),
        *_carried_over(meeting),
    ]
    return items


def _pending(meeting: Meeting, today: datetime.date) -> list[DraftItem]:
    late = list(
        Request.objects.filter(
            cell=meeting.cell,
            status=Status.UNDER_REVIEW,
            positioning_deadline__lt=today,
            positioning_paused=False,
            positioning_stopped=False,
        ).order_by("positioning_deadline", "pk")
    )
    if not late:
        return []
    lines = [
        "- "
        + _("%(request)s: deadline %(deadline)s, %(late)s")
        % {
            "request": _request_line(request),
            "deadline": _day(request.positioning_deadline),
            "late": ngettext(
                "%(days)d working day late", "%(days)d working days late", days
            ) % {"days": days},
        }
        for request in late
        if request.positioning_deadline is not None
        for days in [working_days_between(request.positioning_deadline, today)]
    ]  # fmt: skip
    return [DraftItem(Source.PENDING, _("Decisions pending past their deadline"), "\n".join(lines))]


def _overrides(
    meeting: Meeting, start: datetime.datetime, end: datetime.datetime
) -> list[DraftItem]:
    decisions = list(
        Decision.objects.filter(
            request__cell=meeting.cell,
            quorum_reached=False,
            decided_at__gte=start,
            decided_at__lt=end,
        )
        .select_related("request")
        .order_by("decided_at", "pk")
    )
    if not decisions:
        return []
    lines = [
        "- "
        + _("%(request)s: %(outcome)s with %(given)d opinion(s) of %(voters)d — reason: %(reason)s")
        % {
            "request": _request_line(decision.request),
            "outcome": decision.get_outcome_display(),
            "given": decision.opinions_given,
            "voters": decision.voters,
            "reason": _md(decision.override_reason),
        }
        for decision in decisions
    ]
    return [DraftItem(Source.OVERRIDES, _("Decisions taken before the quorum"), "\n".join(lines))]


def _figures(meeting: Meeting, start: datetime.datetime, end: datetime.datetime) -> DraftItem:
    cell = meeting.cell
    received = Request.objects.filter(
        cell=cell, submitted_at__gte=start, submitted_at__lt=end
    ).count()
    decided = Decision.objects.filter(request__cell=cell, decided_at__gte=start, decided_at__lt=end)
    outcomes = dict(decided.values_list("outcome").annotate(n=Count("pk")).order_by())
    outcome_text = ", ".join(
        f"{Status(value).label} {outcomes[value]}"
        for value in Outcome.values
        if outcomes.get(value)
    ) or _("none")
    delays = list(
        decided.filter(outcome__in=FINAL_OUTCOMES).values_list(
            "request__positioning_used_days", flat=True
        )
    )
    surveys = (
        Survey.objects.filter(
            intervention__request__cell=cell, answered_at__gte=start, answered_at__lt=end
        )
        .exclude(score=None)
        .aggregate(mean=Avg("score"), n=Count("pk"))
    )
    minutes = (
        TimeEntry.objects.filter(cell=cell, date__gte=start.date(), date__lt=end.date()).aggregate(
            total=Sum("minutes")
        )["total"]
        or 0
    )
    lines = [
        _("Requests received: %(count)d") % {"count": received},
        _("Decisions: %(outcomes)s") % {"outcomes": outcome_text},
        _("Positioning delay (median): %(days)s working days over %(count)d decisions")
        % {"days": formats.number_format(statistics.median(delays), 1), "count": len(delays)}
        if delays
        else _("Positioning delay (median): no final decision"),
        _("Satisfaction: %(mean)s / 5 over %(count)d surveys")
        % {"mean": formats.number_format(surveys["mean"], 1), "count": surveys["n"]}
        if surveys["n"]
        else _("Satisfaction: no survey answered"),
        _("Hours logged: %(hours)d h %(minutes)02d")
        % {"hours": minutes // 60, "minutes": minutes % 60},
    ]
    month = formats.date_format(start.date(), "YEAR_MONTH_FORMAT")
    return DraftItem(
        Source.FIGURES,
        _("Figures of %(month)s") % {"month": month},
        "\n".join(f"- {line}" for line in lines),
    )


def _training_needs(
    meeting: Meeting, start: datetime.datetime, end: datetime.datetime
) -> list[DraftItem]:
    declined = list(
        Decision.objects.filter(
            request__cell=meeting.cell,
            outcome=Outcome.DECLINED,
            decided_at__gte=start,
            decided_at__lt=end,
        )
        .select_related("request")
        .order_by("decided_at", "pk")
    )
    if not declined:
        return []
    lines = [f"- {_request_line(d.request)}: {_md(d.rationale)}" for d in declined]
    return [
        DraftItem(
            Source.TRAINING,
            _("Requests declined: skills to acquire?"),
            "\n".join(lines),
        )
    ]


def _unhelpful_referrals(
    meeting: Meeting, start: datetime.datetime, end: datetime.datetime
) -> list[DraftItem]:
    referrals = list(
        Referral.objects.filter(
            request__cell=meeting.cell, helpful=False, feedback_at__gte=start, feedback_at__lt=end
        )
        .select_related("request")
        .prefetch_related("partners")
        .order_by("feedback_at", "pk")
    )
    if not referrals:
        return []
    lines = []
    for referral in referrals:
        partners = ", ".join(_md(p.name) for p in referral.partners.all())
        comment = _md(referral.feedback) or _("no comment")
        lines.append(f"- {_request_line(referral.request)} ({partners}): {comment}")
    return [
        DraftItem(Source.REFERRALS, _("Referrals the libraries judged unhelpful"), "\n".join(lines))
    ]


def _rotation(meeting: Meeting) -> list[DraftItem]:
    day = timezone.localdate(meeting.starts_at)
    ending = governance.terms_ending_soon(meeting.cell, today=day)
    recruiting = governance.is_recruiting(meeting.cell, today=day)
    if not ending and not recruiting:
        return []
    lines = [
        "- "
        + _("%(person)s: term ends on %(day)s")
        % {"person": _md(str(m.person)), "day": _day(m.last_day)}
        for m in sorted(ending, key=lambda m: (m.last_day, m.pk))
        if m.last_day is not None
    ]
    if recruiting:
        lines.append("- " + _("The cell is recruiting."))
    return [DraftItem(Source.ROTATION, _("Rotation and recruitment"), "\n".join(lines))]


def _carried_over(meeting: Meeting) -> list[DraftItem]:
    open_decisions = (
        SteeringDecision.objects.filter(
            cell=meeting.cell,
            status=SteeringDecision.Status.OPEN,
            meeting__starts_at__lt=meeting.starts_at,
        )
        .select_related("owner", "meeting")
        .order_by("due_date", "pk")
    )
    return [
        DraftItem(
            Source.CARRIED_OVER,
            _("Follow-up: %(decision)s") % {"decision": " ".join(decision.text.split())[:150]},
            _("Owner: %(owner)s, due on %(due)s (meeting of %(meeting)s).")
            % {
                "owner": _md(str(decision.owner)),
                "due": _day(decision.due_date),
                "meeting": _day(timezone.localdate(decision.meeting.starts_at)),
            },
            decision,
        )
        for decision in open_decisions
    ]
