from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from g2id.timesheets.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("1h30", 90),
        ("1 h 30", 90),
        ("1H30min", 90),
        ("2h", 120),
        ("0h45", 45),
        ("1:15", 75),
        ("1,5", 90),
        ("1.25", 75),
        ("2", 120),
        ("1,5 h", 90),
        ("90 min", 90),
        ("90min", 90),
        ("45 mn", 45),
        ("  7h ", 420),
    ],
)
def test_durations_as_people_type_them(typed, minutes):
    assert parse_duration(typed) == minutes


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("0", "zero"),
        ("0h00", "zero"),
        ("0 min", "zero"),
        ("-1", "negative"),
        ("-1h30", "negative"),
        ("1h75", "invalid"),
        ("une heure", "invalid"),
        ("1,5,2", "invalid"),
        ("h30", "invalid"),
    ],
)
def test_bad_durations_are_refused_in_words(typed, code):
    with pytest.raises(ValidationError) as refusal:
        parse_duration(typed)
    assert refusal.value.code == code


@pytest.mark.parametrize("minutes", [45, 60, 90, 125, 24 * 60])
def test_formatted_durations_read_back(minutes):
    assert parse_duration(format_duration(minutes)) == minutes
