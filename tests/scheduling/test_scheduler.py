"""The scheduler: the catch-up rule, no slot run twice, even by two schedulers racing."""

from __future__ import annotations

import datetime
import io
import threading
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from g2id.scheduling import jobs
from g2id.scheduling.jobs import DAILY, MINUTE, Job, latest_slot, run_due, run_job
from g2id.scheduling.models import JobRun

PARIS = ZoneInfo("Europe/Paris")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=PARIS)


class Counter:
    def __init__(self, delay: float = 0) -> None:
        self.calls: list[datetime.datetime] = []
        self.delay = delay

    def __call__(self, now: datetime.datetime) -> str:
        time.sleep(self.delay)
        self.calls.append(now)
        return f"ran {len(self.calls)}"


def test_daily_slots_follow_the_configured_hour(settings) -> None:
    settings.G2ID_DAILY_JOBS_AT = "07:30"
    daily = Job("daily", DAILY, Counter())
    assert latest_slot(daily, at(3, 10, 7, 29)) == at(3, 9, 7, 30)
    assert latest_slot(daily, at(3, 10, 7, 30)) == at(3, 10, 7, 30)
    assert latest_slot(Job("often", MINUTE, Counter()), at(3, 10, 7, 31) + datetime.timedelta(
        seconds=42
    )) == at(3, 10, 7, 31)  # fmt: skip


def test_down_three_days_the_daily_job_runs_once_for_the_latest_slot(db, settings) -> None:
    settings.G2ID_DAILY_JOBS_AT = "07:00"
    counter = Counter()
    daily = Job("daily", DAILY, counter)
    run_due(at(3, 10, 8), [daily])
    assert len(counter.calls) == 1
    # Later the same day, and again: the slot of 10 March 07:00 has been run.
    run_due(at(3, 10, 9), [daily])
    run_due(at(3, 11, 6, 59), [daily])
    assert len(counter.calls) == 1
    # Down from 11 March 06:59 to 14 March 12:00: three slots missed, one run.
    outcomes = run_due(at(3, 14, 12), [daily])
    assert len(counter.calls) == 2 and outcomes[0].ran
    assert JobRun.objects.get(job="daily").last_slot == at(3, 14, 7)
    assert not run_due(at(3, 14, 18), [daily])[0].ran
    assert len(counter.calls) == 2


def test_a_failing_job_is_recorded_and_not_retried_in_the_same_slot(db) -> None:
    def broken(now: datetime.datetime) -> str:
        raise RuntimeError("SMTP down")

    failing, other = Job("failing", DAILY, broken), Job("other", DAILY, Counter())
    outcomes = run_due(at(3, 10, 8), [failing, other])
    assert [o.failed for o in outcomes] == [True, False]
    run = JobRun.objects.get(job="failing")
    assert run.failed and "SMTP down" in run.outcome and run.finished_at is not None
    assert not run_due(at(3, 10, 8, 5), [failing])[0].ran


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_schedulers_racing_run_a_slot_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions need PostgreSQL")
    counter = Counter(delay=0.2)
    job = Job("raced", DAILY, counter)
    start = threading.Barrier(2)
    results: list[bool] = []

    def scheduler() -> None:
        try:
            start.wait(timeout=10)
            results.append(run_job(job, at(3, 10, 8)).ran)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [False, True]
    assert len(counter.calls) == 1


def test_once_runs_every_due_job_and_says_what_it_did(db) -> None:
    out = io.StringIO()
    with time_machine.travel(at(3, 10, 8), tick=False):
        call_command("scheduler", "--once", stdout=out)
        lines = out.getvalue().splitlines()
        assert lines == [
            "weekly_points [2026-03-10 08:00]: weekly points posted: 0",
            "positioning_daily [2026-03-10 07:00]: opinion digests queued: 0, invitation "
            "reminders queued: 0",
            "interventions_daily [2026-03-10 07:00]: interventions closed without an answer: 0, "
            "impact checks sent: 0",
            "steering_meetings [2026-03-10 07:00]: steering meetings prepared: 0",
            "rate_counts [2026-03-10 07:00]: rate counts of past windows deleted: 0",
        ]
        again = io.StringIO()
        call_command("scheduler", "--once", stdout=again)
    assert again.getvalue().splitlines() == [
        "weekly_points [2026-03-10 08:00]: not due",
        "positioning_daily [2026-03-10 07:00]: not due",
        "interventions_daily [2026-03-10 07:00]: not due",
        "steering_meetings [2026-03-10 07:00]: not due",
        "rate_counts [2026-03-10 07:00]: not due",
    ]


def test_the_loop_stops_when_asked(db, monkeypatch) -> None:
    from g2id.scheduling.management.commands.scheduler import Command

    counter = Counter()
    monkeypatch.setattr(jobs, "JOBS", [Job("often", MINUTE, counter)])
    stop = threading.Event()
    command = Command(stdout=io.StringIO())
    monkeypatch.setattr(
        "g2id.scheduling.management.commands.scheduler.seconds_to_next_minute", lambda: 0.05
    )
    # Between ticks the loop closes stale connections, the test's own transaction included.
    monkeypatch.setattr(
        "g2id.scheduling.management.commands.scheduler.close_old_connections", lambda: None
    )
    worker = threading.Timer(0.3, stop.set)
    worker.start()
    command.loop(stop)
    worker.join()
    assert len(counter.calls) >= 1
    assert command.stdout.getvalue().splitlines()[-1] == "scheduler: stopped"
