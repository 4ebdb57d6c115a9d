"""The coordinator's back office: who may do what, the rules on the fields, the dashboard."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from g2id.accounts.models import User
from g2id.requests.models import Party
from g2id.requests.services import post_message
from g2id.team.models import Cell, Membership
from tests.factories import CellFactory, InstitutionFactory, MembershipFactory, UserFactory
from tests.factories import file_request as filed_request

D = datetime.date
TODAY = D(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 10, 0), tick=False)


@pytest.fixture
def cell() -> Cell:
    return CellFactory(name="Cellule multimédia", slug="multimedia")


def join(cell: Cell, *, role: str = Membership.Role.MEMBER, **kwargs) -> Membership:
    kwargs.setdefault("start_date", D(2025, 1, 1))
    kwargs.setdefault("planned_end_date", D(2028, 12, 31))
    return MembershipFactory(cell=cell, role=role, **kwargs)


@pytest.fixture
def coordinator(cell) -> User:
    return join(
        cell,
        role=Membership.Role.COORDINATOR,
        person=UserFactory(username="coord", first_name="Hélène", last_name="Coordin"),
    ).person


@pytest.fixture
def membership(cell) -> Membership:
    return join(cell, person=UserFactory(first_name="Marc", last_name="Membre"))


@pytest.fixture
def other_cell() -> Cell:
    return CellFactory(name="Cellule communication", slug="communication")


@pytest.fixture
def other_coordinator(other_cell) -> User:
    return join(other_cell, role=Membership.Role.COORDINATOR).person


@pytest.fixture
def operator() -> User:
    return UserFactory(username="exploitant", is_staff=True, is_superuser=True)


def as_user(client: Client, user: User | None) -> Client:
    if user is not None:
        client.force_login(user)
    return client


def dashboard(cell: Cell) -> str:
    return f"/espace/equipe/{cell.slug}/"


def pages(cell: Cell, membership: Membership) -> list[tuple[str, str, dict]]:
    """Every page and action of a cell's back office, with valid data for the actions."""
    base = dashboard(cell)
    add = {
        "person": "",
        "first_name": "Nina",
        "last_name": "Nouvelle",
        "email": "nina@example.org",
        "role": "member",
        "share_percent": "50",
        "start_date": "2026-04-01",
        "planned_end_date": "2027-03-31",
    }
    return [
        ("get", base, {}),
        ("get", base + "membres/ajouter/", {}),
        ("post", base + "membres/ajouter/", add),
        ("get", base + f"membres/{membership.pk}/renouveler/", {}),
        ("post", base + f"membres/{membership.pk}/renouveler/", {"planned_end_date": "2029-06-30"}),
        ("get", base + f"membres/{membership.pk}/terminer/", {}),
        ("post", base + f"membres/{membership.pk}/terminer/", {"end_date": "2026-06-30"}),
        ("get", base + "textes/", {}),
        ("post", base + "textes/", {"charter": "Piratée", "vade_mecum": "Piraté"}),
    ]


def statuses(client: Client, cell: Cell, membership: Membership) -> list[int]:
    return [
        getattr(client, method)(url, data).status_code
        for method, url, data in pages(cell, membership)
    ]


def assert_nothing_changed(cell: Cell, membership: Membership) -> None:
    membership.refresh_from_db()
    cell.refresh_from_db()
    assert membership.planned_end_date == D(2028, 12, 31)
    assert membership.end_date is None
    assert cell.charter != "Piratée"
    assert not User.objects.filter(email="nina@example.org").exists()


# --- Permissions ---------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_login_page_from_every_page(client, cell, membership):
    for method, url, data in pages(cell, membership):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302
        assert response.url.startswith("/connexion/")
    assert client.get("/espace/equipe/").status_code == 302
    assert_nothing_changed(cell, membership)


def test_the_coordinator_opens_every_page_and_runs_every_action(
    client, cell, coordinator, membership
):
    codes = statuses(as_user(client, coordinator), cell, membership)
    assert codes == [200, 200, 302, 200, 302, 200, 302, 200, 302]
    membership.refresh_from_db()
    assert membership.planned_end_date == D(2029, 6, 30)
    assert membership.end_date == D(2026, 6, 30)
    assert User.objects.get(email="nina@example.org").memberships.get().cell == cell


