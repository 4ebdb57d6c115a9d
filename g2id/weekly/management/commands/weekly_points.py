"""`g2id weekly_points`: post the weekly points that are due (run it by cron, or the scheduler)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from g2id.weekly.services import post_due_weekly_points


class Command(BaseCommand):
    help = (
        "Record and queue the weekly point of every cell whose day and time have passed this "
        "week and whose point is not recorded yet. Safe to run as often as you like."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        posted = post_due_weekly_points(timezone.now())
        self.stdout.write(f"weekly points recorded: {posted}")
