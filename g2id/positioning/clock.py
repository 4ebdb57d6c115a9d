"""Keep each request's positioning deadline in step with its history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from g2id.positioning.delay import add_working_days, clock_from_history
from g2id.positioning.models import PositioningClock

if TYPE_CHECKING:
    from g2id.requests.models import Request


def start_clock(request: Request) -> PositioningClock:
    """A new request: its deadline is the cell's target in working days after submission."""
    deadline = add_working_days(
        timezone.localdate(request.submitted_at), request.cell.positioning_target_days
    )
    return PositioningClock.objects.create(request=request, deadline=deadline)


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
