"""The positioning delay in French working days.

Counted from the day after submission, paused while the library is asked for information,
stopped by the final decision. Weekends and French public holidays (metropolitan list of
the `holidays` package) are not working days.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass

import holidays
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, html_safe
from django.utils.translation import gettext, ngettext

from g2id.requests.models import Request, RequestEvent, Status

# The statuses in which the clock is stopped for good: the group has positioned itself,
# or there is nothing left to position on.
STOPPING_STATUSES = {Status.ACCEPTED, Status.REFERRED, Status.DECLINED, Status.WITHDRAWN}
# Days left at which a running delay is shown as at risk.
AT_RISK_DAYS = 2


@functools.cache
def _holidays_of(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("FR", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is earlier."""
    if end < start:
        return -working_days_between(end, start)
    # Whole weeks count five days each; only the remainder and the holidays are looked at,
    # so a deadline months away (or long past) costs no more than one next week.
    days = (end - start).days
    weeks, remainder = divmod(days, 7)
    count = weeks * 5 + sum(
        1 for offset in range(1, remainder + 1) if (start + _days(offset)).weekday() < 5
    )
    holidays_in_range = {
        day
        for year in range(start.year, end.year + 1)
        for day in _holidays_of(year)
        if start < day <= end and day.weekday() < 5
    }
    return count - len(holidays_in_range)


def add_working_days(start: datetime.date, count: int) -> datetime.date:
    """The day `count` working days after `start` (`start` itself when count ≤ 0)."""
    day = start
    while count > 0:
        day += _days(1)
        if is_working_day(day):
            count -= 1
    return day


def _days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


@dataclass(frozen=True)
class ClockState:
    deadline: datetime.date | None
    used_days: int
    paused: bool
    stopped: bool


def clock_from_history(events: Iterable[RequestEvent], *, target_days: int) -> ClockState:
    """Replay a request's history: when the clock ran, when it paused, when it stopped."""
    used = 0
    running_since: datetime.date | None = None
    paused = stopped = False
    for event in sorted(events, key=lambda e: (e.created_at, e.pk or 0)):
        if event.to_cell_id is not None:  # a transfer: same status, the clock runs on
            continue
        day = timezone.localdate(event.created_at)
        if running_since is not None:
            used += max(working_days_between(running_since, day), 0)
            running_since = None
        if event.to_status in STOPPING_STATUSES:
            stopped, paused = True, False
        elif event.to_status == Status.NEEDS_INFO:
            paused = True
        elif event.to_status in (Status.SUBMITTED, Status.UNDER_REVIEW):
            running_since, paused = day, False
        else:  # planned, in progress… after acceptance: nothing left to measure
            stopped = True
    deadline = (
        add_working_days(running_since, target_days - used) if running_since is not None else None
    )
    return ClockState(deadline=deadline, used_days=used, paused=paused, stopped=stopped)


@dataclass(frozen=True)
class TimeLeft:
    """What the team reads: days left (negative when late), at risk, paused or done."""

    days: int | None
    paused: bool
    stopped: bool

    @property
    def at_risk(self) -> bool:
        return self.days is not None and self.days <= AT_RISK_DAYS

    @property
    def overdue(self) -> bool:
        return self.days is not None and self.days < 0

    @property
    def days_over(self) -> int:
        return -self.days if self.days is not None and self.days < 0 else 0

    @property
    def words(self) -> DelayWords:
        """What the team pages write: a tag when late or at risk (words, never colour alone)
        and the time left in words."""
        if self.stopped:
            return DelayWords(text=gettext("positioned"))
        if self.paused:
            return DelayWords(text=gettext("paused (waiting for the library)"))
        if self.days is None:
            return DelayWords()
        if self.overdue:
            over = self.days_over
            text = ngettext("%(days)s working day over", "%(days)s working days over", over) % {
                "days": over
            }
            return DelayWords(tag=gettext("Late"), tag_class="tag-danger", text=text)
        text = ngettext("%(days)s working day left", "%(days)s working days left", self.days) % {
            "days": self.days
        }
        if self.at_risk:
            return DelayWords(tag=gettext("At risk"), tag_class="tag-warning", text=text)
        return DelayWords(text=text)


@html_safe
@dataclass(frozen=True)
class DelayWords:
    """Rendered as it is shown: the tag (when late or at risk), then the time left."""

    tag: str = ""
    tag_class: str = ""
    text: str = ""

    def __str__(self) -> str:
        if not self.tag:
            return conditional_escape(self.text)
        return format_html(
            '<strong class="tag {}">{}</strong> {}', self.tag_class, self.tag, self.text
        )


def time_left(
    *, deadline: datetime.date | None, paused: bool, stopped: bool, today: datetime.date
) -> TimeLeft:
    if stopped or paused or deadline is None:
        return TimeLeft(days=None, paused=paused and not stopped, stopped=stopped)
    return TimeLeft(days=working_days_between(today, deadline), paused=False, stopped=False)


def time_left_of(request: Request, *, today: datetime.date) -> TimeLeft:
    return time_left(
        deadline=request.positioning_deadline,
        paused=request.positioning_paused,
        stopped=request.positioning_stopped,
        today=today,
    )
