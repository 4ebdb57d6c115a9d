"""The scheduler's jobs, their due slots and the catch-up rule.

Each job is due at slots: every minute (the weekly points, whose cells choose their own day and
time) or once a day at G2ID_DAILY_JOBS_AT, Europe/Paris. A run claims the job's latest due
slot in its JobRun row, under a row lock, before doing anything: a scheduler that was down over
several slots runs the job once, for the latest one, and two schedulers never run one slot
twice. The claim is committed before the job runs, so a failing job is reported and tried
again at its next slot, not every minute.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from g2id.agenda.schedule import local_zone
from g2id.scheduling.models import JobRun

logger = logging.getLogger(__name__)

MINUTE = "minute"
DAILY = "daily"


@dataclass(frozen=True)
class Job:
    name: str
    every: str
    run: Callable[[datetime.datetime], str]


def _weekly_points(now: datetime.datetime) -> str:
    from g2id.weekly.services import post_due_weekly_points

    return f"weekly points posted: {post_due_weekly_points(now)}"


def _positioning(now: datetime.datetime) -> str:
    from g2id.positioning.digest import send_opinion_digests
    from g2id.positioning.services import send_invitation_reminders

    digests = send_opinion_digests(timezone.localdate(now))
    reminders = send_invitation_reminders(now=now)
    return f"opinion digests queued: {digests}, invitation reminders queued: {reminders}"


def _interventions(now: datetime.datetime) -> str:
    from g2id.interventions.services import close_unanswered, send_impact_checks

    closed = close_unanswered(now)
    checks = send_impact_checks(now)
    return f"interventions closed without an answer: {closed}, impact checks sent: {checks}"


def _steering(now: datetime.datetime) -> str:
    from g2id.steering.services import prepare_next_meetings

    return f"steering meetings prepared: {prepare_next_meetings(now)}"


def _rate_counts(now: datetime.datetime) -> str:
    from g2id.public.throttle import forget_past_windows

    return f"rate counts of past windows deleted: {forget_past_windows(now)}"


JOBS = [
    Job("weekly_points", MINUTE, _weekly_points),
    Job("positioning_daily", DAILY, _positioning),
    Job("interventions_daily", DAILY, _interventions),
    Job("steering_meetings", DAILY, _steering),
    Job("rate_counts", DAILY, _rate_counts),
]


def daily_time() -> datetime.time:
    """G2ID_DAILY_JOBS_AT as a time ("07:00")."""
    hours, _sep, minutes = settings.G2ID_DAILY_JOBS_AT.partition(":")
    return datetime.time(int(hours), int(minutes or 0))


def latest_slot(job: Job, now: datetime.datetime) -> datetime.datetime:
    """The latest slot at which the job was due, at `now` or before."""
    local = timezone.localtime(now, local_zone())
    if job.every == MINUTE:
        return local.replace(second=0, microsecond=0)
    today = datetime.datetime.combine(local.date(), daily_time(), tzinfo=local_zone())
    return today if today <= local else today - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Outcome:
    job: str
    slot: datetime.datetime
    ran: bool
    summary: str
    failed: bool = False


def claim(job: Job, slot: datetime.datetime, now: datetime.datetime) -> bool:
    """Record `slot` as the job's last one; False when it (or a later one) already was."""
    try:
        with transaction.atomic():
            created = JobRun.objects.create(job=job.name, last_slot=slot, started_at=now)
    except IntegrityError:  # the row exists (perhaps created by the other scheduler just now)
        created = None
    if created is not None:
        return True
    with transaction.atomic():
        run = JobRun.objects.select_for_update().get(job=job.name)
        if run.last_slot >= slot:
            return False
        run.last_slot, run.started_at = slot, now
        run.finished_at, run.outcome, run.failed = None, "", False
        run.save(update_fields=["last_slot", "started_at", "finished_at", "outcome", "failed"])
    return True


def run_job(job: Job, now: datetime.datetime) -> Outcome:
    slot = latest_slot(job, now)
    if not claim(job, slot, now):
        return Outcome(job.name, slot, ran=False, summary="not due")
    failed = False
    try:
        with translation.override(settings.LANGUAGE_CODE):
            summary = job.run(now)
    except Exception as error:  # reported, recorded; the other jobs still run
        logger.exception("Scheduled job %s failed", job.name)
        summary, failed = f"failed: {error!r}", True
    JobRun.objects.filter(job=job.name, last_slot=slot).update(
        finished_at=timezone.now(), outcome=summary, failed=failed
    )
    return Outcome(job.name, slot, ran=True, summary=summary, failed=failed)


def run_due(now: datetime.datetime | None = None, jobs: list[Job] | None = None) -> list[Outcome]:
    """Run every job whose latest slot has not been run yet."""
    now = now or timezone.now()
    return [run_job(job, now) for job in (JOBS if jobs is None else jobs)]
