"""A library browses the partner directory, filtered by speciality and region; axe-clean."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.axe import axe_check


def test_a_library_filters_the_partner_directory(page: Page):
    page.goto("/partenaires/")
    axe_check(page, "partner directory")
    page.locator("#id_region").select_option("53")
    page.locator("#id_speciality").select_option("K1")
    page.locator("form button[type=submit]").first.click()
    expect(page.get_by_role("table")).to_contain_text("Bretagne")
    expect(page.get_by_role("table")).to_contain_text("Enssib")
    axe_check(page, "filtered partner directory")
