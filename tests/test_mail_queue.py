"""Mail is queued with the change and retried: an SMTP outage delays mail and loses none."""

from __future__ import annotations

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from g2id.notifications.mail import deliver_mail, queue_mail, send_again
from g2id.notifications.models import OutgoingMail
from tests.conftest import run_tasks
from tests.factories import file_request

SMTP_DOWN = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def send_fails():
    return mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=SMTP_DOWN
    )


def test_an_smtp_outage_keeps_the_mail_and_retries_it_later():
    filed = file_request()
    with send_fails():
        run_tasks()
    receipt = OutgoingMail.objects.get(to=[filed.contact_email])
    assert receipt.status == OutgoingMail.Status.PENDING
    assert receipt.attempts == 1
    assert "SMTPServerDisconnected" in receipt.last_error
    assert mail.outbox == []

    run_tasks()  # the retry is not due yet
    assert mail.outbox == []

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        run_tasks()
    receipt.refresh_from_db()
    assert receipt.status == OutgoingMail.Status.SENT
    assert receipt.attempts == 2
    assert any(filed.tracking_url in m.body for m in mail.outbox)


def test_after_the_last_retry_the_mail_is_kept_as_failed_and_can_be_sent_again(settings):
    settings.G2ID_MAIL_RETRY_DELAYS = [1]
    file_request()
    later = timezone.now()
    with send_fails():
        for _ in range(2):
            later += datetime.timedelta(seconds=5)
            with time_machine.travel(later):
                run_tasks()
    failed = OutgoingMail.objects.filter(status=OutgoingMail.Status.FAILED)
    assert failed.count() == 1
    assert failed.get().attempts == 2

    assert send_again(OutgoingMail.objects.all()) == 1
    run_tasks()
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT).count() == 1


def test_mail_of_a_change_that_rolls_back_is_never_sent():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_mail(
            to=["x@example.org"], template="requests/mail/lost_link.txt", context={"found": []}
        )
        raise RuntimeError("the change failed")
    assert not OutgoingMail.objects.exists()
    run_tasks()
    assert mail.outbox == []


def test_a_mail_is_sent_once_even_if_its_task_runs_twice():
    queued = queue_mail(
        to=["x@example.org"], template="requests/mail/lost_link.txt", context={"found": []}
    )
    deliver_mail.call(queued.pk)
    deliver_mail.call(queued.pk)
    assert len(mail.outbox) == 1


def test_mail_to_the_library_is_written_in_its_language():
    filed = file_request(language="en")
    run_tasks()
    receipt = next(m for m in mail.outbox if m.to == [filed.contact_email])
    assert receipt.subject == f"[G2ID] Request {filed.reference} received"
