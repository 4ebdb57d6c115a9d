"""Keep each request's positioning deadline in step with its history.

The only writer of a deadline: the clock (PositioningClock) and its copy on the request
(`Request.positioning_deadline`, which the inbox sorts on with an index) change together,
here and nowhere else.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from g2id.positioning.delay import add_working_days, clock_from_history
from g2id.positioning.models import PositioningClock

if TYPE_CHECKING:
    from g2id.requests.models import Request


def initial_deadline(request: Request) -> datetime.date | None:
    """A new request's deadline: the cell's target in working days after submission."""
    from g2id.requests.models import Status

    if request.status != Status.SUBMITTED:
        return None  # filed in another state (imports, demo): refresh_clock replays it
    return add_working_days(
        timezone.localdate(request.submitted_at), request.cell.positioning_target_days
    )


def start_clock(request: Request) -> PositioningClock:
    """A new request: its deadline is the cell's target in working days after submission."""
    deadline = initial_deadline(request)
    clock = PositioningClock.objects.create(request=request, deadline=deadline)
    if request.positioning_deadline != deadline:  # Request.save() usually filed it already
        _copy_to_request(request, deadline)
    return clock


def refresh_clock(request: Request) -> None:
    """Replay the history after a status change or a transfer (another cell, another target)."""
    state = clock_from_history(
        request.events.all(), target_days=request.cell.positioning_target_days
    )
    PositioningClock.objects.update_or_create(
        request=request,
        defaults={
            "deadline": state.deadline,
            "used_days": state.used_days,
            "paused": state.paused,
            "stopped": state.stopped,
        },
    )
    _copy_to_request(request, state.deadline)


def _copy_to_request(request: Request, deadline: datetime.date | None) -> None:
    from g2id.requests.models import Request

    Request.objects.filter(pk=request.pk).update(positioning_deadline=deadline)
    request.positioning_deadline = deadline


def copy_all_deadlines() -> int:
    """Copy every clock's deadline to its request in one UPDATE (after bulk-created clocks,
    which go through none of the functions above); how many requests."""
    from django.db.models import OuterRef, Subquery

    from g2id.requests.models import Request

    return Request.objects.filter(positioning__deadline__isnull=False).update(
        positioning_deadline=Subquery(
            PositioningClock.objects.filter(request=OuterRef("pk")).values("deadline")[:1]
        )
    )
