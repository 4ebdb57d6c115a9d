"""The charter's governance: at most five active members, at most five years each."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from g2id.team import governance
from g2id.team.models import Membership
from tests.factories import CellFactory, MembershipFactory, UserFactory

D = datetime.date


@pytest.fixture
def cell():
    return CellFactory(name="Multimédia", slug="multimedia")


@pytest.fixture
def coordinator(cell):
    return MembershipFactory(
        cell=cell,
        role=Membership.Role.COORDINATOR,
        start_date=D(2025, 1, 1),
        planned_end_date=D(2029, 12, 31),
    ).person


FIRST_JANUARY, END_OF_NEXT_YEAR = D(2026, 1, 1), D(2027, 12, 31)


def add(cell, coordinator, *, start=FIRST_JANUARY, end=END_OF_NEXT_YEAR, person=None, share=50):
    return governance.add_membership(
        cell=cell,
        person=person or UserFactory(),
        start=start,
        planned_end=end,
        share_percent=share,
        by=coordinator,
    )


def errors_of(refusal: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return refusal.value.message_dict


def test_a_sixth_active_member_is_refused_with_the_rule_and_the_date(cell, coordinator):
    for _ in range(4):
        add(cell, coordinator)
    with pytest.raises(ValidationError) as refused:
        add(cell, coordinator, start=D(2026, 3, 1))
    (message,) = errors_of(refused)["start_date"]
    assert "Règle des 5 membres" in message and "01/03/2026" in message
    assert Membership.objects.filter(cell=cell).count() == 5


def test_a_member_may_join_the_day_after_another_leaves(cell, coordinator):
    for _ in range(3):
        add(cell, coordinator)
    add(cell, coordinator, end=D(2026, 6, 30))
    joined = add(cell, coordinator, start=D(2026, 7, 1))
    assert joined.pk is not None


def test_a_future_membership_that_would_make_six_on_a_later_date_is_refused(cell, coordinator):
    for _ in range(3):
        add(cell, coordinator)
    add(cell, coordinator, start=D(2027, 1, 1), end=D(2027, 6, 30))
    with pytest.raises(ValidationError) as refused:
        add(cell, coordinator, start=D(2026, 6, 1), end=D(2027, 3, 31))
    assert "01/01/2027" in errors_of(refused)["start_date"][0]


def test_the_cap_follows_the_cells_setting(cell, coordinator):
    cell.member_cap = 2
    cell.save()
    add(cell, coordinator)
    with pytest.raises(ValidationError):
        add(cell, coordinator)


def test_five_years_in_one_membership_is_the_maximum(cell, coordinator):
    person = UserFactory()
    add(cell, coordinator, person=person, start=D(2026, 1, 1), end=D(2030, 12, 31))
    other = UserFactory()
    with pytest.raises(ValidationError) as refused:
        add(cell, coordinator, person=other, start=D(2026, 1, 1), end=D(2031, 1, 1))
    (message,) = errors_of(refused)["planned_end_date"]
    assert "Règle des 5 ans" in message and "31/12/2030" in message


def test_renewals_add_up_towards_the_five_years(cell, coordinator):
    person = UserFactory()
    add(cell, coordinator, person=person, start=D(2022, 1, 1), end=D(2024, 12, 31))
    with pytest.raises(ValidationError) as refused:
        add(cell, coordinator, person=person, start=D(2025, 6, 1), end=D(2028, 6, 1))
    assert "31/05/2027" in errors_of(refused)["planned_end_date"][0]
    second = add(cell, coordinator, person=person, start=D(2025, 6, 1), end=D(2027, 5, 31))
    with pytest.raises(ValidationError):
        governance.renew_membership(second, planned_end=D(2027, 6, 1), by=coordinator)


def test_a_person_who_served_five_years_cannot_come_back(cell, coordinator):
    person = UserFactory()
    add(cell, coordinator, person=person, start=D(2020, 1, 1), end=D(2024, 12, 31))
    with pytest.raises(ValidationError) as refused:
        add(cell, coordinator, person=person, start=D(2026, 1, 1), end=D(2026, 2, 1))
    assert "déjà effectué" in errors_of(refused)["planned_end_date"][0]


def test_the_five_years_count_in_each_cell_separately(cell, coordinator):
    person = UserFactory()
    add(cell, coordinator, person=person, start=D(2020, 1, 1), end=D(2024, 12, 31))
    other_cell = CellFactory()
    other_coordinator = MembershipFactory(
        cell=other_cell, role=Membership.Role.COORDINATOR, start_date=D(2025, 1, 1)
    ).person
    assert add(other_cell, other_coordinator, person=person, start=D(2026, 1, 1)).pk


def test_overlapping_memberships_of_one_person_are_refused(cell, coordinator):
    person = UserFactory()
    add(cell, coordinator, person=person, start=D(2026, 1, 1), end=D(2026, 12, 31))
    with pytest.raises(ValidationError) as refused:
        add(cell, coordinator, person=person, start=D(2026, 6, 1), end=D(2027, 6, 1))
    assert "renouvelez" in errors_of(refused)["start_date"][0].lower()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (D(2026, 6, 1), D(2026, 5, 31), "planned_end_date"),
        (D(2026, 6, 1), None, "planned_end_date"),
    ],
)
def test_a_planned_end_before_the_start_or_missing_is_refused(cell, coordinator, start, end, field):
    with pytest.raises(ValidationError) as refused:
        add(cell, coordinator, start=start, end=end)
    assert field in errors_of(refused)


@pytest.mark.parametrize("share", [0, 5, 101, 150])
def test_a_share_outside_10_to_100_percent_is_refused(cell, coordinator, share):
    with pytest.raises(ValidationError) as refused:
        add(cell, coordinator, share=share)
    assert "share_percent" in errors_of(refused)


def test_only_a_coordinator_of_the_cell_changes_its_memberships(cell, coordinator):
    plain_member = add(cell, coordinator).person
    other_coordinator = MembershipFactory(
        cell=CellFactory(), role=Membership.Role.COORDINATOR, start_date=D(2025, 1, 1)
    ).person
    for intruder in (plain_member, other_coordinator, UserFactory()):
        with pytest.raises(PermissionDenied):
            add(cell, intruder)
    assert Membership.objects.filter(cell=cell).count() == 2


def test_ending_a_membership_frees_the_seat_from_the_next_day(cell, coordinator):
    leaving, *_others = [add(cell, coordinator) for _ in range(4)]
    governance.end_membership(leaving, on=D(2026, 8, 31), by=coordinator)
    assert add(cell, coordinator, start=D(2026, 9, 1)).pk


def test_an_end_before_the_start_is_refused(cell, coordinator):
    membership = add(cell, coordinator)
    with pytest.raises(ValidationError) as refused:
        governance.end_membership(membership, on=D(2025, 12, 31), by=coordinator)
    assert "end_date" in errors_of(refused)


def test_terms_ending_within_six_months_are_announced(cell, coordinator):
    soon = add(cell, coordinator, start=D(2025, 1, 1), end=D(2026, 5, 31))
    add(cell, coordinator, start=D(2025, 1, 1), end=D(2027, 12, 31))
    today = D(2026, 1, 15)
    assert governance.terms_ending_soon(cell, today=today) == [soon]
    assert governance.is_recruiting(cell, today=today)


def test_a_full_cell_with_no_term_ending_soon_is_not_recruiting(cell, coordinator):
    for _ in range(4):
        add(cell, coordinator, start=D(2025, 1, 1), end=D(2029, 12, 31))
    assert not governance.is_recruiting(cell, today=D(2026, 1, 15))
