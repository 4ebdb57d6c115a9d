"""Every page works under the Content Security Policy, with nothing loaded from elsewhere."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.factories import InstitutionFactory, file_request


def test_the_pages_need_no_inline_code_and_nothing_from_outside(new_tab: Callable[..., Page]):
    InstitutionFactory(name="Bibliothèque Kateb-Yacine", city="Grenoble", postcode="38000")
    filed = file_request()
    tab = new_tab(enforce_csp=True)  # a policy violation fails the test (see conftest)
    elsewhere: list[str] = []
    tab.on(
        "request",
        lambda request: (
            urlsplit(request.url).hostname not in ("localhost", "127.0.0.1")
            and request.url.startswith("http")
            and elsewhere.append(request.url)
        ),
    )

    tab.goto("/")
    tab.goto("/demande/")
    tab.locator("#library-search").fill("Kateb")
    expect(tab.locator("#library-results input[type=radio]")).to_have_count(1)
    tab.goto(f"/suivi/{filed.tracking_token}/")
    expect(tab.get_by_role("heading", level=1)).to_have_text(filed.title)
    tab.goto("/equipe/")
    tab.goto("/vade-mecum/")
    tab.goto("/partenaires/?speciality=B2")
    expect(tab.get_by_role("table")).to_be_visible()
    tab.goto("/api/v1/docs")
    expect(tab.get_by_text("/api/v1/requests").first).to_be_visible()
    tab.goto("/admin/login/")
    expect(tab.locator("#id_username")).to_be_visible()
    assert elsewhere == []
