"""Human references: G2ID-<year>-<sequence>, a sequence per year."""

from __future__ import annotations

import time_machine

from tests.factories import file_request


def test_references_follow_each_other_within_a_year():
    with time_machine.travel("2026-03-02 10:00 +01:00"):
        first, second = file_request(), file_request()
    assert (first.reference, second.reference) == ("G2ID-2026-0001", "G2ID-2026-0002")


def test_the_sequence_starts_again_each_year_in_paris_time():
    with time_machine.travel("2026-12-31 23:30 +00:00"):  # already 2027 in Paris
        new_year = file_request()
    with time_machine.travel("2026-12-31 10:00 +00:00"):
        old_year = file_request()
    assert new_year.reference == "G2ID-2027-0001"
    assert old_year.reference == "G2ID-2026-0001"


def test_the_sequence_grows_past_four_digits():
    from g2id.requests.models import ReferenceSequence

    ReferenceSequence.objects.create(year=2026, last_number=9999)
    with time_machine.travel("2026-05-05 10:00 +02:00"):
        assert file_request().reference == "G2ID-2026-10000"
