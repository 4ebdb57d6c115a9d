"""The team's intervention pages, the library's view, permissions and query budgets."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from g2id.interventions.models import Session, Task
from g2id.requests.models import Status
from tests.factories import UserFactory, member_of
from tests.interventions.conftest import (
    accepted_intervention,
    add_deliverable,
    in_progress,
    person,
    session_on,
)

SOON = timezone.localdate() + datetime.timedelta(days=3)


def page_of(intervention) -> str:
    return f"/en/espace/interventions/{intervention.request.reference}/"


def test_the_team_page_shows_the_intervention(client, intervention):
    session_on(intervention, SOON)
    client.force_login(person("anne"))
    response = client.get(page_of(intervention))
    assert response.status_code == 200
    content = response.content.decode()
    for text in ("Mark as planned", "Sessions", "Checklist", "Transfer record", "visio.example.fr"):
        assert text in content


def test_the_lifecycle_buttons_move_the_intervention(client, intervention):
    client.force_login(person("anne"))
    url = page_of(intervention)
    assert client.post(url + "etat/plan/").status_code == 302
    assert client.post(url + "etat/start/").status_code == 302
    refused = client.post(url + "etat/deliver/", {"reason": ""})
    assert refused.status_code == 400
    assert b"Add a deliverable before delivering" in refused.content
    add_deliverable(intervention)
    assert client.post(url + "etat/deliver/", {"reason": ""}).status_code == 302
    intervention.request.refresh_from_db()
    assert intervention.request.status == Status.DELIVERED


def test_the_team_adds_sessions_tasks_and_the_transfer_record(client, intervention):
    client.force_login(person("bruno"))
    url = page_of(intervention)
    response = client.post(
        url + "seances/",
        {
            "date": SOON.isoformat(),
            "start_time": "14:00",
            "end_time": "16:30",
            "location": "Salle 2",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.events.count() == 2
    assert client.post(url + "taches/", {"title": "Exporter les notices"}).status_code == 302
    task = Task.objects.get()
    client.post(url + f"taches/{task.pk}/", {"done": "1"})
    task.refresh_from_db()
    assert task.done
    response = client.post(
        url + "transmission/",
        {
            "what_taught": "Paramétrage des relances",
            "taught_to": "deux agents de prêt",
            "through_sessions": "on",
        },
    )
    assert response.status_code == 302
    record = intervention.transfer_record
    assert record.taught_to == "deux agents de prêt" and not record.names_public
    plan = client.post(
        url + "plan/",
        {"mode": "mixed", "planned_start": "2027-01-10", "planned_end": "2027-01-05"},
    )
    assert plan.status_code == 400


def test_a_member_of_another_cell_gets_a_404(client, intervention):
    client.force_login(member_of(person=UserFactory(username="ailleurs")))
    assert client.get(page_of(intervention)).status_code == 404
    assert client.post(page_of(intervention) + "etat/plan/").status_code == 404
    assert client.get("/en/espace/interventions/?vue=cells").content.count(b"G2ID-") == 0


def test_a_cell_member_outside_the_intervention_reads_but_cannot_act(client, intervention):
    client.force_login(person("denis"))
    response = client.get(page_of(intervention))
    assert response.status_code == 200 and b"Mark as planned" not in response.content
    assert client.post(page_of(intervention) + "etat/plan/").status_code == 403


def test_the_list_shows_mine_by_state(client, intervention, cell):
    other = accepted_intervention(cell, title="Moissonnage OAI")
    in_progress(other)
    client.force_login(person("anne"))
    response = client.get("/en/espace/interventions/")
    content = response.content.decode()
    assert intervention.request.reference in content and other.request.reference in content
    assert content.index("Accepted") < content.index("In progress")
    filtered = client.get("/en/espace/interventions/?etat=in_progress").content.decode()
    assert intervention.request.reference not in filtered
    assert other.request.reference in filtered
    client.force_login(person("denis"))
    assert b"G2ID-" not in client.get("/en/espace/interventions/").content
    assert b"G2ID-" in client.get("/en/espace/interventions/?vue=cells").content


def test_the_library_sees_its_next_sessions_on_its_tracking_partial(intervention, cell):
    session_on(intervention, SOON, location="Médiathèque Jean-Macé")
    session_on(intervention, timezone.localdate() - datetime.timedelta(days=3))
    other = accepted_intervention(cell, title="Autre", email="autre@bib.fr")
    session_on(other, SOON, location="Ailleurs")
    html = render_to_string("interventions/_for_library.html", {"tracked": intervention.request})
    assert "Médiathèque Jean-Macé" in html and "Ailleurs" not in html
    assert html.count("<li>") == 1
    assert render_to_string("interventions/_for_library.html", {"tracked": other.request})
    filed_alone = render_to_string("interventions/_section.html", {"filed": intervention.request})
    assert intervention.get_absolute_url() in filed_alone


def test_the_library_never_reaches_another_libraries_survey(client, intervention, cell):
    from tests.interventions.conftest import delivered

    delivered(intervention)
    other = accepted_intervention(cell, title="Autre", email="autre@bib.fr")
    # The tracking token of one request opens nothing of another.
    token = other.request.tracking_token
    assert client.get(f"/enquete/{token}/").status_code == 404
    assert client.get(f"/enquete/{intervention.survey.token}/").status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_the_pages_query_budget_does_not_grow(
    client, intervention, count, django_assert_max_num_queries
):
    for n in range(count):
        session_on(intervention, SOON + datetime.timedelta(days=n))
        Task.objects.create(intervention=intervention, title=f"Tâche {n}", order=n)
    add_deliverable(intervention)
    client.force_login(person("anne"))
    with django_assert_max_num_queries(32):
        assert client.get(page_of(intervention)).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get("/en/espace/interventions/?vue=cells").status_code == 200


def test_query_counts_are_the_same_for_1_and_30(client, cell):
    counts = []
    for size in (1, 30):
        one = accepted_intervention(cell, title=f"Lot {size}", email=f"lot{size}@bib.fr")
        for n in range(size):
            session_on(one, SOON + datetime.timedelta(days=n))
            Task.objects.create(intervention=one, title=f"Tâche {n}", order=n)
        client.force_login(person("anne"))
        with CaptureQueriesContext(connection) as queries:
            client.get(page_of(one))
        counts.append(len(queries))
    assert counts[0] == counts[1]
