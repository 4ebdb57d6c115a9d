"""The steering pages: who may see and do what, bad input, the register's search."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from g2id.agenda.models import Event
from g2id.steering.models import Meeting, Source, SteeringDecision
from tests.factories import CellFactory, member_of
from tests.steering.conftest import at, person, plan


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(at(2026, 3, 3, 10), tick=False):
        yield


def url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"steering:{name}", args=args)


def test_the_coordinator_plans_a_meeting_that_joins_the_cell_feed(client, cell) -> None:
    client.force_login(person("coord"))
    response = client.post(
        url("create", cell.slug),
        {"date": "2026-03-10", "start_time": "14:00", "end_time": "16:00", "location": "Visio"},
    )
    meeting = Meeting.objects.get(cell=cell)
    assert response.status_code == 302
    assert response["Location"] == url("meeting", cell.slug, meeting.pk)
    assert meeting.event == Event.objects.get(cell=cell, kind=Event.Kind.MEETING)
    feed = client.get(reverse("feeds:cell", args=[cell.slug]))
    assert feed.status_code == 200
    assert b"BEGIN:VEVENT" in feed.content and b"DTSTART;TZID=Europe/Paris:20260310T140000" in (
        feed.content
    )
    page = client.get(url("meeting", cell.slug, meeting.pk))
    assert page.status_code == 200
    assert "Figures of February 2026" in page.content.decode()


def test_a_past_date_and_a_second_meeting_in_the_month_are_refused(client, cell) -> None:
    client.force_login(person("coord"))
    past = client.post(
        url("create", cell.slug), {"date": "2026-03-02", "start_time": "14:00", "end_time": "16:00"}
    )
    assert past.status_code == 200
    assert (
        "This date is already past: a steering meeting is planned ahead." in past.content.decode()
    )
    plan(cell, datetime.date(2026, 3, 10))
    twice = client.post(
        url("create", cell.slug), {"date": "2026-03-24", "start_time": "14:00", "end_time": "16:00"}
    )
    assert "The cell already has its steering meeting in March 2026." in twice.content.decode()
    assert Meeting.objects.count() == 1


def test_a_decision_needs_an_owner_and_a_due_date(client, cell) -> None:
    meeting = plan(cell, datetime.date(2026, 3, 10))
    client.force_login(person("coord"))
    response = client.post(
        url("decide", meeting.cell.slug, meeting.pk),
        {
            "decision-text": "Ouvrir un appel à candidatures",
            "decision-owner": "",
            "decision-due_date": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Name the member who carries out this decision." in page
    assert "Give the date by which this decision is carried out." in page
    assert not SteeringDecision.objects.exists()
    done = client.post(
        url("decide", cell.slug, meeting.pk),
        {
            "decision-text": "Ouvrir un appel à candidatures",
            "decision-owner": person("anne").pk,
            "decision-due_date": "2026-04-01",
        },
    )
    assert done.status_code == 302
    assert SteeringDecision.objects.get().owner == person("anne")


def test_minutes_are_rendered_safely_with_the_attendees(client, cell) -> None:
    meeting = plan(cell, datetime.date(2026, 3, 10))
    client.force_login(person("coord"))
    response = client.post(
        url("minutes", cell.slug, meeting.pk),
        {
            "minutes-minutes": "## Tour de table\n\n<script>alert(1)</script> **Koha 24.11**",
            "minutes-attendees": [person("anne").pk, person("bruno").pk],
        },
    )
    assert response.status_code == 302
    client.force_login(person("chloe"))
    page = client.get(url("meeting", cell.slug, meeting.pk)).content.decode()
    assert "<h2>Tour de table</h2>" in page and "<strong>Koha 24.11</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "Anne Aubert" in page and "Bruno Bernard" in page


def test_members_read_and_only_coordinators_write(client, cell) -> None:
    meeting = plan(cell, datetime.date(2026, 3, 10))
    client.force_login(person("anne"))
    assert client.get(url("meeting", cell.slug, meeting.pk)).status_code == 200
    assert client.get(url("meetings", cell.slug)).status_code == 200
    assert client.get(url("register", cell.slug)).status_code == 200
    assert client.get(url("create", cell.slug)).status_code == 403
    item = meeting.items.first()
    forbidden = [
        (
            url("create", cell.slug),
            {"date": "2026-03-20", "start_time": "14:00", "end_time": "15:00"},
        ),
        (url("add_item", cell.slug, meeting.pk), {"item-title": "Budget"}),
        (url("item_action", cell.slug, meeting.pk, item.pk, "supprimer"), {}),
        (url("minutes", cell.slug, meeting.pk), {"minutes-minutes": "x"}),
        (url("decide", cell.slug, meeting.pk), {"decision-text": "x"}),
        (url("rebuild", cell.slug, meeting.pk), {}),
    ]
    for path, data in forbidden:
        assert client.post(path, data).status_code == 403, path
    assert meeting.items.count() == 2


def test_another_cell_is_a_404(client, cell) -> None:
    meeting = plan(cell, datetime.date(2026, 3, 10))
    other = CellFactory(name="Cellule Web", slug="cellule-web")
    client.force_login(member_of(other))
    for path in (
        url("meetings", cell.slug),
        url("meeting", cell.slug, meeting.pk),
        url("register", cell.slug),
        url("create", cell.slug),
    ):
        assert client.get(path).status_code == 404, path
    # A meeting of one cell is not reachable under another's address either.
    client.force_login(person("coord"))
    member_of(other, person=person("coord"))
    assert client.get(url("meeting", other.slug, meeting.pk)).status_code == 404


def test_the_coordinator_edits_the_agenda(client, cell) -> None:
    meeting = plan(cell, datetime.date(2026, 3, 10))
    client.force_login(person("coord"))
    client.post(url("add_item", cell.slug, meeting.pk), {"item-title": "Budget", "item-body": ""})
    added = meeting.items.get(source=Source.ADDED)
    client.post(url("item_action", cell.slug, meeting.pk, added.pk, "monter"))
    assert list(meeting.items.values_list("source", flat=True)) == [
        Source.FIGURES,
        Source.ADDED,
        Source.ROTATION,
    ]
    rotation = meeting.items.get(source=Source.ROTATION)
    client.post(url("item_action", cell.slug, meeting.pk, rotation.pk, "supprimer"))
    assert meeting.items.count() == 2
    empty = client.post(url("add_item", cell.slug, meeting.pk), {"item-title": ""})
    assert empty.status_code == 400


def test_the_register_searches_and_filters(client, cell, django_assert_max_num_queries) -> None:
    meeting = plan(cell, datetime.date(2026, 3, 10))
    decisions = [
        ("Rédiger la fiche de recrutement", "anne"),
        ("Préparer la formation Koha", "bruno"),
        ("Relancer la médiathèque de Lyon sur Koha", "anne"),
    ]
    for text, owner in decisions:
        SteeringDecision.objects.create(
            cell=cell,
            meeting=meeting,
            text=text,
            owner=person(owner),
            due_date=datetime.date(2026, 4, 1),
        )
    SteeringDecision.objects.filter(text__startswith="Préparer").update(status="done")
    client.force_login(person("chloe"))

    def shown(**query) -> list[str]:
        page = client.get(url("register", cell.slug), query).content.decode()
        return [text for text, _owner in decisions if text in page]

    assert len(shown()) == 3
    assert shown(q="koha") == [decisions[1][0], decisions[2][0]]
    assert shown(q="koha", status="open") == [decisions[2][0]]
    assert shown(owner=person("anne").pk) == [decisions[0][0], decisions[2][0]]
    assert shown(q="koha lyon", owner=person("anne").pk) == [decisions[2][0]]
    with django_assert_max_num_queries(10):
        client.get(url("register", cell.slug), {"q": "koha"})
