"""Keep each request's positioning clock in step with its history.

The only writer of the clock's fields on the request (`Request.positioning_deadline`, which
the inbox sorts on with an index, `positioning_used_days`, `positioning_paused` and
`positioning_stopped`): a new request files its first deadline (`initial_deadline`, from
Request.save), every change of status or cell replays the history (`refresh_clock`).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from g2id.positioning.delay import add_working_days, clock_from_history

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


def refresh_clock(request: Request) -> None:
    """Replay the history after a status change or a transfer (another cell, another target)."""
    from g2id.requests.models import Request

    state = clock_from_history(
        request.events.all(), target_days=request.cell.positioning_target_days
    )
    fields = {
        "positioning_deadline": state.deadline,
        "positioning_used_days": state.used_days,
        "positioning_paused": state.paused,
        "positioning_stopped": state.stopped,
    }
    Request.objects.filter(pk=request.pk).update(**fields)
    for name, value in fields.items():
        setattr(request, name, value)
