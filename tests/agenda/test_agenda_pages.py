"""A member's agenda pages: upcoming events, adding, changing and deleting, who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2id.agenda.models import Event
from tests.agenda.conftest import make_event, paris, weekly_point
from tests.factories import national_cell

AGENDA = "/espace/agenda/"
ADD = "/espace/agenda/nouveau/"


def edit_url(event: Event) -> str:
    return f"/espace/agenda/{event.pk}/modifier/"


def delete_url(event: Event) -> str:
    return f"/espace/agenda/{event.pk}/supprimer/"


def form_data(**fields) -> dict[str, str]:
    data = {
        "kind": "absence",
        "title": "Congés",
        "starts_at": "2026-03-23T09:00",
        "ends_at": "2026-03-27T18:00",
        "recurrence": "",
        "recurrence_until": "",
        "location": "",
        "notes": "",
    }
    data.update(fields)
    return data


@pytest.fixture
def own_event(member):
    return make_event(person=member)


@pytest.fixture
def cell_event(db):
    return weekly_point()


# The page


def test_the_agenda_needs_a_login(client):
    response = client.get(AGENDA)
    assert response.status_code == 302
    assert response.url.startswith("/connexion/")


def test_a_member_sees_their_events_and_their_cells_coming_weeks(client, member, own_event):
    weekly_point()
    client.force_login(member)
    page = client.get(AGENDA).content.decode()
    assert "Formation Koha à Rodez" in page
    assert page.count("Point hebdomadaire") == 8  # Tuesdays from 17 March to 5 May
    assert "Informatique documentaire" in page


def test_the_page_shows_the_private_and_the_public_feed_addresses(client, member):
    client.force_login(member)
    page = client.get(AGENDA).content.decode()
    assert f"http://testserver/agenda/prive/{member.calendar_token}.ics" in page
    assert f"http://testserver/equipe/{member.slug}/agenda.ics" in page
    assert "http://testserver/agenda/informatique-documentaire.ics" in page


def test_a_member_can_give_the_private_feed_a_new_address(client, member):
    old = member.calendar_token
    client.force_login(member)
    response = client.post("/espace/agenda/adresse-privee/")
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.calendar_token != old
    assert client.get(f"/agenda/prive/{old}.ics").status_code == 404
    assert client.get(f"/agenda/prive/{member.calendar_token}.ics").status_code == 200


def test_a_member_can_only_edit_their_own_events_and_not_the_cells(
    client, member, own_event, cell_event
):
    client.force_login(member)
    page = client.get(AGENDA).content.decode()
    assert edit_url(own_event) in page
    assert edit_url(cell_event) not in page


def agenda_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(AGENDA).status_code == 200
    return len(queries)


def test_the_page_takes_as_many_queries_for_thirty_events_as_for_one(client, coordinator):
    client.force_login(coordinator)
    make_event(person=coordinator)
    weekly_point()
    few = agenda_queries(client)
    for day in range(29):
        start = paris(2026, 3, 17, 14) + datetime.timedelta(days=day)
        make_event(person=coordinator, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
        weekly_point(starts_at=start, ends_at=start + datetime.timedelta(minutes=30))
    assert agenda_queries(client) == few


# Adding


def test_a_member_adds_an_absence_to_their_agenda(client, member):
    client.force_login(member)
    response = client.post(ADD, form_data())
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.person, event.cell, event.created_by) == (member, None, member)
    assert event.starts_at == paris(2026, 3, 23, 9)
    assert event.ends_at == paris(2026, 3, 27, 18)


def test_a_member_has_no_choice_of_agenda_and_cannot_write_into_the_cells(client, member):
    client.force_login(member)
    assert 'name="owner"' not in client.get(ADD).content.decode()
    client.post(ADD, form_data(owner="informatique-documentaire"))
    event = Event.objects.get()
    assert (event.person, event.cell) == (member, None)


def test_a_coordinator_adds_the_weekly_point_to_the_cells_agenda(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        ADD,
        form_data(
            owner="informatique-documentaire",
            kind="meeting",
            title="Point hebdomadaire",
            starts_at="2026-03-17T10:00",
            ends_at="2026-03-17T10:30",
            recurrence="weekly",
            location="https://visio.example.org/g2id",
        ),
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.person, event.cell, event.recurrence) == (None, national_cell(), "weekly")
    assert event.recurrence_until is None


def test_a_coordinator_cannot_add_to_another_cells_agenda(client, other_coordinator):
    client.force_login(other_coordinator)
    response = client.post(ADD, form_data(owner="informatique-documentaire"))
    assert response.status_code == 400
    assert not Event.objects.exists()


def test_anonymous_visitors_cannot_add(client):
    response = client.post(ADD, form_data())
    assert response.status_code == 302
    assert not Event.objects.exists()


# Changing and deleting: personas


@pytest.mark.parametrize(
    ("persona", "target", "allowed"),
    [
        ("member", "own_event", True),
        ("colleague", "own_event", False),
        ("coordinator", "own_event", False),
        ("other_coordinator", "own_event", False),
        ("member", "cell_event", False),
        ("coordinator", "cell_event", True),
        ("other_coordinator", "cell_event", False),
    ],
)
def test_who_may_change_and_delete_an_event(client, request, persona, target, allowed):
    event = request.getfixturevalue(target)
    client.force_login(request.getfixturevalue(persona))
    expected = 200 if allowed else 404
    assert client.get(edit_url(event)).status_code == expected
    assert client.get(delete_url(event)).status_code == expected

    response = client.post(edit_url(event), form_data(title="Changé", owner=""))
    event.refresh_from_db()
    assert (event.title == "Changé") is allowed
    if not allowed:
        assert response.status_code == 404

    response = client.post(delete_url(event))
    assert Event.objects.filter(pk=event.pk).exists() is not allowed
    assert response.status_code == (302 if allowed else 404)


def test_anonymous_visitors_are_sent_to_the_login_page(client, own_event):
    for url in (edit_url(own_event), delete_url(own_event)):
        assert client.get(url).status_code == 302
        assert client.post(url).status_code == 302
    assert Event.objects.filter(pk=own_event.pk).exists()


def test_a_coordinator_moves_the_weekly_point_and_keeps_it_in_the_cell(
    client, coordinator, cell_event
):
    client.force_login(coordinator)
    response = client.post(
        edit_url(cell_event),
        form_data(
            owner="informatique-documentaire",
            kind="meeting",
            title="Point hebdomadaire",
            starts_at="2026-03-17T11:00",
            ends_at="2026-03-17T11:30",
            recurrence="weekly",
        ),
    )
    assert response.status_code == 302
    cell_event.refresh_from_db()
    assert cell_event.cell == national_cell() and cell_event.person is None
    assert cell_event.starts_at == paris(2026, 3, 17, 11)


# Bad input


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"ends_at": "2026-03-23T08:00"}, "ends_at", "La fin doit venir après le début"),
        ({"ends_at": "2026-03-23T09:00"}, "ends_at", "La fin doit venir après le début"),
        (
            {"recurrence": "weekly", "recurrence_until": "2026-03-01"},
            "recurrence_until",
            "ne peut pas précéder le premier jour",
        ),
        (
            {"recurrence": "weekly", "ends_at": "2026-04-23T09:00"},
            "ends_at",
            "7 jours au plus",
        ),
        ({"starts_at": "1900-01-01T09:00"}, "starts_at", "entre 2000 et 2100"),
        ({"starts_at": "9999-12-31T23:59"}, "starts_at", "entre 2000 et 2100"),
        ({"starts_at": "pas une date"}, "starts_at", "valide"),
        ({"starts_at": "2026-03-29T02:30"}, "starts_at", "Europe/Paris"),
        ({"title": ""}, "title", "obligatoire"),
        ({"kind": "vacances"}, "kind", "valide"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(
    client, member, fields, field, message
):
    client.force_login(member)
    response = client.post(ADD, form_data(**fields))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field]), errors[field]
    assert not Event.objects.exists()


def test_a_repetition_without_an_end_is_allowed(client, member):
    client.force_login(member)
    response = client.post(
        ADD,
        form_data(starts_at="2026-03-18T09:00", ends_at="2026-03-18T10:00", recurrence="monthly"),
    )
    assert response.status_code == 302
    assert Event.objects.get().recurrence_until is None


def test_an_end_of_repetition_without_repetition_is_dropped(client, member):
    client.force_login(member)
    client.post(ADD, form_data(recurrence_until="2026-06-30"))
    assert Event.objects.get().recurrence_until is None


def test_a_refused_change_leaves_the_event_as_it_was(client, member, own_event):
    client.force_login(member)
    response = client.post(
        edit_url(own_event), form_data(starts_at="2026-03-20T10:00", ends_at="2026-03-20T09:00")
    )
    assert response.status_code == 400
    own_event.refresh_from_db()
    assert own_event.title == "Formation Koha à Rodez"


def test_the_form_shows_the_dates_in_the_datetime_local_format(client, member, own_event):
    client.force_login(member)
    page = client.get(edit_url(own_event)).content.decode()
    assert 'type="datetime-local"' in page
    assert 'value="2026-03-18T09:30"' in page
