"""The positioning clocks moved onto their requests (requests.0005, positioning.0003):
nothing of a deployment's clocks is lost, either way."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import file_request

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [
    ("requests", "0004_positioning_deadline"),
    ("positioning", "0002_clocks_of_existing_requests"),
]
AFTER = [("requests", "0005_positioning_clock"), ("positioning", "0003_clock_on_the_request")]


def migrate(targets):
    """Migrate to `targets`; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def clock_fields(request) -> tuple:
    return (
        request.positioning_deadline,
        request.positioning_used_days,
        request.positioning_paused,
        request.positioning_stopped,
    )


def test_the_clocks_go_back_to_their_table_and_return_to_their_requests():
    running = file_request(title="En cours")
    unclocked = file_request(title="Sans horloge")
    deadline = running.positioning_deadline
    assert deadline is not None

    old = migrate(BEFORE)
    Clock = old.get_model("positioning", "PositioningClock")
    clock = Clock.objects.get(request_id=running.pk)
    assert (clock.deadline, clock.used_days, clock.paused, clock.stopped) == (
        deadline,
        0,
        False,
        False,
    )
    # Before the move, the library was asked a question after three working days…
    Clock.objects.filter(pk=clock.pk).update(deadline=None, used_days=3, paused=True)
    old.get_model("requests", "Request").objects.filter(pk=running.pk).update(
        positioning_deadline=None
    )
    # …and a request had no clock: it was shown as positioned.
    Clock.objects.filter(request_id=unclocked.pk).delete()

    new = migrate(AFTER)
    Request = new.get_model("requests", "Request")
    assert clock_fields(Request.objects.get(pk=running.pk)) == (None, 3, True, False)
    assert clock_fields(Request.objects.get(pk=unclocked.pk)) == (None, 0, False, True)
