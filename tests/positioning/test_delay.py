"""The positioning delay: French working days, paused while the library is asked, stopped by
the decision; the inbox shows what is left and puts what is at risk first."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine

from g2id.positioning.delay import add_working_days, is_working_day, working_days_between
from g2id.positioning.models import Outcome
from g2id.positioning.services import decide
from g2id.requests.models import Party
from g2id.requests.services import post_message
from tests.factories import file_request
from tests.positioning.conftest import person

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def at(day: str, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=PARIS)


def test_weekends_and_french_public_holidays_are_not_working_days():
    assert not is_working_day(datetime.date(2026, 11, 11))  # Armistice, a Wednesday
    assert not is_working_day(datetime.date(2026, 11, 14))  # Saturday
    assert is_working_day(datetime.date(2026, 11, 12))


def test_ten_working_days_across_armistice_day():
    # Friday 6 November 2026 + 10 working days, skipping two weekends and 11 November.
    assert add_working_days(datetime.date(2026, 11, 6), 10) == datetime.date(2026, 11, 23)
    assert working_days_between(datetime.date(2026, 11, 6), datetime.date(2026, 11, 23)) == 10
    assert working_days_between(datetime.date(2026, 11, 23), datetime.date(2026, 11, 6)) == -10


def test_ascension_and_whit_monday_count_as_holidays():
    assert add_working_days(datetime.date(2026, 5, 13), 1) == datetime.date(2026, 5, 15)
    assert add_working_days(datetime.date(2026, 5, 22), 1) == datetime.date(2026, 5, 26)


def test_the_deadline_is_the_cells_target_after_submission(cell):
    with time_machine.travel(at("2026-11-06"), tick=False):
        filed = file_request(cell=cell)
    assert filed.positioning_deadline == datetime.date(2026, 11, 23)


def test_waiting_for_the_library_pauses_the_delay(cell):
    with time_machine.travel(at("2026-11-02"), tick=False):  # Monday
        filed = file_request(cell=cell)
        filed.take_into_review(by=person("coord"))
    with time_machine.travel(at("2026-11-04"), tick=False):  # 2 working days used
        decide(
            filed,
            outcome=Outcome.NEEDS_INFO,
            by=person("coord"),
            rationale="Quelle version de Koha ?",
            override_reason="Impossible de se prononcer sans la version.",
        )
    filed.refresh_from_db()
    assert filed.positioning_paused
    assert filed.positioning_deadline is None
    assert filed.positioning_used_days == 2

    with time_machine.travel(at("2026-11-16"), tick=False):  # answered after 7 working days
        post_message(request=filed, body="Koha 23.11", party=Party.LIBRARY)
    filed.refresh_from_db()
    # 8 working days left from Monday 16 November.
    assert not filed.positioning_paused
    assert filed.positioning_deadline == add_working_days(datetime.date(2026, 11, 16), 8)


def test_the_decision_stops_the_delay(under_review):
    decide(
        under_review,
        outcome=Outcome.DECLINED,
        by=person("coord"),
        rationale="Hors champ.",
        override_reason="Évident.",
    )
    under_review.refresh_from_db()
    assert under_review.positioning_stopped and under_review.positioning_deadline is None


@pytest.mark.parametrize("days_ago, expected", [(0, "10 jours ouvrés restants"), (20, "Retard")])
def test_the_inbox_shows_the_time_left(client, cell, days_ago, expected):
    import datetime as dt

    from django.utils import timezone

    with time_machine.travel(timezone.now() - dt.timedelta(days=days_ago), tick=False):
        file_request(cell=cell)
    client.force_login(person("anne"))

    page = client.get("/espace/demandes/").content.decode()

    assert expected in page


def test_the_inbox_puts_the_nearest_deadline_first(client, cell):
    with time_machine.travel(at("2026-11-02"), tick=False):
        old = file_request(cell=cell, title="Demande ancienne")
    with time_machine.travel(at("2026-11-20"), tick=False):
        file_request(cell=cell, title="Demande récente")
        client.force_login(person("anne"))
        urgent_first = client.get("/espace/demandes/").content.decode()
        recent_first = client.get("/espace/demandes/?sort=recent").content.decode()

    assert urgent_first.index(old.title) < urgent_first.index("Demande récente")
    assert recent_first.index("Demande récente") < recent_first.index(old.title)


def test_the_inbox_sorts_by_the_positioning_deadline_after_the_library_answers_a_question(
    client, cell
):
    from django.utils import timezone

    target = cell.positioning_target_days
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=7 - today.weekday())  # after the cell's start
    day = {n: monday + datetime.timedelta(days=n) for n in (0, 3, 11, 14, 15)}

    def when(n: int) -> datetime.datetime:
        return at(day[n].isoformat())

    def deadline_of(filed) -> datetime.date | None:
        filed.refresh_from_db()
        return filed.positioning_deadline

    def inbox_order() -> list[str]:
        with time_machine.travel(when(15), tick=False):
            client.force_login(person("anne"))
            page = client.get("/espace/demandes/").content.decode()
        return sorted(("Demande en attente", "Demande voisine"), key=page.index)

    with time_machine.travel(when(0), tick=False):
        asked = file_request(cell=cell, title="Demande en attente")
    assert deadline_of(asked) == add_working_days(day[0], target)
    with time_machine.travel(when(3), tick=False):
        asked.take_into_review(by=person("coord"))
        asked.ask_library(by=person("coord"), question="Quelle version de Koha ?")
    assert deadline_of(asked) is None  # paused: after every running delay
    with time_machine.travel(when(11), tick=False):
        neighbour = file_request(cell=cell, title="Demande voisine")
    assert deadline_of(neighbour) == add_working_days(day[11], target)
    assert inbox_order() == ["Demande voisine", "Demande en attente"]

    with time_machine.travel(when(14), tick=False):  # the library answers
        post_message(request=asked, body="Koha 23.11", party=Party.LIBRARY)
    used = working_days_between(day[0], day[3])
    assert deadline_of(asked) == add_working_days(day[14], target - used)
    assert deadline_of(asked) < deadline_of(neighbour)
    assert inbox_order() == ["Demande en attente", "Demande voisine"]

    with time_machine.travel(when(15), tick=False):
        decide(
            asked,
            outcome=Outcome.DECLINED,
            by=person("coord"),
            rationale="Hors champ.",
            override_reason="Évident.",
        )
    assert deadline_of(asked) is None  # stopped
