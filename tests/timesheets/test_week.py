"""The weekly timesheet: filled from the keyboard, saved all or nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from g2id.timesheets.models import Activity, CellWork, TimeEntry
from g2id.timesheets.services import log_time
from tests.timesheets.conftest import TODAY, D, intervention_in, join

URL = "/en/espace/temps/?semaine=2026-W48"  # Monday 23 to Sunday 29 November 2026


@pytest.fixture
def membership(cell):
    return join(cell)


@pytest.fixture
def intervention(cell):
    return intervention_in(cell, started=D(2026, 11, 2))


@pytest.fixture
def client(membership) -> Client:
    client = Client()
    client.force_login(membership.person)
    return client


def week(lines: list[tuple[str, str, list[str]]]) -> dict[str, str]:
    data = {"lines": str(len(lines))}
    for index, (target, activity, values) in enumerate(lines):
        data[f"l{index}-target"] = target
        data[f"l{index}-activity"] = activity
        for day, value in enumerate(values):
            data[f"l{index}-d{day}"] = value
    return data


def days(**typed: str) -> list[str]:
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    return [typed.get(name, "") for name in names]


def test_the_grid_names_every_cell(client, membership, intervention):
    log_time(
        member=membership.person,
        day=D(2026, 11, 23),
        minutes=90,
        activity=Activity.ANALYSIS,
        intervention=intervention,
        today=TODAY,
    )
    page = client.get(URL)
    assert page.status_code == 200
    reference = intervention.request.reference
    assert f'aria-label="Monday 23 November, Analysis, {reference}"' in page.text
    assert 'value="1h30"' in page.text
    assert 'aria-label="Tuesday 24 November, new line 1"' in page.text
    assert 'aria-label="New line 1: intervention or cell work"' in page.text
    assert "?semaine=2026-W47" in page.text and "?semaine=2026-W49" in page.text


def test_the_french_grid_names_cells_in_french(client, intervention):
    page = client.get("/espace/temps/?semaine=2026-W48")
    assert 'aria-label="Lundi 23 novembre, ' in page.text


def test_a_week_is_saved_from_typed_durations(client, membership, intervention, cell):
    response = client.post(
        URL,
        week(
            [
                (f"i{intervention.pk}", "analysis", days(mon="1h30", tue="1,5", wed="90 min")),
                (f"c{cell.pk}-weekly_point", "meeting", days(thu="45 min")),
                ("", "", days()),
            ]
        ),
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?semaine=2026-W48")
    entries = TimeEntry.objects.order_by("date")
    assert [(e.date.day, e.minutes, e.activity) for e in entries] == [
        (23, 90, "analysis"),
        (24, 90, "analysis"),
        (25, 90, "analysis"),
        (26, 45, "meeting"),
    ]
    assert entries.last().cell_work == CellWork.WEEKLY_POINT
    page = client.get(URL)
    assert "5h15" in page.text  # the week's total


def test_changing_and_emptying_cells(client, membership, intervention):
    target = f"i{intervention.pk}"
    client.post(URL, week([(target, "analysis", days(mon="2h", tue="1h"))]))
    kept = TimeEntry.objects.get(date=D(2026, 11, 24))
    client.post(URL, week([(target, "analysis", days(mon="", tue="1h", wed="3h"))]))
    assert sorted(TimeEntry.objects.values_list("date__day", "minutes")) == [(24, 60), (25, 180)]
    assert TimeEntry.objects.filter(pk=kept.pk).exists()  # unchanged cells keep their entries


def test_one_bad_cell_saves_nothing(client, membership, intervention, cell):
    log_time(
        member=membership.person,
        day=D(2026, 11, 23),
        minutes=60,
        activity=Activity.ANALYSIS,
        intervention=intervention,
        today=TODAY,
    )
    response = client.post(
        URL,
        week(
            [
                (f"i{intervention.pk}", "analysis", days(mon="", tue="2h")),
                (f"c{cell.pk}-steering", "meeting", days(wed="une heure", thu="0")),
            ]
        ),
    )
    assert response.status_code == 400
    assert list(TimeEntry.objects.values_list("date__day", "minutes")) == [(23, 60)]
    assert 'aria-invalid="true" aria-describedby="l1-d2-errors"' in response.text
    assert "Enter a duration such as 1h30" in response.text
    assert "leave the cell empty for no time" in response.text
    assert 'value="une heure"' in response.text  # what was typed stays to be corrected
    assert "Nothing was saved: 2 entries need correcting" in response.text


def test_more_than_24_hours_in_a_day_across_lines_saves_nothing(client, intervention, cell):
    response = client.post(
        URL,
        week(
            [
                (f"i{intervention.pk}", "development", days(mon="3h", tue="14h")),
                (f"c{cell.pk}-self_training", "training", days(tue="10h1")),
            ]
        ),
    )
    assert response.status_code == 400
    assert "more than 24 hours in one day" in response.text
    assert not TimeEntry.objects.exists()


def test_a_day_before_the_intervention_and_the_far_future(client, cell):
    late = intervention_in(cell, started=D(2026, 11, 25))
    response = client.post(URL, week([(f"i{late.pk}", "analysis", days(mon="1h", wed="1h"))]))
    assert response.status_code == 400
    assert "no time can be logged before" in response.text
    assert not TimeEntry.objects.exists()
    far = client.post(
        "/en/espace/temps/?semaine=2026-W51",
        week([(f"c{cell.pk}-steering", "meeting", days(mon="1h"))]),
    )
    assert far.status_code == 400
    assert "days ahead" in far.text


def test_unknown_and_foreign_interventions(client, other_cell):
    foreign = intervention_in(other_cell)
    for target in ("i999999", f"i{foreign.pk}"):
        response = client.post(URL, week([(target, "analysis", days(mon="1h"))]))
        assert response.status_code == 400
        assert "Unknown intervention or cell work." in response.text
    assert not TimeEntry.objects.exists()


def test_a_line_needs_a_target_and_an_activity(client, intervention):
    response = client.post(
        URL, week([("", "", days(mon="1h")), (f"i{intervention.pk}", "", days(tue="1h"))])
    )
    assert response.status_code == 400
    assert "Choose an intervention or cell work for this line." in response.text
    assert "Choose an activity for this line." in response.text


def test_the_same_line_twice(client, intervention):
    line = (f"i{intervention.pk}", "analysis", days(mon="1h"))
    response = client.post(URL, week([line, line]))
    assert response.status_code == 400
    assert "This line appears twice" in response.text


def test_a_malformed_week_shows_this_week(client):
    page = client.get("/en/espace/temps/?semaine=n-importe-quoi")
    assert page.status_code == 200
    assert "Week 2026-W49" in page.text


@pytest.mark.parametrize("count", [1, 30])
def test_the_week_page_queries_do_not_grow(
    client, membership, cell, count, django_assert_max_num_queries
):
    for number in range(count):
        intervention = intervention_in(cell, email=f"bib{number}@exemple.fr")
        log_time(
            member=membership.person,
            day=D(2026, 11, 23 + number % 5),
            minutes=30,
            activity=Activity.DEVELOPMENT,
            intervention=intervention,
            today=TODAY,
        )
    with django_assert_max_num_queries(14):
        page = client.get(URL)
    assert page.text.count("Monday 23 November, Development") == count
