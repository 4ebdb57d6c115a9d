"""A member narrows the inbox with its filters: the rows change in place, the address follows."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from g2id.requests.models import Status
from tests.browser.test_library_journey import PASSWORD, label
from tests.browser.texts import fr
from tests.factories import UserFactory, file_request, member_of


def test_a_member_filters_the_inbox_by_status_in_place(new_tab: Callable[..., Page]):
    member = member_of(person=UserFactory(username="claire"))
    file_request(title="Relances en double")
    taken = file_request(title="Export UNIMARC des notices")
    taken.take_into_review(by=member)

    team = new_tab()
    team.goto("/espace/demandes/")
    team.get_by_label(
        label(fr("nom d\N{RIGHT SINGLE QUOTATION MARK}utilisateur", "username"))
    ).fill("claire")
    team.get_by_label(label(fr("Mot de passe", "Password"))).fill(PASSWORD)
    team.get_by_role("button", name=fr("Se connecter", "Log in")).click()
    rows = team.locator("#inbox-rows tbody tr")
    expect(rows).to_have_count(2)

    # Choosing a status sends the form at once (no button to press); the page stays.
    team.locator("#id_status").select_option(Status.UNDER_REVIEW.value)
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Export UNIMARC des notices")
    expect(team).to_have_url(re.compile(r"[?&]status=under_review"))
