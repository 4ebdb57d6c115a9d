"""Queue e-mails with the change that causes them; deliver them from the task worker."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from g2id.notifications.models import OutgoingMail

logger = logging.getLogger(__name__)


def queue_mail(
    *,
    to: Iterable[str],
    template: str,
    context: Mapping[str, Any],
    language: str = "fr",
    reply_to: str = "",
) -> OutgoingMail | None:
    """Render `template` (subject on its first line) and queue it in the current transaction."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return None
    with translation.override(language):
        rendered = render_to_string(template, {**context, "base_url": settings.PUBLIC_BASE_URL})
    subject, _sep, body = rendered.strip().partition("\n")
    # Inside the caller's transaction (the usual case) no savepoint is needed: nothing
    # catches a failure here to go on with the rest.
    with transaction.atomic(savepoint=False):
        mail = OutgoingMail.objects.create(
            to=recipients,
            subject=subject.strip()[:250],
            body=body.strip() + "\n",
            reply_to=reply_to,
        )
        # The task row is written in the same transaction as the mail and the change: a
        # rollback drops all three, a commit keeps all three.
        deliver_mail.enqueue(mail.pk)
    return mail


def retry_delay(attempts: int) -> datetime.timedelta | None:
    """How long to wait after `attempts` failures; None once retries are exhausted."""
    delays = settings.G2ID_MAIL_RETRY_DELAYS
    return datetime.timedelta(seconds=delays[attempts - 1]) if attempts <= len(delays) else None


@task()
def deliver_mail(mail_id: int) -> str:
    """Send one queued e-mail; on failure, schedule the next attempt with back-off."""
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status == OutgoingMail.Status.SENT:
            return "nothing to do"
        message = EmailMessage(
            subject=mail.subject,
            body=mail.body,
            to=mail.to,
            reply_to=[mail.reply_to] if mail.reply_to else None,
        )
        try:
            message.send()
        except Exception as error:  # any transport failure: SMTP, DNS, timeout, refused…
            mail.attempts += 1
            mail.last_error = f"{type(error).__name__}: {error}"[:2000]
            delay = retry_delay(mail.attempts)
            if delay is None:
                mail.status = OutgoingMail.Status.FAILED
            else:
                deliver_mail.using(run_after=timezone.now() + delay).enqueue(mail.pk)
            mail.save(update_fields=["attempts", "last_error", "status"])
            logger.warning("mail %s not sent (attempt %s): %s", mail.pk, mail.attempts, error)
            return "retry scheduled" if delay else "failed"
        mail.attempts += 1
        mail.status = OutgoingMail.Status.SENT
        mail.sent_at = timezone.now()
        mail.last_error = ""
        mail.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return "sent"


def send_again(mails: Iterable[OutgoingMail]) -> int:
    """Give unsent e-mails a fresh round of attempts (once an outage is over)."""
    ids = [mail.pk for mail in mails if mail.status != OutgoingMail.Status.SENT]
    with transaction.atomic():
        OutgoingMail.objects.filter(pk__in=ids).update(
            status=OutgoingMail.Status.PENDING, attempts=0
        )
        for mail_id in ids:
            deliver_mail.enqueue(mail_id)
    return len(ids)
