"""The request lifecycle: legal moves only, each one recorded and told to the library."""

from __future__ import annotations

import pytest
from django.core import mail

from g2id.requests.models import IllegalTransition, Party, Status
from g2id.requests.services import post_message
from tests.conftest import run_tasks


def test_a_new_request_is_received_with_one_history_event(filed):
    assert filed.status == Status.SUBMITTED
    events = list(filed.events.all())
    assert [(e.from_status, e.to_status, e.actor_party) for e in events] == [
        ("", Status.SUBMITTED, Party.LIBRARY)
    ]


def test_taking_a_request_into_review_records_who_and_when(filed, member):
    event = filed.take_into_review(by=member)
    filed.refresh_from_db()
    assert filed.status == Status.UNDER_REVIEW
    assert (event.from_status, event.to_status, event.actor_user) == (
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        member,
    )
    assert event.created_at is not None


def test_an_illegal_transition_is_refused_with_a_clear_message_and_changes_nothing(filed, member):
    with pytest.raises(IllegalTransition) as refused:
        filed.change_status(Status.DELIVERED, party=Party.TEAM, user=member)
    assert "Reçue" in str(refused.value) and "Livrée" in str(refused.value)
    filed.refresh_from_db()
    assert filed.status == Status.SUBMITTED
    assert filed.events.count() == 1


def test_the_question_round_trip_puts_the_review_on_hold_and_the_answer_resumes_it(filed, member):
    filed.take_into_review(by=member)
    filed.ask_library(by=member, question="Quelle version de Koha utilisez-vous ?")
    filed.refresh_from_db()
    assert filed.status == Status.NEEDS_INFO
    assert filed.messages.get().body == "Quelle version de Koha utilisez-vous ?"

    post_message(request=filed, body="Koha 23.11, hébergé chez nous.", party=Party.LIBRARY)

    filed.refresh_from_db()
    assert filed.status == Status.UNDER_REVIEW
    assert [e.to_status for e in filed.events.all()] == [
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.NEEDS_INFO,
        Status.UNDER_REVIEW,
    ]
    assert filed.events.last().actor_party == Party.LIBRARY


def test_a_question_can_only_be_asked_during_the_review(filed, member):
    with pytest.raises(IllegalTransition):
        filed.ask_library(by=member, question="Une question trop tôt")
    assert not filed.messages.exists()


@pytest.mark.parametrize(
    "path",
    [
        [],
        [Status.UNDER_REVIEW],
        [Status.UNDER_REVIEW, Status.NEEDS_INFO],
        [Status.UNDER_REVIEW, Status.ACCEPTED, Status.PLANNED, Status.IN_PROGRESS],
    ],
)
def test_the_library_may_withdraw_any_time_before_delivery(filed, member, path):
    for status in path:
        filed.change_status(status, party=Party.TEAM, user=member)
    filed.withdraw(reason="Nous avons trouvé une solution en interne.")
    filed.refresh_from_db()
    assert filed.status == Status.WITHDRAWN
    assert filed.events.last().reason == "Nous avons trouvé une solution en interne."


def test_a_delivered_request_can_no_longer_be_withdrawn(filed, member):
    for status in [
        Status.UNDER_REVIEW,
        Status.ACCEPTED,
        Status.PLANNED,
        Status.IN_PROGRESS,
        Status.DELIVERED,
    ]:
        filed.change_status(status, party=Party.TEAM, user=member)
    with pytest.raises(IllegalTransition):
        filed.withdraw()
    filed.refresh_from_db()
    assert filed.status == Status.DELIVERED


def test_a_withdrawn_request_is_final(filed, member):
    filed.withdraw()
    with pytest.raises(IllegalTransition):
        filed.take_into_review(by=member)


def test_a_stale_copy_cannot_bypass_the_lifecycle(filed, member):
    stale = type(filed).objects.get(pk=filed.pk)
    filed.withdraw()
    with pytest.raises(IllegalTransition):
        stale.take_into_review(by=member)
    filed.refresh_from_db()
    assert filed.status == Status.WITHDRAWN


def test_every_status_change_is_told_to_the_library_by_mail(filed, member):
    run_tasks()
    mail.outbox.clear()
    filed.take_into_review(by=member)
    run_tasks()
    assert [m.to for m in mail.outbox] == [[filed.contact_email]]
    assert "En instruction" in mail.outbox[0].subject
    assert filed.tracking_url in mail.outbox[0].body


def test_the_question_reaches_the_library_by_mail(filed, member):
    filed.take_into_review(by=member)
    run_tasks()
    mail.outbox.clear()
    filed.ask_library(by=member, question="Pouvez-vous joindre une lettre de relance ?")
    run_tasks()
    assert len(mail.outbox) == 1
    assert "Pouvez-vous joindre une lettre de relance ?" in mail.outbox[0].body


def test_a_withdrawal_is_confirmed_to_the_library_and_told_to_the_team(filed, member):
    run_tasks()
    mail.outbox.clear()
    filed.withdraw(reason="Plus besoin")
    run_tasks()
    recipients = sorted(address for m in mail.outbox for address in m.to)
    assert recipients == sorted([filed.contact_email, member.email])


def test_a_failed_transition_queues_no_mail(filed, member):
    from g2id.notifications.models import OutgoingMail

    before = OutgoingMail.objects.count()
    with pytest.raises(IllegalTransition):
        filed.change_status(Status.CLOSED, party=Party.TEAM, user=member)
    assert OutgoingMail.objects.count() == before
