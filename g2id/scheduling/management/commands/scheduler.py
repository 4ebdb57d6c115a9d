"""`g2id scheduler`: run the periodic jobs (every minute until stopped, or once with --once)."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from g2id.scheduling.jobs import Outcome, run_due

# The longest the loop sleeps between two looks at the clock.
MAX_SLEEP_SECONDS = 60.0


def seconds_to_next_minute() -> float:
    now = timezone.now()
    return min(MAX_SLEEP_SECONDS, max(1.0, 60 - now.second - now.microsecond / 1e6))


class Command(BaseCommand):
    help = (
        "Run the periodic jobs: the weekly points, the daily opinion digest and invitation "
        "reminders, the interventions' daily job and the preparation of next month's steering "
        "meetings. A slot missed while nothing ran is caught up once. With --once, run what is "
        "due and exit (for cron or a systemd timer); otherwise loop every minute until "
        "SIGTERM or SIGINT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run the due jobs once and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            self.report(run_due())
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            self.stdout.write(f"scheduler: signal {signum} received, stopping")
            stop.set()

        previous = {
            sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)
        }
        try:
            self.loop(stop)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def loop(self, stop: threading.Event) -> None:
        self.stdout.write("scheduler: started")
        while not stop.is_set():
            close_old_connections()
            self.report(run_due(), quiet=True)
            close_old_connections()
            stop.wait(seconds_to_next_minute())
        self.stdout.write("scheduler: stopped")

    def report(self, outcomes: list[Outcome], *, quiet: bool = False) -> None:
        for outcome in outcomes:
            if quiet and not outcome.ran:
                continue
            slot = timezone.localtime(outcome.slot).strftime("%Y-%m-%d %H:%M")
            line = f"{outcome.job} [{slot}]: {outcome.summary}"
            self.stdout.write(self.style.ERROR(line) if outcome.failed else line)
        self.stdout.flush()
