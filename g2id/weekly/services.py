"""Posting the weekly point: one record per cell and ISO week, the chat post in the worker.

`post_weekly_point` builds the digest, records it and queues the chat post (and the e-mail
to the members) in one transaction; the unique (cell, week) row makes a second call a no-op.
The worker posts with a short timeout and retries with back-off like the mail queue
(g2id/notifications/mail.py), then marks the point failed, visible in the back office.
"""

from __future__ import annotations

import datetime
import http.client
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from g2id.lib.rich_text import render_markdown
from g2id.notifications.mail import queue_mail
from g2id.team.models import Cell
from g2id.timesheets.week import iso_week, monday_of
from g2id.weekly.digest import build_weekly_digest, render_digest
from g2id.weekly.models import ChatKind, WeeklyPoint, WeeklyPointSettings
from g2id.weekly.safety import UnsafeWebhook, WebhookRefused, post_json

logger = logging.getLogger(__name__)

# Failures worth another try: connection refused or reset, DNS, timeouts, TLS, 4xx/5xx.
RETRIED = (OSError, http.client.HTTPException, WebhookRefused)


def chat_payload(kind: str, markdown: str) -> dict[str, Any]:
    """The JSON each chat's incoming webhook expects, around the same Markdown body."""
    if kind == ChatKind.SLACK:
        return {"text": markdown, "mrkdwn": True}
    if kind == ChatKind.HOOKSHOT:
        # matrix-hookshot's generic webhooks: `text` is the plain body, `html` the formatted one.
        return {"text": markdown, "html": str(render_markdown(markdown))}
    return {"text": markdown}  # Mattermost, Rocket.Chat


def settings_of(cell: Cell) -> WeeklyPointSettings:
    """The cell's settings, or unsaved defaults when the coordinator has not set them yet."""
    found = WeeklyPointSettings.objects.filter(cell=cell).first()
    return found or WeeklyPointSettings(cell=cell)


def post_weekly_point(
    cell: Cell, *, now: datetime.datetime, config: WeeklyPointSettings | None = None
) -> tuple[WeeklyPoint, bool]:
    """Record this ISO week's point of `cell` and queue its post and mail; once a week.

    Returns the point and whether it was created now (False: it existed, nothing queued).
    """
    config = config or settings_of(cell)
    week = iso_week(timezone.localdate(now))
    existing = WeeklyPoint.objects.filter(cell=cell, week=week).first()
    if existing is not None:
        return existing, False
    with translation.override(settings.LANGUAGE_CODE):
        markdown = render_digest(build_weekly_digest(cell, now=now))
    with transaction.atomic():
        point, created = WeeklyPoint.objects.get_or_create(
            cell=cell,
            week=week,
            defaults={
                "markdown": markdown,
                "created_at": now,
                "status": WeeklyPoint.Status.PENDING
                if config.webhook_url
                else WeeklyPoint.Status.NO_CHAT,
            },
        )
        if not created:  # another run recorded it in the meantime
            return point, False
        if config.webhook_url:
            deliver_weekly_point.enqueue(point.pk)
        if config.email_members:
            queue_mail(
                to=cell.team_emails(),
                template="weekly/mail/digest.txt",
                context={"point": point},
                language=settings.LANGUAGE_CODE,
            )
    return point, True


def post_due_weekly_points(now: datetime.datetime) -> int:
    """Post the points whose day and time have passed this ISO week and are not recorded yet.

    A run missed while the scheduler was down is caught up at the next run of the same week,
    once: the (cell, week) row exists afterwards. Returns how many points were recorded.
    """
    today = timezone.localdate(now)
    monday = monday_of(None, today)
    week = iso_week(today)
    done = set(WeeklyPoint.objects.filter(week=week).values_list("cell_id", flat=True))
    posted = 0
    for config in WeeklyPointSettings.objects.select_related("cell").order_by("cell__name"):
        if config.delivers and config.cell_id not in done and config.moment_in_week(monday) <= now:
            _point, created = post_weekly_point(config.cell, now=now, config=config)
            posted += created
    return posted


def retry_delay(attempts: int) -> datetime.timedelta | None:
    """How long to wait after `attempts` failures; None once retries are exhausted."""
    delays = settings.G2ID_WEBHOOK_RETRY_DELAYS
    return datetime.timedelta(seconds=delays[attempts - 1]) if attempts <= len(delays) else None


@task()
def deliver_weekly_point(point_id: int) -> str:
    """POST one point to its cell's chat; on failure, schedule the next attempt with back-off.

    The network call happens outside any transaction (no lock held while a chat server is
    slow); the outcome is then written under the point's row lock.
    """
    point = WeeklyPoint.objects.filter(pk=point_id).first()
    if point is None or point.status != WeeklyPoint.Status.PENDING:
        return "nothing to do"
    config = WeeklyPointSettings.objects.filter(cell_id=point.cell_id).first()
    error: Exception | None = None
    retry = True
    with translation.override(settings.LANGUAGE_CODE):  # errors are read in the back office
        try:
            if config is None or not config.webhook_url:
                raise UnsafeWebhook(_("No webhook address is configured for this cell."))
            post_json(
                config.webhook_url,
                chat_payload(config.chat_kind, point.markdown),
                timeout=settings.G2ID_WEBHOOK_TIMEOUT,
            )
        except UnsafeWebhook as refusal:  # retrying would not help: the address must change
            error, retry = refusal, False
        except RETRIED as failure:
            error = failure
    return _record(point_id, error, retry=retry)


def _record(point_id: int, error: Exception | None, *, retry: bool) -> str:
    with transaction.atomic():
        point = WeeklyPoint.objects.select_for_update().get(pk=point_id)
        if point.status != WeeklyPoint.Status.PENDING:
            return "nothing to do"
        point.attempts += 1
        if error is None:
            point.status = WeeklyPoint.Status.POSTED
            point.posted_at = timezone.now()
            point.last_error = ""
            outcome = "posted"
        else:
            point.last_error = f"{type(error).__name__}: {error}"[:2000]
            delay = retry_delay(point.attempts) if retry else None
            if delay is None:
                point.status = WeeklyPoint.Status.FAILED
                outcome = "failed"
            else:
                deliver_weekly_point.using(run_after=timezone.now() + delay).enqueue(point.pk)
                outcome = "retry scheduled"
            logger.warning(
                "weekly point %s not posted (attempt %s): %s", point.pk, point.attempts, error
            )
        point.save(update_fields=["attempts", "status", "posted_at", "last_error"])
    return outcome


def post_again(points: Iterable[WeeklyPoint]) -> int:
    """Give points that were not posted a fresh round of attempts (after fixing the chat)."""
    ids = [
        p.pk for p in points if p.status in (WeeklyPoint.Status.FAILED, WeeklyPoint.Status.NO_CHAT)
    ]
    with transaction.atomic():
        WeeklyPoint.objects.filter(pk__in=ids).update(
            status=WeeklyPoint.Status.PENDING, attempts=0, last_error=""
        )
        for point_id in ids:
            deliver_weekly_point.enqueue(point_id)
    return len(ids)