def test_a_member_of_the_cell_who_does_not_coordinate_it_is_forbidden_everything(
    client, cell, coordinator, membership
):
    codes = statuses(as_user(client, membership.person), cell, membership)
    assert codes == [403] * 9
    assert_nothing_changed(cell, membership)


def test_a_member_of_another_cell_finds_nothing(client, cell, other_cell, membership):
    stranger = join(other_cell).person
    assert statuses(as_user(client, stranger), cell, membership) == [404] * 9
    assert_nothing_changed(cell, membership)


def test_another_cells_coordinator_finds_nothing_in_this_cell(
    client, cell, other_coordinator, membership
):
    assert statuses(as_user(client, other_coordinator), cell, membership) == [404] * 9
    assert_nothing_changed(cell, membership)


def test_a_coordinator_cannot_reach_another_cells_membership_through_their_own_cell(
    client, cell, other_cell, coordinator
):
    elsewhere = join(other_cell)
    client.force_login(coordinator)
    base = dashboard(cell)
    assert client.get(base + f"membres/{elsewhere.pk}/renouveler/").status_code == 404
    response = client.post(base + f"membres/{elsewhere.pk}/terminer/", {"end_date": "2026-06-30"})
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.end_date is None


def test_a_person_in_no_cell_finds_nothing(client, cell, membership, outsider):
    assert statuses(as_user(client, outsider), cell, membership) == [404] * 9


def test_a_former_coordinator_loses_the_back_office(client, cell, membership):
    former = join(cell, role=Membership.Role.COORDINATOR, end_date=D(2026, 2, 28)).person
    assert statuses(as_user(client, former), cell, membership) == [404] * 9


def test_an_operator_manages_any_cell(client, cell, membership, operator):
    codes = statuses(as_user(client, operator), cell, membership)
    assert codes == [200, 200, 302, 200, 302, 200, 302, 200, 302]


def test_the_actions_refuse_a_post_without_the_csrf_token(cell, coordinator, membership):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    assert [code for code in statuses(client, cell, membership)] == [
        200, 200, 403, 200, 403, 200, 403, 200, 403,
    ]  # fmt: skip
    assert_nothing_changed(cell, membership)


def test_the_cells_page_lists_only_the_cells_the_coordinator_runs(
    client, cell, other_cell, coordinator, other_coordinator
):
    page = as_user(client, coordinator).get("/espace/equipe/").content.decode()
    assert "Cellule multimédia" in page
    assert "Cellule communication" not in page


def test_a_member_who_coordinates_nothing_is_told_so(client, membership):
    response = as_user(client, membership.person).get("/espace/equipe/")
    assert response.status_code == 200
    assert "Vous ne coordonnez aucune cellule" in response.content.decode()


def test_an_operator_sees_every_cell(client, cell, other_cell, operator):
    page = as_user(client, operator).get("/espace/equipe/").content.decode()
    assert "Cellule multimédia" in page and "Cellule communication" in page


# --- Adding a member -------------------------------------------------------------------------


def add_member(client: Client, cell: Cell, **fields):
    data = {
        "person": "",
        "first_name": "",
        "last_name": "",
        "email": "",
        "role": "member",
        "home_institution": "",
        "share_percent": "50",
        "start_date": "2026-04-01",
        "planned_end_date": "2027-03-31",
        **fields,
    }
    return client.post(dashboard(cell) + "membres/ajouter/", data)


def errors_on(response, field: str) -> list[str]:
    return [str(error) for error in response.context["form"].errors.get(field, [])]


@pytest.fixture
def logged_coordinator(client, coordinator) -> User:
    client.force_login(coordinator)
    return coordinator


def test_the_coordinator_adds_an_existing_person_found_by_email_with_their_institution(
    client, cell, logged_coordinator
):
    person = UserFactory(email="Paul.Pret@bm-lyon.fr")
    lyon = InstitutionFactory(name="Bibliothèque municipale de Lyon", isil="FR-693832101")
    response = add_member(
        client, cell, person="paul.pret@bm-lyon.fr", home_institution="fr-693832101",
        share_percent="30",
    )  # fmt: skip
    assert response.status_code == 302
    added = Membership.objects.get(cell=cell, person=person)
    assert (added.home_institution, added.share_percent) == (lyon, 30)
    assert (added.start_date, added.planned_end_date) == (D(2026, 4, 1), D(2027, 3, 31))
    page = client.get(response.url).content.decode()
    assert "Bibliothèque municipale de Lyon" in page


