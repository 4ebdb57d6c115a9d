"""Two coordinators adding the fifth and a sixth member at the same moment: one is refused."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from g2id.team import governance
from g2id.team.models import Cell, Membership
from tests.factories import CellFactory, MembershipFactory, UserFactory

ROUNDS = 3
SINCE, UNTIL = datetime.date(2025, 1, 1), datetime.date(2029, 1, 1)


def race_for_the_last_seat() -> tuple[Cell, list[str]]:
    """Four members, two coordinators each adding a newcomer at the very same moment."""
    cell = CellFactory()
    coordinators = [
        MembershipFactory(
            cell=cell, role=Membership.Role.COORDINATOR, start_date=SINCE, planned_end_date=UNTIL
        ).person
        for _ in range(2)
    ]
    for _ in range(2):
        MembershipFactory(cell=cell, start_date=SINCE, planned_end_date=UNTIL)
    start_together = threading.Barrier(2)
    outcomes: list[str] = []

    def add(coordinator, newcomer):
        try:
            start_together.wait(timeout=10)
            governance.add_membership(
                cell=cell,
                person=newcomer,
                start=datetime.date(2026, 1, 1),
                planned_end=datetime.date(2027, 1, 1),
                share_percent=50,
                by=coordinator,
            )
            outcomes.append("added")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(c, UserFactory())) for c in coordinators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return cell, outcomes


# Like every transactional test here: the data migrations' rows are restored, and the flush
# afterwards does not recreate content types that the next such test would restore again.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_additions_never_exceed_the_member_cap():
    for _ in range(ROUNDS):
        cell, outcomes = race_for_the_last_seat()
        assert sorted(outcomes) == ["added", "refused"]
        active = Membership.objects.active_on(datetime.date(2026, 6, 1)).filter(cell=cell)
        assert active.count() == cell.member_cap
