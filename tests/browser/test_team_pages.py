"""A visitor meets the team, opens a profile and reads the vade-mecum, every page checked by axe."""

from __future__ import annotations

import base64
import datetime

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from g2id.taxonomy.models import Domain
from g2id.team.models import Membership, Skill
from tests.browser.axe import axe_check
from tests.browser.texts import fr
from tests.factories import CellFactory, InstitutionFactory, MembershipFactory, UserFactory

# A 1x1 transparent PNG: enough for an <img> with its alternative text.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def test_a_visitor_meets_the_team_and_reads_how_it_works(page: Page):
    today = timezone.localdate()
    cell = CellFactory(
        name="Multimédia Bretagne",
        slug="multimedia-bretagne",
        speciality="Multimédia",
        region="53",
        member_cap=3,
        charter="**Qui** : trois praticiens.\n\n- ateliers\n- portails",
    )
    claire = UserFactory(
        username="claire", first_name="Claire", last_name="Dubois", keywords="Koha, Omeka"
    )
    claire.bio = "Bibliothécaire système, spécialiste des portails."
    claire.photo.save("claire.png", ContentFile(PIXEL))
    Skill.objects.create(person=claire, domain=Domain.objects.get(code="A1"), level=3)
    MembershipFactory(
        cell=cell,
        person=claire,
        role=Membership.Role.COORDINATOR,
        home_institution=InstitutionFactory(name="Bibliothèque des Champs Libres"),
        start_date=today - datetime.timedelta(days=300),
        planned_end_date=today + datetime.timedelta(days=100),
    )

    page.goto("/")
    page.get_by_role("navigation", name=fr("Menu principal", "Main menu")).get_by_role(
        "link", name=fr("L'équipe", "The team")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(fr("L'équipe", "The team"))
    cell_section = page.get_by_role("region", name="Multimédia Bretagne")
    expect(cell_section.get_by_role("note")).to_contain_text(
        fr("Cette cellule recrute.", "This cell is recruiting.")
    )
    with translation.override("fr"):
        alt = translation.gettext("Photo of %(name)s") % {"name": "Claire Dubois"}
    expect(cell_section.get_by_role("img", name=alt)).to_be_visible()
    axe_check(page, "the team page")

    cell_section.get_by_role("link", name="Claire Dubois").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Claire Dubois")
    expect(page.get_by_text("Bibliothèque des Champs Libres")).to_be_visible()
    axe_check(page, "a member's profile")

    page.get_by_role("navigation", name=fr("Menu principal", "Main menu")).get_by_role(
        "link", name=fr("Notre fonctionnement", "How we work")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vade-mecum")
    expect(page.get_by_role("heading", name=fr("Délais", "Delays")).first).to_be_visible()
    axe_check(page, "the vade-mecum")
