"""The team's busiest pages are kept per member until G2ID's data changes, never longer."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from g2id.positioning.services import invite_expert, revoke_invitation
from g2id.public.cache import TEAM_PAGES, PageVersion
from g2id.requests.models import Party
from g2id.requests.services import post_message
from g2id.suggestions.services import suggestions_of
from g2id.team.models import Membership
from tests.factories import (
    CellFactory,
    UserFactory,
    file_request,
    member_of,
    national_cell,
    skilled_member,
)

# A stored page costs the session, the member and one cache read.
HIT_BUDGET = 3


def visit(client: Client, address: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(queries), response.content.decode()


def logged_in(person) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    return client


@pytest.fixture
def coordinator(db):
    return member_of(person=UserFactory(username="coord"), role=Membership.Role.COORDINATOR)


def test_a_second_visit_of_the_inbox_reads_the_stored_page(coordinator):
    file_request(title="Relances Koha")
    client = logged_in(coordinator)
    first_count, _first = visit(client, "/espace/demandes/")
    count, again = visit(client, "/espace/demandes/")
    assert count <= HIT_BUDGET < first_count
    assert "Relances Koha" in again


def test_a_request_filed_meanwhile_is_in_the_inbox_at_once(coordinator):
    client = logged_in(coordinator)
    visit(client, "/espace/demandes/")
    file_request(title="Export UNIMARC")
    assert "Export UNIMARC" in visit(client, "/espace/demandes/")[1]


def test_a_message_posted_meanwhile_is_on_the_request_page_at_once(coordinator, filed):
    client = logged_in(coordinator)
    page = filed.get_absolute_url()
    visit(client, page)
    post_message(request=filed, body="Voici la version : Koha 23.11.", party=Party.LIBRARY)
    assert "Koha 23.11" in visit(client, page)[1]


def test_a_revoked_invitation_is_shown_revoked_at_once(coordinator, filed):
    filed.take_into_review(by=coordinator)
    invitation = invite_expert(filed, by=coordinator, email="experte@bnf.fr", name="Inès Roy")
    client = logged_in(coordinator)
    page = filed.get_absolute_url()
    withdraw = "Retirer l'invitation de experte@bnf.fr"
    assert withdraw in visit(client, page)[1]
    revoke_invitation(invitation, by=coordinator)
    assert withdraw not in visit(client, page)[1]


def test_the_page_stored_for_one_member_is_never_served_to_another(coordinator):
    file_request(title="Relances Koha")
    other_cell = CellFactory(slug="cellule-regionale", name="Cellule régionale")
    stranger = member_of(other_cell, person=UserFactory(username="autre"))
    visit(logged_in(coordinator), "/espace/demandes/")
    assert "Relances Koha" not in visit(logged_in(stranger), "/espace/demandes/")[1]


def test_a_member_who_leaves_the_cell_no_longer_gets_its_pages(coordinator, filed):
    leaving = member_of(person=UserFactory(username="partante"))
    client = logged_in(leaving)
    visit(client, filed.get_absolute_url())
    leaving.memberships.all().delete()
    assert client.get(filed.get_absolute_url()).status_code == 404


def test_each_session_gets_a_stored_page_with_its_own_csrf_token(coordinator, filed):
    """Two browsers of the same member: both post with the token of the page they got."""
    page = filed.get_absolute_url()
    for client in (logged_in(coordinator), logged_in(coordinator)):
        html = visit(client, page)[1]
        assert "g2id-fresh" not in html
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        answer = client.post(
            f"{page}message/",
            {"csrfmiddlewaretoken": token, "body": "Note de suivi.", "internal": "on"},
        )
        assert answer.status_code == 302, answer.status_code


def test_the_confirmation_of_an_action_is_shown_once_on_the_stored_page(coordinator, filed):
    client = Client()
    client.force_login(coordinator)
    page = filed.get_absolute_url()
    visit(client, page)
    client.post(f"{page}instruire/")
    confirmation = "La demande est désormais en instruction."
    assert confirmation in visit(client, page)[1]
    assert confirmation not in visit(client, page)[1]


def test_the_tracking_page_shows_the_teams_reply_at_once(coordinator, filed):
    client = Client()
    visit(client, filed.tracking_path)
    post_message(
        request=filed,
        body="Pouvez-vous préciser la version ?",
        party=Party.TEAM,
        author=coordinator,
    )
    assert "préciser la version" in visit(client, filed.tracking_path)[1]


def test_the_cache_can_be_switched_off(coordinator, settings):
    settings.G2ID_TEAM_PAGE_CACHE = False
    client = logged_in(coordinator)
    first_count, _page = visit(client, "/espace/demandes/")
    assert visit(client, "/espace/demandes/")[0] == first_count


def renewals_of_the_team_version(change, on_commit) -> int:
    """How many times `change()`, run in a transaction, renews the team pages' version."""
    with (
        mock.patch.object(PageVersion, "renew", autospec=True) as renew,
        on_commit(execute=True),
        transaction.atomic(),
    ):
        change()
    return sum(1 for call in renew.call_args_list if call.args[0] is TEAM_PAGES)


def test_a_transaction_renews_the_version_once_however_many_rows_it_changes(
    django_capture_on_commit_callbacks,
):
    cell = national_cell()
    visit(Client(), "/equipe/")  # a page read: the next change renews the version at once

    def rename_three_times() -> None:
        for name in ("Un", "Deux", "Trois"):
            cell.name = name
            cell.save()

    renewals = renewals_of_the_team_version(rename_three_times, django_capture_on_commit_callbacks)
    # SQLite: written in the transaction with the change; elsewhere at the commit.
    assert renewals == 1


def test_a_change_after_a_rolled_back_savepoint_still_renews_the_version(
    django_capture_on_commit_callbacks,
):
    cell = national_cell()
    visit(Client(), "/equipe/")

    def change_after_a_rollback() -> None:
        try:
            with transaction.atomic():
                cell.name = "Annulé"
                cell.save()
                raise RuntimeError
        except RuntimeError:
            pass
        cell.name = "Gardé"
        cell.save()

    renewals = renewals_of_the_team_version(
        change_after_a_rollback, django_capture_on_commit_callbacks
    )
    # SQLite: the version written in the savepoint was rolled back with it, the kept change
    # writes it again; elsewhere the renewal queued in the savepoint went with it too.
    assert renewals == (2 if connection.vendor == "sqlite" else 1)


def test_the_suggestions_are_kept_until_the_data_changes(coordinator, filed):
    first = suggestions_of(filed)
    with CaptureQueriesContext(connection) as queries:
        assert suggestions_of(filed) == first
    assert len(queries) == 1
    skilled_member("sigbiste", skills={"A1": 3})
    assert "sigbiste" in [member.username for member in suggestions_of(filed).members]