def test_the_coordinator_creates_the_account_of_a_new_member_without_a_password(
    client, cell, logged_coordinator
):
    response = add_member(
        client, cell, first_name="Nina", last_name="Nouvelle", email="nina@example.org",
        role="coordinator",
    )  # fmt: skip
    assert response.status_code == 302
    nina = User.objects.get(email="nina@example.org")
    assert (nina.first_name, nina.last_name) == ("Nina", "Nouvelle")
    assert not nina.has_usable_password()
    assert nina.memberships.get().role == Membership.Role.COORDINATOR


def test_a_sixth_member_is_refused_on_the_start_with_the_rule_and_the_date(
    client, cell, logged_coordinator
):
    for _ in range(4):
        join(cell)
    response = add_member(client, cell, first_name="Sam", last_name="Sixième", email="s@x.org")
    assert response.status_code == 400
    (message,) = errors_on(response, "start_date")
    assert "Règle des 5 membres" in message and "01/04/2026" in message
    assert not User.objects.filter(email="s@x.org").exists()  # the new account is not kept
    assert Membership.objects.filter(cell=cell).count() == 5


def test_a_planned_end_beyond_five_years_is_refused_with_the_latest_allowed_date(
    client, cell, logged_coordinator
):
    person = UserFactory(username="longue")
    response = add_member(client, cell, person="longue", planned_end_date="2031-06-30")
    assert response.status_code == 400
    (message,) = errors_on(response, "planned_end_date")
    assert "Règle des 5 ans" in message and "31/03/2031" in message
    assert not person.memberships.exists()


def test_an_overlapping_membership_is_refused(client, cell, logged_coordinator, membership):
    response = add_member(client, cell, person=membership.person.username)
    assert response.status_code == 400
    (message,) = errors_on(response, "start_date")
    assert "renouvelez" in message
    assert Membership.objects.filter(person=membership.person).count() == 1


def test_a_planned_end_before_the_start_is_refused(client, cell, logged_coordinator):
    UserFactory(username="presse")
    response = add_member(client, cell, person="presse", planned_end_date="2026-03-31")
    assert response.status_code == 400
    assert "avant le début" in errors_on(response, "planned_end_date")[0]
    assert Membership.objects.filter(cell=cell).count() == 1


@pytest.mark.parametrize("share", ["0", "9", "101", "150", "cent"])
def test_a_share_outside_10_to_100_percent_is_refused(client, cell, logged_coordinator, share):
    UserFactory(username="quotite")
    response = add_member(client, cell, person="quotite", share_percent=share)
    assert response.status_code == 400
    assert "entre 10 et 100" in errors_on(response, "share_percent")[0]
    assert Membership.objects.filter(cell=cell).count() == 1


def test_an_unknown_person_is_refused(client, cell, logged_coordinator):
    response = add_member(client, cell, person="personne@nulle-part.fr")
    assert response.status_code == 400
    assert "Aucun compte" in errors_on(response, "person")[0]


def test_a_new_person_needs_a_name_and_an_email(client, cell, logged_coordinator):
    response = add_member(client, cell, first_name="Nina")
    assert response.status_code == 400
    assert errors_on(response, "last_name") and errors_on(response, "email")
    assert not errors_on(response, "first_name")


def test_a_new_person_with_the_email_of_an_existing_account_is_refused(
    client, cell, logged_coordinator
):
    UserFactory(email="deja@example.org")
    response = add_member(client, cell, first_name="Déjà", last_name="Vu", email="DEJA@example.org")
    assert response.status_code == 400
    assert "existe déjà" in errors_on(response, "email")[0]


