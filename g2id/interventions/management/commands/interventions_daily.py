"""`g2id interventions_daily`: close unanswered surveys, send impact checks (run it by cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from g2id.interventions.services import close_unanswered, send_impact_checks


class Command(BaseCommand):
    help = (
        "Close the delivered interventions whose satisfaction survey went unanswered until it "
        "expired, and send each impact check due six months after closing (once). Safe to run "
        "more than once a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        closed = close_unanswered()
        checks = send_impact_checks()
        self.stdout.write(f"interventions closed without an answer: {closed}")
        self.stdout.write(f"impact checks sent: {checks}")
