"""Sessions go into the members' agendas and feeds; the checklist keeps its order."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from g2id.agenda.models import Event
from g2id.interventions import services
from g2id.interventions.models import Session
from tests.interventions.conftest import person, session_on

DAY = timezone.localdate() + datetime.timedelta(days=7)


def test_a_session_appears_in_each_members_agenda(intervention):
    session = session_on(intervention, DAY)
    events = Event.objects.filter(intervention_sessions=session)
    assert {e.person.username for e in events} == {"anne", "bruno"}
    event = events.first()
    assert event.kind == Event.Kind.REMOTE
    assert event.location == "https://visio.example.fr/koha"
    assert intervention.request.reference in event.title
    assert timezone.localtime(event.starts_at).time() == datetime.time(9, 30)
    assert timezone.localtime(event.ends_at).date() == DAY


def test_changing_a_session_moves_the_events_and_deleting_it_removes_them(intervention):
    session = session_on(intervention, DAY)
    uids = set(session.events.values_list("uid", flat=True))
    session.date = DAY + datetime.timedelta(days=1)
    session.location = "Médiathèque Jean-Macé, salle 2"
    services.save_session(session, by=person("bruno"))
    events = Event.objects.filter(intervention_sessions=session)
    assert set(events.values_list("uid", flat=True)) == uids  # same events, kept in step
    assert {timezone.localtime(e.starts_at).date() for e in events} == {session.date}
    assert {e.location for e in events} == {"Médiathèque Jean-Macé, salle 2"}

    services.delete_session(session, by=person("anne"))
    assert not Event.objects.filter(uid__in=uids).exists()
    assert not Session.objects.exists()


def test_the_session_is_in_the_members_private_feed(client, intervention):
    session = session_on(intervention, DAY)
    anne = person("anne")
    response = client.get(f"/agenda/prive/{anne.calendar_token}.ics")
    calendar = icalendar.Calendar.from_ical(response.content)
    [event] = [e for e in calendar.walk("VEVENT") if intervention.request.reference in e["SUMMARY"]]
    assert str(event["LOCATION"]) == session.location
    assert event.decoded("DTSTART") == session.starts_at


def test_the_session_makes_the_member_busy_in_the_public_feed(client, intervention):
    session = session_on(intervention, DAY)
    response = client.get(f"/equipe/{person('bruno').slug}/agenda.ics")
    calendar = icalendar.Calendar.from_ical(response.content)
    starts = [e.decoded("DTSTART") for e in calendar.walk("VEVENT")]
    assert session.starts_at in starts
    assert b"visio.example.fr" not in response.content


def test_a_session_ending_before_it_starts_is_refused(intervention):
    with pytest.raises(ValidationError):
        session_on(intervention, DAY, start_time=datetime.time(14), end_time=datetime.time(10))
    assert not Event.objects.exists()


def test_a_member_outside_the_intervention_cannot_add_a_session(intervention):
    with pytest.raises(PermissionDenied):
        services.save_session(
            Session(
                intervention=intervention,
                date=DAY,
                start_time=datetime.time(9),
                end_time=datetime.time(10),
            ),
            by=person("denis"),
        )


def test_the_checklist(intervention):
    first = services.add_task(intervention, by=person("anne"), title="Relire les paramètres")
    second = services.add_task(intervention, by=person("bruno"), title="Former l'équipe")
    assert (first.order, second.order) == (0, 1)
    assert [t.title for t in intervention.tasks.all()] == [
        "Relire les paramètres",
        "Former l'équipe",
    ]
    services.set_task_done(first, by=person("bruno"), done=True)
    first.refresh_from_db()
    assert first.done and first.done_by == person("bruno") and first.done_at is not None
    services.set_task_done(first, by=person("bruno"), done=False)
    first.refresh_from_db()
    assert not first.done and first.done_by is None and first.done_at is None
    with pytest.raises(ValidationError):
        services.add_task(intervention, by=person("anne"), title="  ")
    services.delete_task(second, by=person("anne"))
    assert list(intervention.tasks.values_list("title", flat=True)) == ["Relire les paramètres"]
