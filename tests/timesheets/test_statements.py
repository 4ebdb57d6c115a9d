"""Secondment statements: the arithmetic, who may read them, the CSV, the query budget."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client

from g2id.team.models import Membership
from g2id.timesheets.models import Activity, CellWork, Referent
from g2id.timesheets.services import log_time
from g2id.timesheets.statements import last_month, secondment_statement
from tests.factories import InstitutionFactory, UserFactory
from tests.timesheets.conftest import TODAY, D, intervention_in, join


def spend(membership: Membership, day, minutes, activity=Activity.DEVELOPMENT, **target):
    if not target:
        target = {"cell": membership.cell, "cell_work": CellWork.WEEKLY_POINT}
    log_time(
        member=membership.person,
        day=day,
        minutes=minutes,
        activity=activity,
        today=TODAY,
        **target,
    )


def test_last_month_by_default():
    assert last_month(TODAY) == (D(2026, 11, 1), D(2026, 11, 30))
    assert last_month(D(2026, 1, 15)) == (D(2025, 12, 1), D(2025, 12, 31))


def test_a_month_with_a_public_holiday_at_half_time(cell, home):
    agent = join(cell, home_institution=home, share_percent=50)
    intervention = intervention_in(cell)
    spend(agent, D(2026, 11, 3), 7 * 60, Activity.ANALYSIS, intervention=intervention)
    spend(agent, D(2026, 11, 4), 3 * 60, Activity.DEVELOPMENT, intervention=intervention)
    spend(agent, D(2026, 11, 5), 60, Activity.MEETING)
    statement = secondment_statement(home, D(2026, 11, 1), D(2026, 11, 30))
    (line,) = statement.agents
    # November 2026: 21 weekdays, minus Armistice Day (Wednesday 11th).
    assert line.working_days == 20
    assert line.seconded_minutes == 20 * 7 * 60 // 2  # 70 h
    assert line.used_minutes == 11 * 60
    assert line.used_percent == Decimal("15.7")  # 11 h of 70 h
    assert line.full_time_percent == Decimal("7.9")  # 11 h of 140 h, against 50 %
    assert [(item.label, item.minutes) for item in line.by_activity] == [
        (str(Activity.ANALYSIS.label), 420),
        (str(Activity.DEVELOPMENT.label), 180),
        (str(Activity.MEETING.label), 60),
    ]
    reference = intervention.request.reference
    assert [item.minutes for item in line.by_work] == [600, 60]
    assert line.by_work[0].label.startswith(reference)
    assert line.by_work[1].label == f"{CellWork.WEEKLY_POINT.label} ({cell.name})"


def test_a_public_holiday_is_not_seconded_time(cell, home):
    join(cell, home_institution=home, share_percent=100)
    statement = secondment_statement(home, D(2026, 5, 4), D(2026, 5, 8))  # 8 May: holiday
    assert statement.agents[0].working_days == 4
    assert statement.agents[0].seconded_minutes == 4 * 7 * 60


def test_a_period_across_two_months(cell, home, settings):
    settings.G2ID_WORKING_HOURS_PER_DAY = 8
    agent = join(cell, home_institution=home, share_percent=20)
    spend(agent, D(2026, 10, 30), 120)
    spend(agent, D(2026, 11, 2), 90)
    spend(agent, D(2026, 11, 16), 30)  # after the period
    (line,) = secondment_statement(home, D(2026, 10, 15), D(2026, 11, 15)).agents
    assert line.working_days == 21  # 12 in October, 9 in November (1st and 11th off)
    assert line.seconded_minutes == round(21 * 8 * 60 * 0.2)  # 33 h 36
    assert line.used_minutes == 210


def test_a_member_who_joined_mid_period_is_prorated(cell, home):
    join(cell, home_institution=home, share_percent=100)
    newcomer = join(cell, home_institution=home, share_percent=40, start_date=D(2026, 11, 16))
    statement = secondment_statement(home, D(2026, 11, 1), D(2026, 11, 30))
    by_person = {line.person: line for line in statement.agents}
    line = by_person[newcomer.person]
    assert line.working_days == 11  # 16th to 30th
    assert line.seconded_minutes == round(11 * 7 * 60 * 0.4)
    assert statement.seconded_minutes == 20 * 7 * 60 + line.seconded_minutes


def test_time_outside_the_institutions_memberships_is_left_out(cell, other_cell, home):
    agent = join(cell, home_institution=home, end_date=D(2026, 11, 10))
    spend(agent, D(2026, 11, 9), 60)
    # Later the same person serves another cell for another institution.
    elsewhere = join(
        other_cell,
        person=agent.person,
        home_institution=InstitutionFactory(),
        start_date=D(2026, 11, 11),
    )
    spend(elsewhere, D(2026, 11, 12), 240)
    (line,) = secondment_statement(home, D(2026, 11, 1), D(2026, 11, 30)).agents
    assert line.working_days == 7  # 2nd to 10th
    assert line.used_minutes == 60


# --- Who may read a statement ------------------------------------------------------------------


@pytest.fixture
def agents(cell, home):
    """Two institutions, each with one agent in the cell; a coordinator from a third one."""
    other_home = InstitutionFactory(name="Médiathèque de Roubaix", city="Roubaix")
    mine = join(cell, home_institution=home)
    theirs = join(cell, home_institution=other_home)
    coordinator = join(
        cell, role=Membership.Role.COORDINATOR, home_institution=InstitutionFactory()
    )
    return {"mine": mine, "theirs": theirs, "coordinator": coordinator, "other_home": other_home}


def referent_of(*institutions) -> Client:
    user = UserFactory()
    for institution in institutions:
        Referent.objects.create(user=user, institution=institution)
    client = Client()
    client.force_login(user)
    return client


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_referent_sees_only_its_agents(agents, home):
    client = referent_of(home)
    listing = client.get("/en/espace/mises-a-disposition/")
    assert home.name in listing.text
    assert agents["other_home"].name not in listing.text
    page = client.get(f"/en/espace/mises-a-disposition/{home.pk}/")
    assert page.status_code == 200
    assert agents["mine"].person.get_full_name() in page.text
    assert agents["theirs"].person.get_full_name() not in page.text
    assert (
        client.get(f"/en/espace/mises-a-disposition/{agents['other_home'].pk}/").status_code == 404
    )
    csv_url = f"/en/espace/mises-a-disposition/{agents['other_home'].pk}/csv/"
    assert client.get(csv_url).status_code == 404


def test_another_referent_gets_404(agents, home):
    client = referent_of(agents["other_home"])
    assert client.get(f"/en/espace/mises-a-disposition/{home.pk}/").status_code == 404
    assert client.get(f"/en/espace/mises-a-disposition/{home.pk}/csv/").status_code == 404


def test_a_plain_member_reads_no_statement(agents, home):
    client = logged_in(agents["theirs"].person)
    assert client.get(f"/en/espace/mises-a-disposition/{home.pk}/").status_code == 404
    assert home.name not in client.get("/en/espace/mises-a-disposition/").text


def test_a_coordinator_sees_the_agents_of_the_cell_only(agents, home, other_cell):
    outside = join(other_cell, home_institution=home)
    client = logged_in(agents["coordinator"].person)
    assert home.name in client.get("/en/espace/mises-a-disposition/").text
    page = client.get(f"/en/espace/mises-a-disposition/{home.pk}/")
    assert agents["mine"].person.get_full_name() in page.text
    assert outside.person.get_full_name() not in page.text
    # A referent of the same institution sees both.
    both = referent_of(home).get(f"/en/espace/mises-a-disposition/{home.pk}/")
    assert outside.person.get_full_name() in both.text


def test_anonymous_visitors_are_sent_to_the_login(home):
    response = Client().get(f"/espace/mises-a-disposition/{home.pk}/")
    assert response.status_code == 302
    assert "/connexion/" in response["Location"]


def test_a_period_in_the_wrong_order_is_refused(agents, home):
    page = referent_of(home).get(
        f"/en/espace/mises-a-disposition/{home.pk}/?du=2026-11-30&au=2026-11-01"
    )
    assert page.status_code == 400
    assert "The period ends before it starts." in page.text


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_for_french_spreadsheets(cell, home):
    agent = join(cell, home_institution=home, share_percent=50)
    agent.person.first_name, agent.person.last_name = "Élise", "Duchêne"
    agent.person.save()
    intervention = intervention_in(cell, title="Réindexer le catalogue; vite")
    spend(agent, D(2026, 11, 3), 150, Activity.ANALYSIS, intervention=intervention)
    response = referent_of(home).get(
        f"/en/espace/mises-a-disposition/{home.pk}/csv/?du=2026-11-01&au=2026-11-30"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0] == [
        "Agent",
        "Seconded share (%)",
        "Working days",
        "Seconded hours",
        "Hours used",
        "Used / seconded (%)",
        "Breakdown",
        "Item",
        "Hours",
    ]
    totals = ["Élise Duchêne", "50", "20", "70,00", "2,50", "3,6"]
    reference = intervention.request.reference
    assert rows[1:] == [
        [*totals, "Activity", "Analysis", "2,50"],
        [
            *totals,
            "Intervention or cell work",
            f"{reference} — Réindexer le catalogue; vite",
            "2,50",
        ],
    ]


def test_csv_lists_an_agent_without_time(cell, home):
    join(cell, home_institution=home)
    response = referent_of(home).get(f"/en/espace/mises-a-disposition/{home.pk}/csv/")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][2:] == ["20", "70,00", "0,00", "0,0", "", "", ""]


# --- Query budget ------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 30])
def test_statement_queries_do_not_grow_with_agents_and_entries(
    cell, home, count, django_assert_max_num_queries
):
    interventions = [intervention_in(cell), intervention_in(cell, email="autre@bib.fr")]
    for number in range(count):
        agent = join(cell, home_institution=home)
        spend(agent, D(2026, 11, 2 + number % 5), 60, intervention=interventions[number % 2])
        spend(agent, D(2026, 11, 16), 30)
    client = referent_of(home)
    with django_assert_max_num_queries(10):
        page = client.get(f"/en/espace/mises-a-disposition/{home.pk}/")
    assert page.status_code == 200
    assert page.text.count('class="statement-agent"') == count
    with django_assert_max_num_queries(10):
        assert client.get(f"/en/espace/mises-a-disposition/{home.pk}/csv/").status_code == 200
