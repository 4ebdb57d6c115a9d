"""The group positions itself and refers the library, in a real browser, checked by axe.

Three members give their opinion from the request page; the coordinator refers the library to
two partners; the library reads them with their contact details on its tracking page and says
the referral helped.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from g2id.directory.models import Partner
from g2id.positioning.models import Referral
from g2id.requests.models import Status
from g2id.team.models import Membership
from tests.browser.axe import axe_check
from tests.browser.texts import fr
from tests.factories import CellFactory, UserFactory, file_request, member_of

PASSWORD = "motdepasse-solide-2026"


def log_in(tab: Page, username: str) -> None:
    tab.goto("/connexion/")
    tab.locator("#id_username").fill(username)
    tab.locator("#id_password").fill(PASSWORD)
    tab.get_by_role("button", name=fr("Se connecter", "Log in")).click()


def give_opinion(tab: Page, path: str, *, stance: str, partners: list[str] = ()) -> None:
    tab.goto(path)
    tab.locator(f"#positioning input[name='opinion-stance'][value='{stance}']").check()
    if partners:
        tab.locator("#id_opinion-partners").select_option(label=partners)
    tab.locator("#id_opinion-comment").fill("Relève plutôt de l'Abes et de la BnF.")
    tab.get_by_role("button", name=fr("Donner mon avis", "Give my opinion")).click()
    expect(
        tab.get_by_text(fr("Votre avis est enregistré.", "Your opinion has been recorded."))
    ).to_be_visible()


def test_three_opinions_then_a_referral_the_library_finds_useful(
    new_tab: Callable[..., Page],
) -> None:
    cell = CellFactory(name="Cellule Données", slug="cellule-donnees")
    member_of(
        cell,
        person=UserFactory(username="coordo", first_name="Mathilde", last_name="Lefebvre"),
        role=Membership.Role.COORDINATOR,
    )
    for username in ("anne", "bruno", "chloe", "denis"):
        member_of(cell, person=UserFactory(username=username))
    filed = file_request(
        cell=cell,
        title="Obtenir un RCR et un code ISIL pour la nouvelle médiathèque",
        domains=("B6",),
    )
    filed.take_into_review(by=UserFactory(username="coordo"))
    path = filed.get_absolute_url()
    abes, bnf = (
        "Abes — Agence bibliographique de l'enseignement supérieur",
        ("BnF — Agence bibliographique nationale"),
    )

    for index, username in enumerate(("anne", "bruno", "chloe")):
        tab = new_tab()
        log_in(tab, username)
        give_opinion(tab, path, stance="refer", partners=[abes])
        if index == 0:
            axe_check(tab, "request page with the positioning section")

    coordinator = new_tab()
    log_in(coordinator, "coordo")
    coordinator.goto(path)
    expect(coordinator.get_by_text(fr("Quorum atteint.", "Quorum reached."))).to_be_visible()
    coordinator.locator("input[name='decision-outcome'][value='referred']").check()
    coordinator.locator("#id_decision-rationale").fill(
        "Les identifiants RCR et ISIL sont attribués par l'Abes, pas par la cellule."
    )
    coordinator.locator("#id_decision-partners").select_option(label=[abes, bnf])
    coordinator.locator("#id_decision-message").fill(
        "Écrivez au guichet d'assistance de l'Abes avec le nom et l'adresse de la médiathèque."
    )
    coordinator.get_by_role(
        "button",
        name=fr(
            "Enregistrer la décision et prévenir la bibliothèque",
            "Record the decision and tell the library",
        ),
    ).click()
    expect(coordinator.get_by_text(fr("Réorientée", "Referred")).first).to_be_visible()
    axe_check(coordinator, "request page after the decision")
    filed.refresh_from_db()
    assert filed.status == Status.REFERRED

    library = new_tab()
    library.goto(filed.tracking_path)
    referral = library.locator("#referral")
    expect(referral).to_contain_text(abes)
    expect(referral).to_contain_text(bnf)
    expect(referral).to_contain_text(Partner.objects.get(code="abes", region="").website)
    expect(referral).to_contain_text("guichet d'assistance de l'Abes")
    axe_check(library, "tracking page with a referral")
    library.get_by_role("radio", name=fr("Oui, elle m'a aidé", "Yes, it helped")).check()
    library.get_by_role("button", name=fr("Envoyer ma réponse", "Send my answer")).click()
    expect(
        library.get_by_text(
            fr(
                "Merci : l'équipe a bien reçu votre réponse.",
                "Thank you: the team has your answer.",
            )
        )
    ).to_be_visible()
    axe_check(library, "tracking page after the answer")
    assert Referral.objects.get(request=filed).helpful is True

    coordinator.goto("/espace/reorientations/")
    expect(coordinator.get_by_role("row", name=abes)).to_contain_text("1")
    axe_check(coordinator, "referrals per partner")
