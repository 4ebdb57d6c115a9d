"""A library asks for help and talks with the team, in a real browser, every page checked by axe.

The library files its request without an account, follows it with its private link and writes
to the team; a member of the cell logs in, finds the request in the inbox, takes it into review
and answers; the library sees the answer and the new status on its tracking page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from g2id.requests.models import Request, Status
from tests.browser.axe import axe_check
from tests.browser.texts import fr
from tests.factories import InstitutionFactory, UserFactory, file_request, member_of

PASSWORD = "motdepasse-solide-2026"
REFERENCE = re.compile(r"^G2ID-\d{4}-\d{4}$")
CIRCULATION = "Paramétrage circulation (règles de prêt, réservations, relances)"
REPORTS = "Requêtes, rapports, extractions SQL"


def label(text: str) -> re.Pattern[str]:
    """A field's label as Django writes it: the text, maybe capitalised, then the suffix " :"."""
    return re.compile(rf"^\s*{re.escape(text)}\s*:?\s*$", re.IGNORECASE)


def consent_label() -> str:
    return fr(
        "J'accepte que la cellule traite les données de ce formulaire pour donner suite "
        "à ma demande.",
        "I agree that the data of this form is processed by the cell to handle my request.",
    )


def send_button(page: Page):
    return page.get_by_role("button", name=fr("Envoyer ma demande", "Send my request"))


def fill_the_request(page: Page, *, title: str) -> None:
    """The fields about the person and the need, as a library contact fills them in."""
    page.get_by_label(label(fr("Votre nom", "Your name"))).fill("Camille Martin")
    page.get_by_label(label(fr("Votre adresse électronique", "Your e-mail address"))).fill(
        "camille.martin@bm-croix-rousse.example.fr"
    )
    page.get_by_label(label(fr("Votre fonction (facultatif)", "Your role (optional)"))).fill(
        "Responsable du SIGB"
    )
    page.get_by_label(label(fr("Intitulé de votre demande", "Title of your request"))).fill(title)
    page.get_by_label(label(fr("Décrivez votre besoin", "Describe your need"))).fill(
        "Depuis la mise à jour de Koha, nos lettres de relance partent deux fois.\n"
        "Nous aimerions comprendre le paramétrage et savoir le corriger nous-mêmes."
    )
    page.get_by_role("radio", name=fr("Conseil", "Advice"), exact=True).check()
    page.get_by_role("checkbox", name=CIRCULATION, exact=True).check()
    page.get_by_role("checkbox", name=REPORTS, exact=True).check()
    page.get_by_label(
        label(fr("Logiciels concernés (facultatif)", "Systems involved (optional)"))
    ).fill("Koha 23.11")
    # Consent is given with the keyboard.
    page.get_by_role("checkbox", name=consent_label()).focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name=consent_label())).to_be_checked()


