"""Posting the weekly point to a real HTTP server on 127.0.0.1, retries, once a week, mail."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from g2id.notifications.models import OutgoingMail
from g2id.weekly.models import ChatKind, WeeklyPoint
from g2id.weekly.services import chat_payload, post_again, post_due_weekly_points, post_weekly_point
from tests.conftest import run_tasks
from tests.weekly.conftest import at, configure

MARKDOWN = "## Point\n\n- [G2ID-2026-0001](https://g2id.example/x) **Relances**\n"


def test_each_chat_gets_the_same_markdown_in_its_own_json():
    assert chat_payload(ChatKind.MATTERMOST, MARKDOWN) == {"text": MARKDOWN}
    assert chat_payload(ChatKind.ROCKETCHAT, MARKDOWN) == {"text": MARKDOWN}
    assert chat_payload(ChatKind.SLACK, MARKDOWN) == {"text": MARKDOWN, "mrkdwn": True}
    hookshot = chat_payload(ChatKind.HOOKSHOT, MARKDOWN)
    assert hookshot["text"] == MARKDOWN
    assert "<h2>Point</h2>" in hookshot["html"]
    assert '<a href="https://g2id.example/x"' in hookshot["html"]
    assert "<strong>Relances</strong>" in hookshot["html"]


@pytest.mark.parametrize("kind", [ChatKind.MATTERMOST, ChatKind.SLACK, ChatKind.HOOKSHOT])
def test_the_worker_posts_the_point_to_the_chat(cell, chat, kind):
    configure(cell, chat.url, chat_kind=kind)
    point, created = post_weekly_point(cell, now=timezone.now())
    assert created and point.status == WeeklyPoint.Status.PENDING
    assert chat.received == []  # nothing leaves the web process

    run_tasks()

    assert chat.paths == ["/hooks/abc123"]
    (received,) = chat.received
    assert received == chat_payload(kind, point.markdown)
    assert "Cellule SIGB" in received["text"]
    point.refresh_from_db()
    assert point.status == WeeklyPoint.Status.POSTED
    assert point.attempts == 1 and point.posted_at is not None and point.last_error == ""


def test_a_chat_answering_500_is_tried_again_later(cell, chat):
    chat.answers = [500, 200]
    configure(cell, chat.url)
    point, _created = post_weekly_point(cell, now=timezone.now())
    run_tasks()
    point.refresh_from_db()
    assert point.status == WeeklyPoint.Status.PENDING
    assert point.attempts == 1
    assert "HTTP 500" in point.last_error

    run_tasks()  # the retry is not due yet
    assert len(chat.received) == 1

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        run_tasks()
    point.refresh_from_db()
    assert len(chat.received) == 2
    assert point.status == WeeklyPoint.Status.POSTED and point.attempts == 2


def test_a_hanging_chat_times_out_and_is_retried(cell, hanging_server):
    configure(cell, hanging_server)
    point, _created = post_weekly_point(cell, now=timezone.now())
    run_tasks()
    point.refresh_from_db()
    assert point.status == WeeklyPoint.Status.PENDING
    assert point.attempts == 1
    assert "timed out" in point.last_error.lower() or "Timeout" in point.last_error


def test_after_the_last_retry_the_point_fails_and_can_be_posted_again(cell, chat, settings):
    settings.G2ID_WEBHOOK_RETRY_DELAYS = [1]
    chat.answers = [404, 503]
    configure(cell, chat.url)
    point, _created = post_weekly_point(cell, now=timezone.now())
    later = timezone.now()
    for _ in range(2):
        later += datetime.timedelta(seconds=5)
        with time_machine.travel(later):
            run_tasks()
    point.refresh_from_db()
    assert point.status == WeeklyPoint.Status.FAILED
    assert point.attempts == 2 and "HTTP 503" in point.last_error

    assert post_again([point]) == 1
    run_tasks()
    point.refresh_from_db()
    assert point.status == WeeklyPoint.Status.POSTED
    assert len(chat.received) == 3


def test_a_redirect_is_not_followed(cell, chat):
    chat.answers = [302]
    configure(cell, chat.url)
    point, _created = post_weekly_point(cell, now=timezone.now())
    run_tasks()
    point.refresh_from_db()
    assert "HTTP 302" in point.last_error
    assert len(chat.received) == 1


def test_an_address_that_became_private_is_refused_at_posting_time(cell, chat, settings):
    configure(cell, chat.url)
    point, _created = post_weekly_point(cell, now=timezone.now())
    settings.G2ID_WEBHOOK_ALLOW_PRIVATE = False  # as if DNS now answered a private address
    run_tasks()
    point.refresh_from_db()
    assert chat.received == []
    assert point.status == WeeklyPoint.Status.FAILED  # retrying would not help
    assert "127.0.0.1" in point.last_error


def test_a_week_has_one_point_whatever_the_calls(cell, chat):
    configure(cell, chat.url, email_members=True)
    first, created = post_weekly_point(cell, now=at(2026, 11, 30, 9, 30))
    again, created_again = post_weekly_point(cell, now=at(2026, 12, 4, 18, 0))
    assert created and not created_again and again.pk == first.pk
    run_tasks()
    assert len(chat.received) == 1
    (mail,) = OutgoingMail.objects.filter(subject__contains="2026-W49")
    assert sorted(mail.to) == sorted(cell.team_emails()) and len(mail.to) == 5
    assert mail.body.strip() == first.markdown.strip()
    next_week, created_next = post_weekly_point(cell, now=at(2026, 12, 7, 9, 30))
    assert created_next and next_week.week == "2026-W50"


def test_without_a_chat_the_point_is_recorded_and_mailed_only(cell):
    configure(cell, email_members=True)
    point, _created = post_weekly_point(cell, now=timezone.now())
    assert point.status == WeeklyPoint.Status.NO_CHAT
    assert OutgoingMail.objects.count() == 1


def test_due_points_are_posted_once_and_a_missed_run_is_caught_up(cell, chat):
    configure(cell, chat.url, weekday=0, time=datetime.time(9, 30))
    assert post_due_weekly_points(at(2026, 11, 30, 9, 29)) == 0
    # The scheduler was down on Monday: Wednesday's run catches up, then nothing more.
    assert post_due_weekly_points(at(2026, 12, 2, 15, 0)) == 1
    assert post_due_weekly_points(at(2026, 12, 2, 15, 5)) == 0
    assert post_due_weekly_points(at(2026, 12, 6, 23, 59)) == 0
    assert post_due_weekly_points(at(2026, 12, 7, 9, 30)) == 1
    assert list(WeeklyPoint.objects.values_list("week", flat=True).order_by("week")) == [
        "2026-W49", "2026-W50",
    ]  # fmt: skip


def test_a_cell_with_nowhere_to_post_has_no_point(cell):
    configure(cell)
    assert post_due_weekly_points(at(2026, 12, 2, 15, 0)) == 0
    assert not WeeklyPoint.objects.exists()


def test_the_weekly_points_command_posts_the_due_points(cell, chat, time_machine):
    configure(cell, chat.url, weekday=4, time=datetime.time(14, 0))
    time_machine.move_to(at(2026, 12, 4, 14, 1), tick=False)
    out = io.StringIO()
    call_command("weekly_points", stdout=out)
    assert out.getvalue().strip() == "weekly points recorded: 1"
    call_command("weekly_points", stdout=out)
    assert out.getvalue().strip().endswith("weekly points recorded: 0")
