"""A coordinator adds a member, a sixth is refused, the team page shows the new one."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Page, expect

from g2id.team.models import Membership
from tests.browser.axe import axe_check
from tests.browser.texts import fr
from tests.factories import MembershipFactory, UserFactory, national_cell


def fill_new_person(page: Page, first: str, last: str, start: datetime.date) -> None:
    page.locator("#id_first_name").fill(first)
    page.locator("#id_last_name").fill(last)
    page.locator("#id_email").fill(f"{first.lower()}.{last.lower()}@bm-exemple.example.fr")
    page.locator("#id_share_percent").fill("50")
    page.locator("#id_start_date").fill(start.isoformat())
    page.locator("#id_planned_end_date").fill((start + datetime.timedelta(days=700)).isoformat())
    page.get_by_role("button", name=fr("Ajouter le membre", "Add the member")).click()


def test_a_coordinator_adds_a_member_and_a_sixth_is_refused(page: Page):
    today = timezone.localdate()
    since = today - datetime.timedelta(days=200)
    MembershipFactory(
        person=UserFactory(username="coordo", first_name="Mathilde", last_name="Lefebvre"),
        role=Membership.Role.COORDINATOR,
        start_date=since,
        planned_end_date=since + datetime.timedelta(days=1500),
    )
    for _ in range(3):
        MembershipFactory(start_date=since, planned_end_date=since + datetime.timedelta(days=1000))

    page.goto("/connexion/")
    page.locator("#id_username").fill("coordo")
    page.locator("#id_password").fill("motdepasse-solide-2026")
    page.get_by_role("button", name=fr("Se connecter", "Log in")).click()
    page.goto("/espace/equipe/informatique-documentaire/")
    axe_check(page, "coordinator dashboard")
    page.get_by_role("link", name=fr("Ajouter un membre", "Add a member")).click()
    axe_check(page, "add a member")

    fill_new_person(page, "Nadia", "Rahmani", today)
    expect(page.get_by_text("Nadia Rahmani").first).to_be_visible()
    assert Membership.objects.active_on(today).filter(cell=national_cell()).count() == 5

    page.get_by_role("link", name=fr("Ajouter un membre", "Add a member")).click()
    fill_new_person(page, "Paul", "Surnumeraire", today)
    refusal = page.locator("#id_start_date_error, .errorlist").first
    expect(refusal).to_contain_text("Règle des 5 membres")
    axe_check(page, "refused sixth member")
    assert not Membership.objects.filter(person__last_name="Surnumeraire").exists()

    page.goto("/equipe/")
    expect(page.get_by_role("link", name="Nadia Rahmani")).to_be_visible()
    axe_check(page, "team page with the new member")
