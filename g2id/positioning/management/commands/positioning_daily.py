"""`g2id positioning_daily`: the day's opinion digests and invitation reminders (run it by cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from g2id.positioning.digest import send_opinion_digests
from g2id.positioning.services import send_invitation_reminders


class Command(BaseCommand):
    help = (
        "Queue the daily opinion digests (at most one a day per member) and the reminders to "
        "invited experts who have not answered. Safe to run more than once a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        digests = send_opinion_digests()
        reminders = send_invitation_reminders()
        self.stdout.write(f"opinion digests queued: {digests}")
        self.stdout.write(f"invitation reminders queued: {reminders}")
