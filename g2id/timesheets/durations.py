"""Durations as people type them: "1h30", "1,5", "90 min", "0:45"."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_HOURS_MINUTES = re.compile(
    r"^(?P<hours>\d+)\s*(?:h|:)\s*(?:(?P<minutes>\d{1,2})\s*(?:min|mn|m)?)?$"
)
_MINUTES = re.compile(r"^(?P<minutes>\d+(?:[.,]\d+)?)\s*(?:min|mn|m)$")
_HOURS = re.compile(r"^(?P<hours>\d+(?:[.,]\d+)?)\s*(?:h)?$")


def parse_duration(text: str) -> int:
    """The number of minutes in `text`; a ValidationError in plain words otherwise.

    Hours with minutes ("1h30", "1 h 30", "1:30"), decimal hours with a comma or a point
    ("1,5", "2"), or minutes ("90 min", "45 mn"). Zero and negative durations are refused.
    """
    value = " ".join(text.strip().lower().split())
    if value.startswith("-"):
        raise ValidationError(_("A duration cannot be negative."), code="negative")
    minutes = _minutes_in(value)
    if minutes is None:
        raise ValidationError(
            _("Enter a duration such as 1h30, 1,5 (hours) or 90 min."), code="invalid"
        )
    if minutes <= 0:
        raise ValidationError(
            _("A duration must be more than zero; leave the cell empty for no time."),
            code="zero",
        )
    return minutes


def _minutes_in(value: str) -> int | None:
    if match := _HOURS_MINUTES.match(value):
        extra = int(match["minutes"] or 0)
        if extra >= 60:
            return None
        return int(match["hours"]) * 60 + extra
    if match := _MINUTES.match(value):
        return _rounded(_decimal(match["minutes"]))
    if match := _HOURS.match(value):
        return _rounded(_decimal(match["hours"]) * 60)
    return None


def _decimal(number: str) -> Decimal:
    # The patterns only let digits and one separator through: always a valid number.
    return Decimal(number.replace(",", "."))


def _rounded(minutes: Decimal) -> int:
    return int(minutes.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_duration(minutes: int) -> str:
    """ "1h30", "2h", "45 min": the way the grid shows a duration, and parses it back."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours}h{rest:02d}" if rest else f"{hours}h"