def test_an_unknown_or_ambiguous_home_institution_is_refused(client, cell, logged_coordinator):
    UserFactory(username="itinerante")
    InstitutionFactory(name="Médiathèque de Brest", city="Brest", postcode="29200")
    InstitutionFactory(name="Médiathèque de Bresse", city="Bourg", postcode="01000")
    unknown = add_member(client, cell, person="itinerante", home_institution="Bibliothèque X")
    assert "Aucun établissement" in errors_on(unknown, "home_institution")[0]
    ambiguous = add_member(
        client, cell, person="itinerante", home_institution="Médiathèque de Bres"
    )
    (message,) = errors_on(ambiguous, "home_institution")
    assert "Plusieurs établissements" in message and "Brest" in message
    exact = add_member(client, cell, person="itinerante", home_institution="médiathèque de brest")
    assert exact.status_code == 302


# --- Renewing and ending ---------------------------------------------------------------------


def renew(client: Client, membership: Membership, day: str):
    url = f"{dashboard(membership.cell)}membres/{membership.pk}/renouveler/"
    return client.post(url, {"planned_end_date": day})


def end(client: Client, membership: Membership, day: str):
    url = f"{dashboard(membership.cell)}membres/{membership.pk}/terminer/"
    return client.post(url, {"end_date": day})


def test_a_renewal_beyond_five_years_is_refused_with_the_latest_allowed_date(
    client, cell, logged_coordinator, membership
):
    response = renew(client, membership, "2030-06-30")
    assert response.status_code == 400
    (message,) = errors_on(response, "planned_end_date")
    assert "Règle des 5 ans" in message and "31/12/2029" in message
    membership.refresh_from_db()
    assert membership.planned_end_date == D(2028, 12, 31)


def test_a_renewal_within_the_rules_moves_the_planned_end(
    client, cell, logged_coordinator, membership
):
    assert renew(client, membership, "2029-12-31").status_code == 302
    membership.refresh_from_db()
    assert membership.planned_end_date == D(2029, 12, 31)


def test_an_end_before_the_start_is_refused_on_the_field(
    client, cell, logged_coordinator, membership
):
    response = end(client, membership, "2024-12-31")
    assert response.status_code == 400
    assert "avant le début" in errors_on(response, "end_date")[0]
    membership.refresh_from_db()
    assert membership.end_date is None


def test_an_end_after_the_planned_end_must_go_through_a_renewal(
    client, cell, logged_coordinator, membership
):
    response = end(client, membership, "2031-12-31")
    assert response.status_code == 400
    (message,) = errors_on(response, "end_date")
    assert "31/12/2028" in message and "renouvelez" in message
    membership.refresh_from_db()
    assert membership.end_date is None


def test_an_ended_membership_moves_to_the_past(client, cell, logged_coordinator, membership):
    assert end(client, membership, "2026-03-01").status_code == 302
    page = client.get(dashboard(cell)).content.decode()
    past = page.split("Mandats passés")[1]
    assert "Marc Membre" in past
    assert "Marc Membre" not in page.split("Mandats passés")[0].split("Membres actifs")[1]


def test_a_renewal_of_an_ended_membership_is_refused(client, cell, logged_coordinator):
    ended = join(cell, end_date=D(2026, 1, 31))
    response = renew(client, ended, "2028-12-31")
    assert response.status_code == 400
    assert errors_on(response, "planned_end_date")


# --- Charter and vade-mecum ------------------------------------------------------------------


def test_the_coordinator_edits_the_texts_and_sees_them_rendered(client, cell, logged_coordinator):
    url = dashboard(cell) + "textes/"
    response = client.post(
        url,
        {
            "charter": "## Qui\n\nDes **praticiens** <script>alert(1)</script>",
            "vade_mecum": "- Demander\n- Attendre",
        },
    )
    assert response.status_code == 302
    cell.refresh_from_db()
    assert cell.charter.startswith("## Qui")
    page = client.get(url).content.decode()
    assert "<h2>Qui</h2>" in page and "<strong>praticiens</strong>" in page
    assert "<li>Demander</li>" in page
    assert "<script>alert(1)" not in page


# --- The dashboard ---------------------------------------------------------------------------


