"""planned → in_progress → delivered → closed, through Request.change_status."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from g2id.interventions import services
from g2id.interventions.models import Survey
from g2id.notifications.models import OutgoingMail
from g2id.requests.models import IllegalTransition, Party, Status
from tests.factories import UserFactory, member_of
from tests.interventions.conftest import add_deliverable, delivered, in_progress, person


def statuses(intervention) -> list[str]:
    return list(intervention.request.events.values_list("to_status", flat=True))


def test_the_lifecycle_is_recorded_in_the_history(intervention):
    anne = person("anne")
    services.plan(intervention, by=anne)
    services.start(intervention, by=anne)
    add_deliverable(intervention)
    services.deliver(intervention, by=anne)
    services.close(intervention, by=person("coord"), reason="Tout est en place.")
    assert statuses(intervention)[-4:] == [
        Status.PLANNED,
        Status.IN_PROGRESS,
        Status.DELIVERED,
        Status.CLOSED,
    ]
    last = intervention.request.events.last()
    assert last.actor_user == person("coord") and last.reason == "Tout est en place."
    intervention.refresh_from_db()
    assert intervention.closed_at is not None


@pytest.mark.parametrize(
    "verb", [services.start, services.close], ids=["start before planning", "close too early"]
)
def test_illegal_moves_are_refused(intervention, verb):
    with pytest.raises(IllegalTransition):
        verb(intervention, by=person("anne"))
    intervention.request.refresh_from_db()
    assert intervention.request.status == Status.ACCEPTED


def test_deliver_before_starting_is_refused(intervention):
    services.plan(intervention, by=person("anne"))
    with pytest.raises(IllegalTransition):
        services.deliver(intervention, by=person("anne"), reason="Trop tôt")
    assert not Survey.objects.exists()


def test_only_the_interventions_members_and_the_coordinator_act(intervention, cell):
    # denis is in the cell but not in the intervention; the other one serves another cell.
    for outsider in (person("denis"), member_of(person=UserFactory(username="ailleurs"))):
        with pytest.raises(PermissionDenied):
            services.plan(intervention, by=outsider)
    services.plan(intervention, by=person("coord"))  # the coordinator may
    services.start(intervention, by=person("bruno"))  # and so may a contributor


def test_delivery_needs_a_deliverable_or_a_written_reason(intervention):
    in_progress(intervention)
    with pytest.raises(ValidationError) as refused:
        services.deliver(intervention, by=person("anne"), reason="   ")
    assert refused.value.message_dict["reason"] == [
        gettext("Add a deliverable before delivering, or explain in writing why there is none.")
    ]
    intervention.request.refresh_from_db()
    assert intervention.request.status == Status.IN_PROGRESS
    assert not Survey.objects.exists()

    services.deliver(intervention, by=person("anne"), reason="Conseil oral, rien à livrer.")
    event = intervention.request.events.last()
    assert event.to_status == Status.DELIVERED and event.reason == "Conseil oral, rien à livrer."


def test_a_deliverable_is_enough_to_deliver(intervention):
    in_progress(intervention)
    add_deliverable(intervention)
    services.deliver(intervention, by=person("anne"))
    assert intervention.request.status == Status.DELIVERED


def test_delivery_mails_the_survey_link_to_the_library(intervention):
    delivered(intervention)
    survey = intervention.survey
    assert survey.expires_at - survey.sent_at == datetime.timedelta(days=30)
    mails = OutgoingMail.objects.filter(to=[intervention.request.contact_email])
    assert any(f"http://testserver/enquete/{survey.token}/" in m.body for m in mails)
    assert intervention.request.events.last().actor_party == Party.TEAM
