"""`g2id digest <cell-slug> [--week 2026-W48]`: a cell's weekly digest, in Markdown."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from g2id.team.models import Cell
from g2id.timesheets.week import iso_week
from g2id.weekly.digest import build_weekly_digest, render_digest
from g2id.weekly.models import WeeklyPoint


class Command(BaseCommand):
    help = (
        "Print a cell's weekly digest in Markdown: this week's, up to now, or the one recorded "
        "for another week (--week 2026-W48)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("cell", help="the cell's slug")
        parser.add_argument("--week", help="an ISO week such as 2026-W48 (default: this week)")

    def handle(self, *args: Any, **options: Any) -> None:
        cell = Cell.objects.filter(slug=options["cell"]).first()
        if cell is None:
            raise CommandError(f"no cell with the slug {options['cell']!r}")
        now = timezone.now()
        week = (options["week"] or "").upper()
        if not week or week == iso_week(timezone.localdate(now)):
            with translation.override(settings.LANGUAGE_CODE):
                self.stdout.write(render_digest(build_weekly_digest(cell, now=now)), ending="")
            return
        point = WeeklyPoint.objects.filter(cell=cell, week=week).first()
        if point is None:
            raise CommandError(f"no weekly point recorded for {cell.slug} in week {week}")
        self.stdout.write(point.markdown, ending="")