def test_a_library_files_a_request_follows_it_and_reads_the_teams_answer(
    page: Page, new_tab: Callable[[], Page]
) -> None:
    library = InstitutionFactory(
        name="Bibliothèque municipale de la Croix-Rousse", city="Lyon", postcode="69004"
    )
    member_of(person=UserFactory(username="claire", first_name="Claire", last_name="Dubois"))
    other = file_request(title="Moissonnage OAI-PMH interrompu")

    # The library arrives on the home page and goes to the request form.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page, "home page")
    # The home page's call to action is a link that looks like a button.
    page.get_by_role("main").get_by_role(
        "link", name=fr("Faire une demande", "Ask for help"), exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"/demande/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        fr("Faire une demande d'intervention", "Ask the cell for help")
    )
    axe_check(page, "request form")

    # It finds itself among the known libraries by typing part of its name.
    search = page.get_by_role(
        "searchbox",
        name=fr(
            "Recherchez votre bibliothèque par nom, commune ou ISIL",
            "Find your library by name, city or ISIL",
        ),
    )
    search.click()
    search.press_sequentially("Croix-Rou", delay=30)
    known = page.get_by_role("group", name=fr("Bibliothèques connues", "Known libraries"))
    choice = known.get_by_role("radio", name=re.compile(r"Croix-Rousse — Lyon"))
    expect(choice).to_be_checked()  # the only match is chosen for it
    axe_check(page, "request form with the libraries found")

    fill_the_request(page, title="Relances envoyées en double")
    send_button(page).click()

    # The confirmation gives the reference and the way to the tracking page.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        fr("Votre demande a bien été envoyée", "Your request has been sent")
    )
    reference = page.get_by_role("main").locator(".reference").inner_text().strip()
    assert REFERENCE.match(reference), reference
    filed = Request.objects.get(reference=reference)
    assert filed.institution == library
    assert filed.contact_email == "camille.martin@bm-croix-rousse.example.fr"
    assert sorted(filed.domains.values_list("label_fr", flat=True)) == sorted(
        [CIRCULATION, REPORTS]
    )
    axe_check(page, "confirmation page")

    page.get_by_role("main").get_by_role(
        "link", name=fr("Suivre ma demande dès maintenant", "Follow my request now")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relances envoyées en double")
    expect(page.get_by_role("main").get_by_text(reference, exact=True)).to_be_visible()
    axe_check(page, "tracking page")

    # The library adds a detail for the team.
    page.get_by_label(label(fr("Votre message", "Your message"))).fill(
        "Nous utilisons le modèle de lettre ODUE, modifié en 2024."
    )
    page.get_by_role("button", name=fr("Envoyer", "Send"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        fr("Votre message a été transmis à l'équipe.", "Your message has been sent to the team.")
    )
    conversation = page.get_by_role(
        "region", name=fr("Échanges avec l'équipe", "Conversation with the team")
    )
    expect(conversation.get_by_role("article")).to_have_count(1)
    expect(conversation).to_contain_text("modèle de lettre ODUE")
    axe_check(page, "tracking page after a message")

    # A member of the cell logs in, in another browser, through the team login page.
    team = new_tab()
    team.goto("/espace/demandes/")
    expect(team).to_have_url(re.compile(r"/connexion/\?next="))
    expect(team.get_by_role("heading", level=1)).to_have_text(fr("Espace équipe", "Team login"))
    axe_check(team, "login page")
    team.get_by_label(
        label(fr("nom d\N{RIGHT SINGLE QUOTATION MARK}utilisateur", "username"))
    ).fill("claire")
    team.get_by_label(label(fr("Mot de passe", "Password"))).fill(PASSWORD)
    team.get_by_role("button", name=fr("Se connecter", "Log in")).click()

    # The inbox lists both open requests; searching its reference leaves only this one.
    expect(team).to_have_url(re.compile(r"/espace/demandes/$"))
    expect(team.get_by_role("heading", level=1)).to_have_text(fr("Demandes", "Requests"))
    rows = team.locator("#inbox-rows tbody tr")
    expect(rows).to_have_count(2)
    axe_check(team, "team inbox")
    team.get_by_label(label(fr("Rechercher", "Search"))).fill(reference)
    expect(rows).to_have_count(1)
    expect(rows).not_to_contain_text(other.title)
    expect(team).to_have_url(re.compile(r"[?&]q=" + re.escape(reference)))
    axe_check(team, "team inbox, searched")
    rows.get_by_role("link", name=reference).click()

    # The request's page shows the library's message; the member takes the request on.
    expect(team.get_by_role("heading", level=1)).to_contain_text("Relances envoyées en double")
    expect(team.locator("#conversation")).to_contain_text("modèle de lettre ODUE")
    axe_check(team, "team request page")
    team.get_by_role("button", name=fr("Prendre en instruction", "Take into review")).click()
    expect(team.get_by_role("status")).to_contain_text(
        fr("La demande est désormais en instruction.", "The request is now under review.")
    )
    under_review = fr("En instruction", "Under review")
    expect(team.get_by_role("main").locator(".status").first).to_have_text(under_review)

    team.get_by_label(label(fr("Message", "Message"))).fill(
        "Bonjour, nous regardons vos règles de relance et revenons vers vous cette semaine."
    )
    team.get_by_role("button", name=fr("Envoyer", "Send"), exact=True).click()
    expect(team.get_by_role("status")).to_contain_text(
        fr(
            "Votre message a été transmis à la bibliothèque.",
            "Your message has been sent to the library.",
        )
    )
    axe_check(team, "team request page after the answer")

    # Back on its tracking page, the library reads the answer and the new status.
    page.reload()
    expect(page.get_by_role("main").locator(".status")).to_have_text(under_review)
    answers = conversation.get_by_role("article")
    expect(answers).to_have_count(2)
    expect(answers.last).to_contain_text(fr("L'équipe", "The team"))
    expect(answers.last).to_contain_text("nous regardons vos règles de relance")
    axe_check(page, "tracking page with the team's answer")

    filed.refresh_from_db()
    assert filed.status == Status.UNDER_REVIEW


def test_a_library_not_in_the_list_describes_itself(page: Page) -> None:
    page.goto("/demande/")
    search = page.get_by_role(
        "searchbox",
        name=fr(
            "Recherchez votre bibliothèque par nom, commune ou ISIL",
            "Find your library by name, city or ISIL",
        ),
    )
    search.press_sequentially("Saint-Fons", delay=30)
    expect(page.locator("#library-results")).to_contain_text("Saint-Fons")
    expect(page.locator("#library-results").get_by_role("radio")).to_have_count(0)

    page.get_by_text(
        fr("Ma bibliothèque ne figure pas dans la liste", "My library is not in the list")
    ).click()
    page.get_by_label(label(fr("Nom de la bibliothèque", "Name of the library"))).fill(
        "Médiathèque Roger-Martin-du-Gard"
    )
    page.get_by_label(label(fr("Code postal", "Postcode"))).fill("69190")
    page.get_by_label(label(fr("Commune", "City"))).fill("Saint-Fons")
    axe_check(page, "request form describing a new library")
    fill_the_request(page, title="Relances envoyées en double")
    send_button(page).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        fr("Votre demande a bien été envoyée", "Your request has been sent")
    )
    filed = Request.objects.get()
    assert filed.institution.name == "Médiathèque Roger-Martin-du-Gard"
    assert filed.institution.city == "Saint-Fons"


def test_an_empty_request_is_refused_with_a_summary_of_the_errors(page: Page) -> None:
    page.goto("/demande/")
    send_button(page).click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(
        fr(
            "La demande n'a pas été envoyée : veuillez corriger les champs ci-dessous.",
            "The request was not sent: please correct the fields below.",
        )
    )
    # The summary comes first, before the fields, and links to each field in error.
    assert page.evaluate(
        """() => {
          const summary = document.querySelector("[role=alert]");
          const firstField = document.querySelector("main form fieldset");
          return Boolean(summary.compareDocumentPosition(firstField)
                         & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    )
    required = fr("Ce champ est obligatoire.", "This field is required.")
    for field_label, field_id in [
        (fr("Votre nom", "Your name"), "id_contact_name"),
        (fr("Votre adresse électronique", "Your e-mail address"), "id_contact_email"),
        (fr("Intitulé de votre demande", "Title of your request"), "id_title"),
        (fr("Décrivez votre besoin", "Describe your need"), "id_description"),
    ]:
        link = summary.get_by_role("link", name=field_label, exact=True)
        expect(link).to_have_attribute("href", f"#{field_id}")
        field = page.locator(f"#{field_id}")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(re.compile(re.escape(required)))
    expect(summary).to_contain_text(
        fr("Choisissez au moins un domaine.", "Choose at least one domain.")
    )
    expect(summary).to_contain_text(
        fr(
            "Votre accord est nécessaire pour donner suite à la demande.",
            "Your consent is needed to handle the request.",
        )
    )
    expect(summary).to_contain_text(
        fr(
            "Choisissez votre bibliothèque dans la liste, ou renseignez ce champ.",
            "Choose your library in the list, or give this detail.",
        )
    )
    # The fields of a new library are shown, since they are in error.
    expect(
        page.get_by_label(label(fr("Nom de la bibliothèque", "Name of the library")))
    ).to_be_visible()
    axe_check(page, "request form with errors")

    assert not Request.objects.exists()
