"""Query budgets of the team's pages and the private-link pages: the same count with 1 and 30 rows.

As in tests/test_query_budgets.py: each test measures a page with one related row, adds 29
more of the kind the page lists, measures again; the count must not move (no N+1) and stays
within the page's budget. The team pages kept in the per-member page cache are measured as
rendered (`rendered_every_time`); what a stored copy costs is held in test_team_page_cache.py.
The public case study and deliverable pages are measured on a miss and a hit, as the public
pages of test_query_budgets.py.

Pages already held to a budget with one and thirty rows elsewhere are not repeated here: the
inbox (test_inbox.py), the intervention list and page (interventions/test_pages.py), the
agenda and its feeds (agenda/), the time sheet and the statements (timesheets/), the
register of deliverables and the public realisations (realisations/test_public.py).
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from g2id.accounts.models import ApiToken, User
from g2id.agenda.models import Event
from g2id.interventions import services as interventions
from g2id.interventions.models import ImpactCheck, Intervention, Session
from g2id.positioning.models import Outcome, Stance
from g2id.positioning.services import decide, give_opinion, invite_expert
from g2id.realisations.models import Deliverable
from g2id.realisations.services import (
    add_deliverable,
    add_version,
    draft_case_study,
    publish_case_study,
)
from g2id.requests.models import Party
from g2id.requests.services import post_message
from g2id.steering import services as steering
from g2id.steering.models import Meeting
from g2id.taxonomy.models import Domain
from g2id.team.models import Cell, Membership, Skill
from g2id.timesheets.models import Referent
from g2id.weekly.models import WeeklyPoint
from tests.api.test_api_query_budgets import referred
from tests.factories import (
    CellFactory,
    InstitutionFactory,
    MembershipFactory,
    PartnerFactory,
    UserFactory,
    cell_of_five,
    file_request,
    member_of,
    under_review,
)
from tests.realisations.conftest import consent, text_file
from tests.test_query_budgets import MANY, assert_budget, cached_page_misses, count, get
from tests.test_request_form import PDF

TODAY = timezone.localdate


def person(username: str) -> User:
    return User.objects.get(username=username)


@pytest.fixture
def cell(db) -> Cell:
    """A cell of five: a coordinator and four members, in office for a month."""
    return cell_of_five()


def logged(client: Client, username: str) -> Client:
    client.force_login(person(username))
    return client


def accepted(cell: Cell, title: str = "Paramétrer les relances") -> Intervention:
    """A request of the cell accepted with anne as its lead."""
    filed = under_review(cell, title=title)
    give_opinion(filed, by=person("anne"), stance=Stance.TAKE, role="lead")
    give_opinion(filed, by=person("bruno"), stance=Stance.TAKE, role="contributor")
    give_opinion(filed, by=person("chloe"), stance=Stance.ABSTAIN)
    decide(filed, outcome=Outcome.ACCEPTED, by=person("coord"), rationale="Nous le faisons.")
    return Intervention.objects.select_related("request__cell").get(request=filed)


# --- The coordinator's pages -------------------------------------------------------------------


def test_the_cell_dashboard_costs_the_same_with_one_member_or_thirty(
    client, cell, rendered_every_time
):
    Cell.objects.filter(pk=cell.pk).update(member_cap=2 * MANY)
    logged(client, "coord")
    address = f"/espace/equipe/{cell.slug}/"
    file_request(cell=cell).take_into_review(by=person("anne"))
    few = count(get(client, address))
    for number in range(MANY - 1):
        joined = MembershipFactory(cell=cell, home_institution=InstitutionFactory())
        filed = file_request(cell=cell, title=f"Demande {number}")
        filed.take_into_review(by=joined.person)
        post_message(request=filed, body="Vu.", party=Party.TEAM, author=joined.person)
        MembershipFactory(cell=cell, start_date=TODAY() + datetime.timedelta(days=10 + number))
        MembershipFactory(
            cell=cell,
            start_date=datetime.date(2020, 1, 1),
            end_date=datetime.date(2020, 12, 31),
        )
    many = count(get(client, address))
    assert_budget(few, many, budget=10)


def test_the_list_of_cells_costs_the_same_with_one_cell_or_thirty(client, cell):
    logged(client, "coord")
    few = count(get(client, "/espace/equipe/"))
    for _ in range(MANY - 1):
        other = CellFactory()
        member_of(other, person=person("coord"), role=Membership.Role.COORDINATOR)
        member_of(other)
    many = count(get(client, "/espace/equipe/"))
    assert_budget(few, many, budget=3)


def test_the_membership_forms_cost_the_same_with_one_member_or_thirty(client, cell):
    logged(client, "coord")
    anne = Membership.objects.get(cell=cell, person__username="anne")
    addresses = [
        f"/espace/equipe/{cell.slug}/membres/ajouter/",
        f"/espace/equipe/{cell.slug}/membres/{anne.pk}/renouveler/",
        f"/espace/equipe/{cell.slug}/membres/{anne.pk}/terminer/",
        f"/espace/equipe/{cell.slug}/textes/",
    ]
    few = [count(get(client, address)) for address in addresses]
    for _ in range(MANY - 1):
        member_of(cell, home_institution=InstitutionFactory())
    many = [count(get(client, address)) for address in addresses]
    for one, thirty, budget in zip(few, many, [4, 5, 5, 4], strict=True):
        assert_budget(one, thirty, budget)


def test_the_profile_costs_the_same_with_one_skill_or_thirty(client, cell):
    anne = person("anne")
    logged(client, "anne")
    domains = list(Domain.objects.order_by("code")[:MANY])
    Skill.objects.create(person=anne, domain=domains[0], level=2)
    ApiToken.issue(anne, "Jeton 0")
    few = count(get(client, "/espace/profil/"))
    Skill.objects.bulk_create(Skill(person=anne, domain=domain, level=1) for domain in domains[1:])
    for number in range(1, MANY):
        ApiToken.issue(anne, f"Jeton {number}")
        member_of(CellFactory(), person=anne)
    many = count(get(client, "/espace/profil/"))
    assert_budget(few, many, budget=6)


# --- Positioning -------------------------------------------------------------------------------


def test_the_request_page_costs_the_same_with_one_message_or_thirty(
    client, cell, rendered_every_time
):
    filed = under_review(cell)
    logged(client, "coord")
    post_message(request=filed, body="Premier message", party=Party.LIBRARY)
    invite_expert(filed, by=person("anne"), email="expert0@exemple.fr")
    give_opinion(filed, by=person("anne"), stance=Stance.TAKE, role="lead")
    address = f"/espace/demandes/{filed.reference}/"
    few = count(get(client, address))
    for number in range(1, MANY):
        post_message(
            request=filed,
            body=f"Message {number}",
            party=Party.TEAM if number % 2 else Party.LIBRARY,
            author=person("bruno") if number % 2 else None,
            internal=number % 4 == 1,
        )
        invite_expert(filed, by=person("anne"), email=f"expert{number}@exemple.fr")
    for name in ("bruno", "chloe", "denis"):
        give_opinion(filed, by=person(name), stance=Stance.ABSTAIN)
    many = count(get(client, address))
    assert_budget(few, many, budget=24)


def test_the_referral_counts_cost_the_same_with_one_partner_or_thirty(client, cell):
    logged(client, "anne")
    referred(cell, [PartnerFactory()])
    few = count(get(client, "/espace/reorientations/"))
    for _ in range(MANY - 1):
        referred(cell, [PartnerFactory(), PartnerFactory()])
    many = count(get(client, "/espace/reorientations/"))
    assert_budget(few, many, budget=3)


def test_the_invited_experts_page_costs_the_same_with_one_domain_or_thirty(client, cell):
    filed = under_review(cell)
    invitation = invite_expert(filed, by=person("anne"), email="expert@exemple.fr")
    address = f"/avis/{invitation.token}/"
    few = count(get(client, address))
    filed.domains.add(*Domain.objects.order_by("code")[:MANY])
    for _ in range(MANY - 1):
        PartnerFactory(specialities=("A1", "B2"))
    many = count(get(client, address))
    assert_budget(few, many, budget=4)


# --- Steering meetings -------------------------------------------------------------------------


def plan(cell: Cell, day: datetime.date) -> Meeting:
    zone = timezone.get_current_timezone()
    return steering.schedule_meeting(
        cell=cell,
        starts_at=datetime.datetime.combine(day, datetime.time(14), tzinfo=zone),
        ends_at=datetime.datetime.combine(day, datetime.time(16), tzinfo=zone),
        by=person("coord"),
    )


def month_ahead(months: int) -> datetime.date:
    """The 10th of the month `months` months from now (a cell meets once a month)."""
    today = TODAY()
    index = today.year * 12 + today.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 10)


def test_the_list_of_meetings_costs_the_same_with_one_meeting_or_thirty(client, cell):
    logged(client, "anne")
    address = f"/espace/equipe/{cell.slug}/pilotage/"
    plan(cell, month_ahead(1))
    few = count(get(client, address))
    for number in range(2, MANY + 1):
        plan(cell, month_ahead(number))
    many = count(get(client, address))
    assert_budget(few, many, budget=5)


def test_a_meeting_page_costs_the_same_with_one_item_and_decision_or_thirty(client, cell):
    logged(client, "coord")
    meeting = plan(cell, month_ahead(1))
    due = month_ahead(2)

    def grow(numbers: range) -> None:
        for number in numbers:
            steering.add_item(meeting, title=f"Point {number}", body="À voir.", by=person("coord"))
            steering.record_decision(
                meeting,
                text=f"Décision {number}",
                owner=person(("anne", "bruno")[number % 2]),
                due_date=due,
                by=person("coord"),
            )

    grow(range(1))
    steering.save_minutes(
        meeting, minutes="Compte rendu", attendees=[person("anne")], by=person("coord")
    )
    addresses = [
        f"/espace/equipe/{cell.slug}/pilotage/{meeting.pk}/",
        f"/espace/equipe/{cell.slug}/pilotage/decisions/",
        f"/espace/equipe/{cell.slug}/pilotage/nouvelle/",
    ]
    few = [count(get(client, address)) for address in addresses]
    grow(range(1, MANY))
    steering.save_minutes(
        meeting,
        minutes="Compte rendu",
        attendees=list(User.objects.filter(memberships__cell=cell)),
        by=person("coord"),
    )
    many = [count(get(client, address)) for address in addresses]
    for one, thirty, budget in zip(few, many, [10, 6, 4], strict=True):
        assert_budget(one, thirty, budget)


# --- The weekly point --------------------------------------------------------------------------


def test_the_weekly_point_pages_cost_the_same_with_one_request_or_thirty(client, cell):
    logged(client, "coord")
    week = f"/espace/equipe/{cell.slug}/point-hebdo/semaine/"
    settings_page = f"/espace/equipe/{cell.slug}/point-hebdo/"

    def grow(numbers: range) -> None:
        for number in numbers:
            filed = under_review(cell, title=f"Demande {number}")
            give_opinion(filed, by=person("anne"), stance=Stance.ABSTAIN)
            monday = TODAY() - datetime.timedelta(weeks=number + 1)
            WeeklyPoint.objects.create(
                cell=cell,
                week=f"{monday.isocalendar().year}-W{monday.isocalendar().week:02d}",
                markdown=f"Point {number}",
                status=WeeklyPoint.Status.FAILED,
            )

    grow(range(1))
    accepted(cell, "Intervention 0")
    few = [count(get(client, week)), count(get(client, settings_page))]
    grow(range(1, MANY))
    for number in range(1, MANY):
        accepted(cell, f"Intervention {number}")
    many = [count(get(client, week)), count(get(client, settings_page))]
    assert_budget(few[0], many[0], budget=14)
    assert_budget(few[1], many[1], budget=6)


# --- Interventions: deliverables, case study, forms, survey ------------------------------------


def deliver(intervention: Intervention, number: int) -> Deliverable:
    deliverable = add_deliverable(
        intervention,
        Deliverable(
            title=f"Script {number}", type="script", licence="MIT", how_to="Lancer.", reusable=True
        ),
        version_label="1.0",
        repository_url=f"https://forge.example.fr/script-{number}",
        by=person("anne"),
    )
    add_version(
        deliverable,
        label="1.1",
        repository_url=f"https://forge.example.fr/script-{number}/1.1",
        by=person("anne"),
    )
    return deliverable


def test_the_deliverables_pages_cost_the_same_with_one_deliverable_or_thirty(client, cell):
    intervention = accepted(cell)
    logged(client, "anne")
    first = deliver(intervention, 0)
    session = Session.objects.create(
        intervention=intervention,
        date=TODAY(),
        start_time=datetime.time(9, 30),
        end_time=datetime.time(12),
    )
    base = f"/espace/interventions/{intervention.request.reference}"
    addresses = [
        f"{base}/livrables/",
        f"{base}/livrables/ajouter/",
        f"{base}/livrables/{first.pk}/modifier/",
        f"{base}/livrables/{first.pk}/version/",
        f"{base}/seances/",
        f"{base}/seances/{session.pk}/",
    ]
    few = [count(get(client, address)) for address in addresses]
    for number in range(1, MANY):
        deliver(intervention, number)
        Session.objects.create(
            intervention=intervention,
            date=TODAY() + datetime.timedelta(days=number),
            start_time=datetime.time(9, 30),
            end_time=datetime.time(12),
        )
    many = [count(get(client, address)) for address in addresses]
    for one, thirty, budget in zip(few, many, [8, 3, 4, 4, 4, 5], strict=True):
        assert_budget(one, thirty, budget)


def delivered(intervention: Intervention) -> Intervention:
    interventions.plan(intervention, by=person("anne"))
    interventions.start(intervention, by=person("anne"))
    interventions.deliver(intervention, by=person("anne"), reason="Conseils donnés en séance.")
    return intervention


def test_the_survey_and_impact_check_cost_the_same_with_one_session_or_thirty(client, cell):
    intervention = delivered(accepted(cell))
    deliver(intervention, 0)
    check = ImpactCheck.objects.create(
        intervention=intervention, expires_at=timezone.now() + datetime.timedelta(days=30)
    )
    addresses = [f"/enquete/{intervention.survey.token}/", f"/enquete/impact/{check.token}/"]
    few = [count(get(client, address)) for address in addresses]
    for number in range(1, MANY):
        deliver(intervention, number)
        Session.objects.create(
            intervention=intervention,
            date=TODAY() - datetime.timedelta(days=number),
            start_time=datetime.time(9, 30),
            end_time=datetime.time(12),
        )
    intervention.request.domains.add(*Domain.objects.order_by("code")[:MANY])
    many = [count(get(client, address)) for address in addresses]
    for one, thirty, budget in zip(few, many, [1, 1], strict=True):
        assert_budget(one, thirty, budget)


def test_the_case_study_pages_cost_the_same_with_one_deliverable_or_thirty(client, cell):
    intervention = accepted(cell)
    deliver(intervention, 0)
    consent(intervention, anonymise=True)
    study = publish_case_study(draft_case_study(intervention), by=person("anne"))
    team = logged(Client(), "anne")
    edit = get(team, f"/espace/interventions/{intervention.request.reference}/etude-de-cas/")
    few_edit = count(edit)

    def more() -> None:
        for number in range(1, MANY):
            deliver(intervention, number)

    # On a miss, about half of them are the database cache's own reads and writes.
    few, many = cached_page_misses(client, f"/realisations/etudes-de-cas/{study.pk}/", more)
    assert_budget(few, many, budget=10)
    assert_budget(few_edit, count(edit), budget=5)


def test_a_public_deliverable_costs_the_same_with_one_version_or_thirty(client, cell):
    intervention = accepted(cell)
    deliverable = deliver(intervention, 0)

    def more() -> None:
        for number in range(2, MANY):
            add_version(
                deliverable,
                label=f"1.{number}",
                repository_url=f"https://forge.example.fr/script/1.{number}",
                by=person("anne"),
            )

    few, many = cached_page_misses(client, f"/realisations/livrables/{deliverable.pk}/", more)
    assert_budget(few, many, budget=10)


# --- Time, institutions ------------------------------------------------------------------------


def test_the_list_of_statements_costs_the_same_with_one_institution_or_thirty(client, cell):
    referent = UserFactory()
    client.force_login(referent)
    Referent.objects.create(user=referent, institution=InstitutionFactory())
    few = count(get(client, "/espace/mises-a-disposition/"))
    for _ in range(MANY - 1):
        Referent.objects.create(user=referent, institution=InstitutionFactory())
    many = count(get(client, "/espace/mises-a-disposition/"))
    assert_budget(few, many, budget=3)


def test_the_technical_profile_costs_the_same_with_one_request_or_thirty(client, cell):
    library = InstitutionFactory(name="Médiathèque Jean-Macé")
    logged(client, "anne")
    file_request(library=library, cell=cell)
    address = f"/espace/bibliotheques/{library.pk}/profil-technique/"
    few = count(get(client, address))
    for number in range(1, MANY):
        file_request(library=library, cell=cell, title=f"Demande {number}")
    many = count(get(client, address))
    assert_budget(few, many, budget=6)


def test_the_agenda_forms_cost_the_same_with_one_cell_or_thirty(client, cell):
    logged(client, "coord")
    start = timezone.now() + datetime.timedelta(days=1)
    event = Event.objects.create(
        person=person("coord"),
        title="Congés",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    addresses = ["/espace/agenda/nouveau/", f"/espace/agenda/{event.pk}/modifier/"]
    few = [count(get(client, address)) for address in addresses]
    for _ in range(MANY - 1):
        member_of(CellFactory(), person=person("coord"), role=Membership.Role.COORDINATOR)
    many = [count(get(client, address)) for address in addresses]
    for one, thirty, budget in zip(few, many, [3, 4], strict=True):
        assert_budget(one, thirty, budget)


# --- Public pages without related rows --------------------------------------------------------


def test_the_library_search_costs_the_same_with_one_match_or_thirty(client):
    InstitutionFactory(name="Médiathèque de Lyon 0")
    few = count(get(client, "/demande/bibliotheques/?q=lyon"))
    for number in range(1, MANY):
        InstitutionFactory(name=f"Médiathèque de Lyon {number}")
    many = count(get(client, "/demande/bibliotheques/?q=lyon"))
    assert_budget(few, many, budget=1)


# --- Downloads ---------------------------------------------------------------------------------


def pdf(number: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"lettre-{number}.pdf", PDF, content_type="application/pdf")


def test_the_attachment_downloads_cost_the_same_with_one_attachment_or_thirty(client, cell):
    filed = under_review(cell)
    post_message(request=filed, body="Pièce 0", party=Party.LIBRARY, files=[pdf(0)])
    first = filed.attachments.get()
    team = logged(Client(), "anne")
    library = get(client, f"/suivi/{filed.tracking_token}/pieces/{first.pk}/")
    team_copy = get(team, f"/espace/demandes/{filed.reference}/pieces/{first.pk}/")
    few = [count(library), count(team_copy)]
    for number in range(1, MANY):
        post_message(
            request=filed, body=f"Pièce {number}", party=Party.LIBRARY, files=[pdf(number)]
        )
    many = [count(library), count(team_copy)]
    for one, thirty, budget in zip(few, many, [2, 5], strict=True):
        assert_budget(one, thirty, budget)


def test_the_deliverable_downloads_cost_the_same_with_one_version_or_thirty(client, cell):
    intervention = accepted(cell)
    deliverable = add_deliverable(
        intervention,
        Deliverable(title="Notice", type="report", licence="CC-BY-4.0", reusable=True),
        version_label="1",
        upload=text_file(),
        by=person("anne"),
    )
    version = deliverable.versions.get()
    team = logged(Client(), "anne")
    base = f"/espace/interventions/{intervention.request.reference}/livrables/{deliverable.pk}"
    downloads = [
        get(client, f"/realisations/livrables/{deliverable.pk}/fichier/{version.pk}/"),
        get(team, f"{base}/fichier/{version.pk}/"),
        get(client, f"/realisations/livrables/{deliverable.pk}/nous-aussi/"),
    ]
    few = [count(download) for download in downloads]
    for number in range(2, MANY + 1):
        add_version(deliverable, label=str(number), upload=text_file(), by=person("anne"))
    many = [count(download) for download in downloads]
    for one, thirty, budget in zip(few, many, [1, 4, 1], strict=True):
        assert_budget(one, thirty, budget)


def test_a_members_photo_costs_the_same_with_one_membership_or_thirty(client):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    photographed = member_of()
    photographed.photo = SimpleUploadedFile("moi.png", buffer.getvalue(), content_type="image/png")
    photographed.save()
    address = f"/equipe/{photographed.slug}/photo/"
    few = count(get(client, address))
    for _ in range(MANY - 1):
        member_of(CellFactory(), person=photographed)
    many = count(get(client, address))
    assert_budget(few, many, budget=1)


# --- Pages that list nothing -------------------------------------------------------------------


def test_the_pages_that_list_nothing_cost_the_same_with_one_request_or_thirty(client):
    addresses = [
        "/suivi/lien-perdu/",
        "/demande/envoyee/",
        "/connexion/",
        "/connexion/mot-de-passe-oublie/",
        "/connexion/mot-de-passe-oublie/envoye/",
        "/connexion/nouveau-mot-de-passe/enregistre/",
    ]
    file_request()
    few = [count(get(client, address)) for address in addresses]
    for number in range(1, MANY):
        file_request(title=f"Demande {number}")
    many = [count(get(client, address)) for address in addresses]
    for one, thirty, budget in zip(few, many, [0, 0, 0, 0, 0, 0], strict=True):
        assert_budget(one, thirty, budget)
