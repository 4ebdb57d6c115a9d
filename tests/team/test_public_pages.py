"""The public team pages: the cells and their members, a member's profile, the vade-mecum."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from g2id.public.cache import recent_copies
from g2id.taxonomy.models import Domain
from g2id.team.models import Membership, Skill
from tests.factories import (
    CellFactory,
    InstitutionFactory,
    MembershipFactory,
    UserFactory,
    national_cell,
)

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def cell():
    """A regional cell with room for three."""
    return CellFactory(
        name="Multimédia Bretagne",
        slug="multimedia-bretagne",
        speciality="Multimédia",
        region="53",
        member_cap=3,
    )


def seat(cell, today, *, name: str, ends_in_days: int = 900, **kwargs) -> Membership:
    """An active membership of `cell` for a new person called `name`."""
    first, last = name.split(" ", 1)
    return MembershipFactory(
        cell=cell,
        person=UserFactory(
            username=name.lower().replace(" ", "."), first_name=first, last_name=last
        ),
        start_date=today - 200 * DAY,
        planned_end_date=today + ends_in_days * DAY,
        **kwargs,
    )


def fill(cell, today, *, ends_in_days: int = 900) -> list[Membership]:
    names = ["Anne Martin", "Bruno Leroy", "Chloé Petit", "David Roux", "Emma Faure"]
    return [
        seat(cell, today, name=name, ends_in_days=ends_in_days) for name in names[: cell.member_cap]
    ]


def give_skills(person, *codes_and_levels: tuple[str, int]) -> None:
    for code, level in codes_and_levels:
        Skill.objects.create(person=person, domain=Domain.objects.get(code=code), level=level)


def page(client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode()


# The team page


def test_the_team_page_shows_each_cell_with_its_members_in_french(client, cell, today):
    library = InstitutionFactory(name="Bibliothèque municipale de Rennes")
    membership = seat(
        cell,
        today,
        name="Claire Dubois",
        role=Membership.Role.COORDINATOR,
        home_institution=library,
        share_percent=40,
    )
    person = membership.person
    person.bio = "Bibliothécaire système depuis quinze ans."
    person.keywords = "Koha, Omeka"
    person.save()
    give_skills(person, ("A1", 3), ("B1", 1))

    html = page(client, "/equipe/")

    assert '<html lang="fr"' in html
    assert "<h1>L'équipe</h1>" in html
    assert "Multimédia Bretagne" in html
    assert "région Bretagne" in html
    assert "Informatique documentaire" in html and "nationale" in html
    assert f'href="/equipe/{person.slug}/"' in html
    assert 'href="/agenda/multimedia-bretagne.ics"' in html
    assert "Claire Dubois" in html and "Coordinateur" in html
    assert "Bibliothécaire système depuis quinze ans." in html
    assert "Bibliothèque municipale de Rennes" in html
    assert "40 %" in html
    assert "Paramétrage circulation" in html and "Expert" in html
    assert "Formats MARC" in html
    assert "Koha" in html and "Omeka" in html
    start = membership.start_date
    assert f"depuis le {start.day}" in html and "jusqu'au" in html


def test_the_team_page_exists_in_english(client, cell, today):
    membership = seat(cell, today, name="Claire Dubois")
    give_skills(membership.person, ("A1", 2))

    html = page(client, "/en/equipe/")

    assert '<html lang="en"' in html
    assert "<h1>The team</h1>" in html
    assert "Circulation settings" in html and "Practitioner" in html
    assert "region Brittany" in html or "region Bretagne" in html
    assert f'href="/en/equipe/{membership.person.slug}/"' in html


def test_ended_and_future_memberships_are_not_listed_as_active(client, cell, today):
    seat(cell, today, name="Anne Active")
    MembershipFactory(
        cell=cell,
        person=UserFactory(username="ancien", first_name="Paul", last_name="Ancien"),
        start_date=today - 900 * DAY,
        planned_end_date=today - 10 * DAY,
        end_date=today - 10 * DAY,
    )
    MembershipFactory(
        cell=cell,
        person=UserFactory(username="futur", first_name="Lina", last_name="Future"),
        start_date=today + 30 * DAY,
        planned_end_date=today + 900 * DAY,
    )
    MembershipFactory(
        cell=cell,
        person=UserFactory(username="oublie", first_name="Oscar", last_name="Oublié"),
        start_date=today - 900 * DAY,
        planned_end_date=today - 1 * DAY,
    )

    html = page(client, "/equipe/")

    assert "Anne Active" in html
    assert "Paul Ancien" not in html
    assert "Lina Future" not in html
    assert "Oscar Oublié" not in html, "a planned end that has passed is the last day of service"


def test_a_cell_with_a_free_seat_is_recruiting_and_says_so(client, cell, today):
    seat(cell, today, name="Anne Martin")
    seat(cell, today, name="Bruno Leroy")

    html = page(client, "/equipe/")

    assert "Cette cellule recrute." in html
    assert "Une place est libre aujourd'hui." in html


def test_a_full_cell_with_a_term_ending_within_six_months_is_recruiting_and_says_whose(
    client, cell, today
):
    members = fill(cell, today)
    leaving = members[1]
    leaving.planned_end_date = today + 100 * DAY
    leaving.save()

    html = page(client, "/en/equipe/")
    section = html.split('id="cell-multimedia-bretagne"', 1)[1]

    assert "This cell is recruiting." in section
    assert "seat is free today" not in section and "seats are free today" not in section
    assert f"The term of {leaving.person} ends on" in section


def test_a_full_cell_with_long_terms_is_not_recruiting(client, cell, today):
    fill(cell, today, ends_in_days=400)

    html = page(client, "/equipe/")
    section = html.split('id="cell-multimedia-bretagne"', 1)[1].split("<section", 1)[0]

    assert "recrute" not in section


def test_the_charter_is_markdown_without_scripts(client, cell):
    cell.charter = (
        "**Qui** : nous.\n\n<script>alert('charte')</script>\n\n[lien](javascript:alert(1))"
    )
    cell.save()

    html = page(client, "/equipe/")

    assert "<strong>Qui</strong>" in html
    assert "alert(&#x27;charte&#x27;)" not in html and "<script>alert" not in html
    assert "javascript:" not in html


def test_the_team_page_costs_the_same_queries_with_one_or_five_members(client, today):
    cell = CellFactory(member_cap=5)
    first = seat(cell, today, name="Anne Martin", home_institution=InstitutionFactory())
    give_skills(first.person, ("A1", 3), ("B1", 2), ("A2", 1))
    with CaptureQueriesContext(connection) as with_one:
        page(client, "/equipe/")

    for name in ["Bruno Leroy", "Chloé Petit", "David Roux", "Emma Faure"]:
        other = seat(cell, today, name=name, home_institution=InstitutionFactory())
        give_skills(other.person, ("A1", 2), ("B1", 3), ("A4", 1))
    recent_copies.clear()  # as in a process that never held the page (else one read more)
    with CaptureQueriesContext(connection) as with_five:
        html = page(client, "/equipe/")

    assert "Emma Faure" in html
    assert len(with_five) == len(with_one), [q["sql"] for q in with_five.captured_queries]


# A member's profile


def test_a_member_profile_shows_skills_memberships_and_the_agenda(client, cell, today):
    membership = seat(
        cell, today, name="Claire Dubois", home_institution=InstitutionFactory(name="BDP Ille")
    )
    person = membership.person
    person.bio = "Spécialiste des portails."
    person.keywords = "Bokeh, Drupal"
    person.save()
    give_skills(person, ("B1", 1))

    html = page(client, f"/equipe/{person.slug}/")

    assert "<h1>Claire Dubois</h1>" in html
    assert "Spécialiste des portails." in html
    assert "Formats MARC" in html and "Notions" in html
    assert "Bokeh" in html and "Drupal" in html
    assert "Multimédia Bretagne" in html and "BDP Ille" in html and "En cours" in html
    assert f'href="/equipe/{person.slug}/agenda.ics"' in html
    assert "Semaine du lundi" in html or "Week of Monday" in html
    assert "Ancien membre" not in html


def test_a_member_profile_exists_in_english(client, member):
    html = page(client, f"/en/equipe/{member.slug}/")

    assert '<html lang="en"' in html
    assert "Memberships" in html and "Current" in html


def test_a_former_member_keeps_a_profile_with_ended_memberships_and_no_agenda(client, cell, today):
    person = UserFactory(username="ancienne", first_name="Hélène", last_name="Ancienne")
    MembershipFactory(
        cell=cell,
        person=person,
        start_date=today - 800 * DAY,
        planned_end_date=today - 20 * DAY,
        end_date=today - 20 * DAY,
    )

    html = page(client, f"/equipe/{person.slug}/")

    assert "Ancien membre" in html
    assert "Terminé" in html and "En cours" not in html
    assert "agenda.ics" not in html
    assert "Hélène Ancienne" not in page(client, "/equipe/")


def test_an_upcoming_member_has_a_profile_marked_upcoming(client, cell, today):
    person = UserFactory(username="arrivee", first_name="Inès", last_name="Arrivée")
    MembershipFactory(
        cell=cell, person=person, start_date=today + 15 * DAY, planned_end_date=today + 700 * DAY
    )

    html = page(client, f"/en/equipe/{person.slug}/")

    assert "Upcoming" in html and "starting on" in html
    assert "Former member" not in html
    assert "agenda.ics" not in html, "the agenda is public from the first day of service"


def test_an_unknown_member_is_a_404(client):
    assert client.get("/equipe/personne-inconnue/").status_code == 404


def test_an_account_that_never_served_has_no_public_profile(client, outsider):
    assert client.get(f"/equipe/{outsider.slug}/").status_code == 404


def test_a_profile_bio_is_escaped(client, cell, today):
    person = seat(cell, today, name="Marc Script").person
    person.bio = "<script>alert('bio')</script>"
    person.save()

    html = page(client, f"/equipe/{person.slug}/")

    assert "<script>alert" not in html


# The vade-mecum


def test_the_vade_mecum_shows_the_default_text_with_the_positioning_target(client):
    cell = national_cell()
    cell.positioning_target_days = 7
    cell.save()

    html = page(client, "/vade-mecum/")

    assert '<html lang="fr"' in html
    assert "Comment nous demander" in html
    assert "7 jours ouvrés" in html
    assert 'href="/demande/"' in html
    assert "Réorientations" in html


def test_the_vade_mecum_exists_in_english(client):
    html = page(client, "/en/vade-mecum/")

    assert '<html lang="en"' in html
    assert "10 working days" in html
    assert "What we don't do" in html


def test_a_cell_s_own_vade_mecum_replaces_the_default_and_is_sanitised(client, cell):
    cell.vade_mecum = "## Nos délais\n\nUne semaine.\n\n<script>alert('vm')</script>"
    cell.save()

    html = page(client, "/vade-mecum/")
    section = html.split('id="vade-mecum-multimedia-bretagne"', 1)[1]

    assert "<h2>Nos délais</h2>" in section
    assert "<script>alert" not in html
    assert "Comment nous demander" not in section.split("</section>", 1)[0]


# Navigation


def test_the_header_and_the_home_page_lead_to_the_team_and_the_vade_mecum(client):
    html = page(client, "/")

    assert html.count('href="/equipe/"') >= 2
    assert 'href="/vade-mecum/"' in html
    assert 'href="/equipe/" aria-current="page"' in page(client, "/equipe/")


def test_a_members_photo_is_served_from_the_profile_address(client, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from tests.factories import member_of

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    person = member_of()
    person.photo = SimpleUploadedFile("moi.png", buffer.getvalue(), content_type="image/png")
    person.save()
    response = client.get(f"/equipe/{person.slug}/photo/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == buffer.getvalue()
    assert f"/equipe/{person.slug}/photo/" in client.get("/equipe/").content.decode()


def test_a_person_without_a_public_profile_has_no_photo_address(client):
    from tests.factories import UserFactory

    stranger = UserFactory()
    assert client.get(f"/equipe/{stranger.slug}/photo/").status_code == 404
