"""A coordinator hands a request over to another cell; the history keeps the transfer."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from g2id.requests.models import IllegalTransfer, Status
from g2id.team.models import Membership
from tests.conftest import run_tasks
from tests.factories import CellFactory, member_of, national_cell


@pytest.fixture
def coordinator(db):
    return member_of(role=Membership.Role.COORDINATOR)


@pytest.fixture
def multimedia(db):
    return CellFactory(name="Multimédia", slug="multimedia")


def test_a_coordinator_transfers_a_request_and_the_history_says_so(
    client, coordinator, multimedia, filed
):
    receiver = member_of(multimedia)
    run_tasks()
    mail.outbox.clear()
    client.force_login(coordinator)
    response = client.post(
        f"/espace/demandes/{filed.reference}/transfert/",
        {"to_cell": "multimedia", "reason": "Il s'agit de vidéos, pas de SIGB."},
    )
    assert response.status_code == 302
    filed.refresh_from_db()
    assert filed.cell == multimedia
    assert filed.status == Status.SUBMITTED
    event = filed.events.last()
    assert (event.from_cell, event.to_cell, event.actor_user) == (
        national_cell(),
        multimedia,
        coordinator,
    )
    run_tasks()
    assert [m.to for m in mail.outbox] == [[receiver.email]]
    tracking = client.get(filed.tracking_path).content.decode()
    assert "Multimédia" in tracking
    assert "pas de SIGB" not in tracking  # the reason stays inside the teams
    team_page = client.get(f"/espace/demandes/{filed.reference}/")
    assert team_page.status_code == 404  # the national coordinator no longer serves it


def test_a_plain_member_cannot_transfer(client, filed, multimedia):
    client.force_login(member_of())
    response = client.post(
        f"/espace/demandes/{filed.reference}/transfert/",
        {"to_cell": "multimedia", "reason": "x"},
    )
    assert response.status_code == 403
    filed.refresh_from_db()
    assert filed.cell == national_cell()


def test_the_transfer_form_is_shown_to_coordinators_only(client, coordinator, multimedia, filed):
    client.force_login(coordinator)
    assert "transfert/" in client.get(f"/espace/demandes/{filed.reference}/").content.decode()
    client.force_login(member_of())
    assert "transfert/" not in client.get(f"/espace/demandes/{filed.reference}/").content.decode()


def test_a_transfer_needs_a_reason(client, coordinator, multimedia, filed):
    client.force_login(coordinator)
    response = client.post(
        f"/espace/demandes/{filed.reference}/transfert/", {"to_cell": "multimedia", "reason": ""}
    )
    assert response.status_code == 400
    filed.refresh_from_db()
    assert filed.cell == national_cell()


def test_a_finished_request_is_not_transferred(coordinator, multimedia, filed):
    filed.withdraw()
    with pytest.raises(IllegalTransfer):
        filed.transfer(to=multimedia, by=coordinator, reason="trop tard")


def test_another_cells_coordinator_cannot_transfer_our_request(multimedia, filed):
    theirs = member_of(
        multimedia,
        role=Membership.Role.COORDINATOR,
        start_date=datetime.date(2025, 1, 1),
    )
    with pytest.raises(PermissionDenied):
        filed.transfer(to=multimedia, by=theirs, reason="on la prend")
