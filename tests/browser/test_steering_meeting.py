"""The coordinator runs a steering meeting from its page, in a real browser, checked by axe."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page, expect

from g2id.agenda.schedule import local_zone
from g2id.steering import services
from g2id.steering.models import SteeringDecision
from g2id.team.models import Membership
from tests.browser.axe import axe_check
from tests.browser.texts import fr
from tests.factories import CellFactory, UserFactory, member_of

PASSWORD = "motdepasse-solide-2026"


def log_in(tab: Page, username: str) -> None:
    tab.goto("/connexion/")
    tab.locator("#id_username").fill(username)
    tab.locator("#id_password").fill(PASSWORD)
    tab.get_by_role("button", name=fr("Se connecter", "Log in")).click()


def test_the_coordinator_runs_the_meeting_and_a_member_reads_it(
    new_tab: Callable[..., Page],
) -> None:
    cell = CellFactory(name="Cellule Données", slug="cellule-donnees")
    coordinator = UserFactory(username="coordo", first_name="Mathilde", last_name="Lefebvre")
    member_of(cell, person=coordinator, role=Membership.Role.COORDINATOR)
    member_of(cell, person=UserFactory(username="anne", first_name="Anne", last_name="Aubert"))
    day = timezone.localdate() + datetime.timedelta(days=7)
    starts_at = datetime.datetime.combine(day, datetime.time(14), tzinfo=local_zone())
    meeting = services.schedule_meeting(
        cell=cell,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        by=coordinator,
    )
    path = f"/espace/equipe/{cell.slug}/pilotage/{meeting.pk}/"

    tab = new_tab()
    log_in(tab, "coordo")
    tab.goto(f"/espace/equipe/{cell.slug}/")
    tab.get_by_role("link", name=fr("Comités de pilotage", "Steering meetings")).click()
    tab.get_by_role("link", name=day.strftime("%Y")).first.wait_for(state="attached")
    tab.goto(path)
    expect(tab.get_by_role("heading", level=2, name=fr("Ordre du jour", "Agenda"))).to_be_visible()
    axe_check(tab, "steering meeting page, coordinator")

    # A decision without owner nor due date is refused, field by field.
    tab.locator("#id_decision-text").fill("Rédiger la fiche de recrutement")
    tab.get_by_role("button", name=fr("Enregistrer la décision", "Record the decision")).click()
    expect(
        tab.get_by_text(
            fr(
                "Désignez le membre qui met en œuvre cette décision.",
                "Name the member who carries out this decision.",
            )
        ).first
    ).to_be_visible()
    axe_check(tab, "steering meeting page with errors")
    tab.locator("#id_decision-owner").select_option(label="Anne Aubert")
    tab.locator("#id_decision-due_date").fill((day + datetime.timedelta(days=21)).isoformat())
    tab.get_by_role("button", name=fr("Enregistrer la décision", "Record the decision")).click()
    expect(
        tab.get_by_text(fr("La décision est enregistrée.", "The decision has been recorded."))
    ).to_be_visible()

    tab.locator("#id_minutes-minutes").fill("## Tour de table\n\nLa fiche part **lundi**.")
    tab.get_by_label("Anne Aubert").check()
    tab.get_by_role("button", name=fr("Enregistrer le compte rendu", "Save the minutes")).click()
    expect(tab.locator(".rich-text strong")).to_have_text("lundi")
    assert SteeringDecision.objects.get().owner.username == "anne"

    reader = new_tab()
    log_in(reader, "anne")
    reader.goto(path)
    expect(reader.get_by_role("heading", name="Tour de table")).to_be_visible()
    expect(reader.get_by_role("cell", name="Rédiger la fiche de recrutement")).to_be_visible()
    expect(
        reader.get_by_role("button", name=fr("Enregistrer la décision", "Record the decision"))
    ).to_have_count(0)
    axe_check(reader, "steering meeting page, member")