def test_the_dashboard_warns_of_terms_ending_within_six_months_and_of_the_recruiting_need(
    client, cell, logged_coordinator
):
    join(cell, person=UserFactory(first_name="Sophie", last_name="Sortante"),
         planned_end_date=D(2026, 8, 31))  # fmt: skip
    join(cell, person=UserFactory(first_name="Luc", last_name="Lointain"),
         planned_end_date=D(2026, 9, 30))  # fmt: skip
    page = client.get(dashboard(cell)).content.decode()
    warning = page.split('id="warnings"')[1].split("</section>")[0]
    assert "Sophie Sortante" in warning and "31/08/2026" in warning
    assert "Luc Lointain" not in warning  # beyond six months
    assert "recrute" in warning and "2 places libres" in warning


def test_a_full_cell_with_no_term_ending_soon_shows_no_warning(client, cell, logged_coordinator):
    for _ in range(4):
        join(cell)
    page = client.get(dashboard(cell)).content.decode()
    assert 'id="warnings"' not in page


def load_of(page: str, username: str) -> int:
    return int(page.split(f'data-load="{username}">')[1].split("<")[0])


def test_the_dashboard_counts_the_open_requests_each_member_follows(
    client, cell, other_cell, logged_coordinator, membership
):
    marc = membership.person
    marc.username = "marc"
    marc.save()
    reviewed = filed_request(cell=cell)
    reviewed.take_into_review(by=marc)
    post_message(request=reviewed, body="Je regarde.", party=Party.TEAM, author=marc)
    written = filed_request(cell=cell)
    post_message(request=written, body="Note", party=Party.TEAM, author=marc, internal=True)
    finished = filed_request(cell=cell)
    finished.take_into_review(by=marc)
    finished.withdraw()
    elsewhere = filed_request(cell=other_cell)
    elsewhere.take_into_review(by=marc)
    filed_request(cell=cell)  # nobody has touched it yet
    page = client.get(dashboard(cell)).content.decode()
    assert load_of(page, "marc") == 2  # reviewed (counted once) and written
    assert load_of(page, "coord") == 0


def test_the_dashboard_runs_the_same_number_of_queries_for_one_or_five_members(
    client, cell, logged_coordinator, rendered_every_time
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(dashboard(cell)).status_code == 200
        return len(captured)

    # A full cell both times: the recruiting check only looks at term ends when no seat is free.
    Cell.objects.filter(pk=cell.pk).update(member_cap=1)
    join(cell, end_date=D(2025, 12, 31))
    join(cell, start_date=D(2029, 1, 1), planned_end_date=D(2029, 12, 31))
    filed_request(cell=cell).take_into_review(by=logged_coordinator)
    alone = queries()
    Cell.objects.filter(pk=cell.pk).update(member_cap=5)
    for _ in range(4):
        person = join(cell, home_institution=InstitutionFactory()).person
        filed = filed_request(cell=cell)
        filed.take_into_review(by=person)
        post_message(request=filed, body="Vu.", party=Party.TEAM, author=person)
        join(cell, end_date=D(2025, 6, 30), start_date=D(2025, 1, 1))
        join(cell, start_date=D(2029, 1, 1), planned_end_date=D(2029, 12, 31))
    assert queries() == alone


# --- The Django admin ------------------------------------------------------------------------


def test_the_admin_lists_memberships_and_skills_with_filters_and_search(
    client, cell, membership, operator
):
    client.force_login(operator)
    for url in (
        "/admin/team/membership/",
        "/admin/team/skill/",
        f"/admin/team/cell/{cell.pk}/change/",
    ):
        assert client.get(url, {"q": "Membre"}).status_code == 200
    page = client.get("/admin/team/membership/", {"q": "Membre"}).content.decode()
    assert "Marc Membre" in page


def test_the_admin_refuses_a_sixth_member_too(client, cell, operator):
    for _ in range(5):
        join(cell)
    client.force_login(operator)
    newcomer = UserFactory()
    response = client.post(
        "/admin/team/membership/add/",
        {
            "cell": cell.pk,
            "person": newcomer.pk,
            "role": "member",
            "share_percent": "50",
            "start_date": "2026-04-01",
            "planned_end_date": "2027-03-31",
        },
    )
    assert response.status_code == 200
    assert "Règle des 5 membres" in response.content.decode()
    assert not newcomer.memberships.exists()
