"""The iCalendar feeds: busy/free for the public, details at the member's secret address."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2id.agenda.models import Event
from g2id.public.cache import recent_copies
from tests.agenda.conftest import make_event, paris, weekly_point
from tests.factories import MembershipFactory, UserFactory

PRIVATE_WORDS = ("Koha", "Rodez", "MARC", "Point hebdomadaire", "visio", "Ordre du jour")


def fetch(client, url: str) -> icalendar.Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    for word in PRIVATE_WORDS if "/prive/" not in url else ():
        assert word.encode() not in response.content
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return list(calendar.walk("VEVENT"))


def test_the_cell_feed_shows_its_events_as_busy_only(client, member):
    point = weekly_point(recurrence_until=datetime.date(2026, 6, 30))
    make_event(person=member)
    calendar = fetch(client, "/agenda/informatique-documentaire.ics")
    assert "Informatique documentaire" in str(calendar["X-WR-CALNAME"])
    [event] = vevents(calendar)
    assert str(event["SUMMARY"]) == "Occupé"
    assert str(event["TRANSP"]) == "OPAQUE"
    assert "LOCATION" not in event and "DESCRIPTION" not in event and "CATEGORIES" not in event
    assert str(event["UID"]) == f"busy-{point.uid}"
    assert event.decoded("DTSTART") == paris(2026, 3, 17, 10)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert "DTSTAMP" in event
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["UNTIL"] == [paris(2026, 6, 30, 23, 59, 59).astimezone(datetime.UTC)]
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"


def test_the_members_public_feed_shows_their_events_and_their_cells_as_busy(client, member):
    make_event(person=member)
    weekly_point(recurrence=Event.Recurrence.FORTNIGHTLY)
    calendar = fetch(client, f"/equipe/{member.slug}/agenda.ics")
    events = vevents(calendar)
    assert [str(event["SUMMARY"]) for event in events] == ["Occupé", "Occupé"]
    assert all("LOCATION" not in e and "DESCRIPTION" not in e for e in events)
    [repeating] = [event for event in events if "RRULE" in event]
    assert repeating["RRULE"]["INTERVAL"] == [2]
    assert "UNTIL" not in repeating["RRULE"]


def test_the_private_feed_carries_the_details(client, member):
    absence = make_event(person=member)
    point = weekly_point()
    calendar = fetch(client, f"/agenda/prive/{member.calendar_token}.ics")
    events = {str(event["UID"]): event for event in vevents(calendar)}
    assert set(events) == {str(absence.uid), str(point.uid)}
    mine = events[str(absence.uid)]
    assert str(mine["SUMMARY"]) == "Formation Koha à Rodez"
    assert str(mine["LOCATION"]) == "Médiathèque de Rodez, salle 2"
    assert str(mine["DESCRIPTION"]) == "Apporter les exports MARC"
    assert "RRULE" not in mine
    assert events[str(point.uid)]["RRULE"]["FREQ"] == ["WEEKLY"]
    assert "Séance sur place" in mine["CATEGORIES"].to_ical().decode()


def test_the_feeds_do_not_show_events_finished_long_ago(client, member):
    make_event(person=member, starts_at=paris(2025, 6, 1, 9), ends_at=paris(2025, 6, 1, 10))
    weekly_point(
        starts_at=paris(2025, 1, 7, 10),
        ends_at=paris(2025, 1, 7, 10, 30),
        recurrence_until=datetime.date(2025, 6, 30),
    )
    assert vevents(fetch(client, f"/agenda/prive/{member.calendar_token}.ics")) == []


@pytest.mark.parametrize(
    "url",
    [
        "/agenda/prive/not-a-token.ics",
        "/agenda/prive/.ics",
        "/agenda/cellule-inconnue.ics",
        "/equipe/personne-inconnue/agenda.ics",
    ],
)
def test_an_unknown_address_is_not_found(client, member, url):
    assert client.get(url).status_code == 404


def test_someone_who_never_was_a_member_has_no_public_feed(client, outsider):
    assert client.get(f"/equipe/{outsider.slug}/agenda.ics").status_code == 404


def test_a_former_member_has_no_public_feed_any_more(client):
    former = MembershipFactory(
        start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2025, 12, 31)
    ).person
    assert client.get(f"/equipe/{former.slug}/agenda.ics").status_code == 404


def test_a_deactivated_account_has_no_private_feed(client, member):
    member.is_active = False
    member.save()
    assert client.get(f"/agenda/prive/{member.calendar_token}.ics").status_code == 404


def test_the_private_feed_is_not_cached_by_proxies(client, member):
    response = client.get(f"/agenda/prive/{member.calendar_token}.ics")
    assert response["Cache-Control"] == "private, no-store"


def test_the_feeds_are_in_french_whatever_the_browser_says(client, member):
    make_event(person=member)
    response = client.get(f"/equipe/{member.slug}/agenda.ics", HTTP_ACCEPT_LANGUAGE="en")
    assert b"SUMMARY:Occup\xc3\xa9" in response.content


def feed_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_feeds_take_as_many_queries_for_thirty_events_as_for_one(client, member):
    urls = [
        "/agenda/informatique-documentaire.ics",
        f"/equipe/{member.slug}/agenda.ics",
        f"/agenda/prive/{member.calendar_token}.ics",
    ]
    make_event(person=member)
    weekly_point()
    few = [feed_queries(client, url) for url in urls]
    for day in range(29):
        start = paris(2026, 4, 1, 9) + datetime.timedelta(days=day)
        make_event(person=member, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
        weekly_point(starts_at=start, ends_at=start + datetime.timedelta(minutes=30))
    recent_copies.clear()  # as in a process that never held the page (else one read more)
    assert [feed_queries(client, url) for url in urls] == few
    # Two or three for the feed; on a miss, five more to read and store it in the page cache.
    assert max(few) <= 8


def test_a_feed_of_someone_else_is_never_reachable_with_my_token(client, member):
    stranger = UserFactory(username="autre")
    make_event(person=stranger, title="Rendez-vous personnel")
    response = client.get(f"/agenda/prive/{member.calendar_token}.ics")
    assert b"Rendez-vous personnel" not in response.content
