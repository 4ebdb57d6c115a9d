"""An accepted request carried through to a public case study, in a real browser, checked by axe.

The lead plans the intervention and a session (which lands in the agenda), starts the work,
logs time in the weekly timesheet with the keyboard, adds a reusable deliverable, writes the
transfer record and delivers. The library opens the survey link its mail carries, answers and
agrees to an anonymised case study; the lead drafts and publishes it; an anonymous visitor
finds it on /realisations/ and in the Atom feed.
"""

# The French interface uses typographic apostrophes and dashes: so do the texts looked for.
# ruff: noqa: RUF001

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django.core import mail
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from g2id.agenda.models import Event
from g2id.interventions.models import Intervention, Survey, TransferRecord
from g2id.positioning.services import decide, give_opinion
from g2id.realisations.models import CaseStudy, Deliverable
from g2id.requests.models import Status
from g2id.team.models import Membership
from g2id.timesheets.models import TimeEntry
from g2id.timesheets.week import day_label
from tests.browser.axe import axe_check
from tests.browser.texts import fr
from tests.conftest import run_tasks
from tests.factories import CellFactory, UserFactory, file_request, member_of

PASSWORD = "motdepasse-solide-2026"
LIBRARY_EMAIL = "bibliothecaire@mediatheque-exemple.fr"
REPOSITORY = "https://forge.example.fr/mediatheque/relances-koha"


def log_in(tab: Page, username: str) -> None:
    tab.goto("/connexion/")
    tab.locator("#id_username").fill(username)
    tab.locator("#id_password").fill(PASSWORD)
    tab.get_by_role("button", name=fr("Se connecter", "Log in")).click()


def accepted_intervention() -> Intervention:
    """A request of a five-member cell, accepted with Anne as its lead (before the quorum)."""
    cell = CellFactory(name="Cellule SIGB", slug="cellule-sigb", contact_email="sigb@g2id.fr")
    coordinator = member_of(
        cell,
        person=UserFactory(username="coordo", first_name="Mathilde", last_name="Lefebvre"),
        role=Membership.Role.COORDINATOR,
    )
    lead = member_of(cell, person=UserFactory(username="anne", first_name="Anne", last_name="Roy"))
    for username in ("bruno", "chloe", "denis"):
        member_of(cell, person=UserFactory(username=username))
    filed = file_request(
        cell=cell,
        title="Paramétrer les relances de prêt dans Koha",
        email=LIBRARY_EMAIL,
        systems="Koha 23.11",
    )
    filed.take_into_review(by=coordinator)
    give_opinion(filed, by=lead, stance="take", role="lead", comment="Je connais bien Koha.")
    decide(
        filed,
        outcome="accepted",
        by=coordinator,
        rationale="La cellule paramètre ce genre de relances régulièrement.",
        override_reason="Demande simple, Anne est disponible tout de suite.",
    )
    intervention = Intervention.objects.select_related("request").get(request=filed)
    assert intervention.lead == lead
    return intervention


def test_from_planning_to_a_public_case_study(new_tab: Callable[..., Page]) -> None:
    intervention = accepted_intervention()
    filed = intervention.request
    reference = filed.reference
    path = intervention.get_absolute_url()
    today = timezone.localdate()

    # --- The lead plans the intervention --------------------------------------------------
    lead = new_tab()
    log_in(lead, "anne")
    lead.goto("/espace/interventions/")
    lead.get_by_role("link", name=re.compile(reference)).first.click()
    expect(lead).to_have_url(re.compile(re.escape(path) + "$"))
    expect(lead.get_by_role("heading", level=1)).to_contain_text(filed.title)
    axe_check(lead, "intervention page, accepted")

    start, end = today, today + datetime.timedelta(days=21)
    plan = lead.locator("#plan")
    plan.locator("input[name='mode'][value='mixed']").check()
    plan.locator("#id_planned_start").fill(start.isoformat())
    plan.locator("#id_planned_end").fill(end.isoformat())
    plan.get_by_role("button", name=fr("Enregistrer le plan", "Save the plan")).click()
    expect(
        lead.get_by_text(fr("Le plan est enregistré.", "The plan has been saved."))
    ).to_be_visible()
    lead.get_by_role("button", name=fr("Marquer comme planifiée", "Mark as planned")).click()
    expect(
        lead.get_by_role("button", name=fr("Commencer le travail", "Start the work"))
    ).to_be_visible()
    intervention.refresh_from_db()
    filed.refresh_from_db()
    assert filed.status == Status.PLANNED
    assert (intervention.mode, intervention.planned_start, intervention.planned_end) == (
        "mixed",
        start,
        end,
    )

    # --- … adds a session, which shows on the page and in her agenda ------------------------
    session_day = today + datetime.timedelta(days=3)
    sessions = lead.locator("#sessions")
    sessions.locator("#id_date").fill(session_day.isoformat())
    sessions.locator("#id_start_time").fill("09:30")
    sessions.locator("#id_end_time").fill("12:00")
    sessions.locator("#id_location").fill("https://visio.example.fr/relances-koha")
    sessions.locator("#id_notes").fill("Revue des modèles de lettres avec les catalogueurs.")
    sessions.get_by_role("button", name=fr("Ajouter la séance", "Add the session")).click()
    row = lead.locator("#sessions tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("09:30–12:00")
    expect(row).to_contain_text("https://visio.example.fr/relances-koha")
    session = intervention.sessions.get()
    assert (session.date, session.start_time) == (session_day, datetime.time(9, 30))
    event = Event.objects.get(intervention_sessions=session)
    assert event.person.username == "anne"

    lead.goto("/espace/agenda/")
    expect(lead.get_by_role("row", name=re.compile(reference))).to_contain_text(filed.title)
    lead.goto(path)

    # --- … starts the work ---------------------------------------------------------------
    lead.get_by_role("button", name=fr("Commencer le travail", "Start the work")).click()
    expect(lead.get_by_role("button", name=fr("Livrer", "Deliver"))).to_be_visible()
    filed.refresh_from_db()
    assert filed.status == Status.IN_PROGRESS

    # --- … logs an hour and a half today in her weekly timesheet, with the keyboard ---------
    lead.goto("/espace/temps/")
    expect(lead.get_by_role("heading", level=1)).to_have_text(fr("Mon temps", "My time"))
    axe_check(lead, "weekly timesheet")
    with translation.override("fr"):
        new_line = translation.gettext("new line %(number)s") % {"number": 1}
        cell_name = f"{day_label(today)}, {new_line}"
    target_label = f"{reference} — {filed.title}"
    first_line = {"number": 1}
    target = lead.get_by_role(
        "combobox",
        name=fr(
            "Nouvelle ligne %(number)s : intervention ou travail de la cellule",
            "New line %(number)s: intervention or cell work",
        )
        % first_line,
    )
    target.select_option(label=target_label)
    activity = lead.get_by_role(
        "combobox",
        name=fr("Nouvelle ligne %(number)s : activité", "New line %(number)s: activity")
        % first_line,
    )
    activity.select_option(value="analysis")
    today_cell = lead.get_by_role("textbox", name=cell_name, exact=True)
    today_cell.focus()
    lead.keyboard.type("1h30")
    lead.keyboard.press("Tab")
    # Tab moves along the line: the next day's cell, or the next line after Sunday.
    expect(today_cell).not_to_be_focused()
    expect(today_cell).to_have_value("1h30")
    lead.get_by_role("button", name=fr("Enregistrer la semaine", "Save the week")).click()
    expect(lead.locator(".timesheet tfoot")).to_contain_text("1h30")
    entry = TimeEntry.objects.get(member__username="anne")
    assert (entry.date, entry.minutes, entry.activity, entry.intervention_id) == (
        today,
        90,
        "analysis",
        intervention.pk,
    )

    # --- … adds a reusable deliverable ----------------------------------------------------
    lead.goto(path)
    lead.locator("#deliverables").get_by_role(
        "link", name=fr("Ajouter un livrable", "Add a deliverable")
    ).click()
    expect(lead.get_by_role("heading", level=1)).to_have_text(
        fr("Ajouter un livrable", "Add a deliverable")
    )
    axe_check(lead, "deliverable form")
    lead.locator("#id_title").fill("Script de relances Koha")
    lead.locator("#id_type").select_option(value="script")
    lead.locator("#id_licence").fill("mit")
    lead.locator("#id_how_to").fill("Lancer `relances.sh` chaque nuit depuis le cron de Koha.")
    lead.locator("#id_reusable").check()
    lead.locator("#id_version-repository_url").fill(REPOSITORY)
    lead.get_by_role("button", name=fr("Enregistrer", "Save"), exact=True).click()
    expect(
        lead.get_by_text(fr("Le livrable a été ajouté.", "The deliverable was added."))
    ).to_be_visible()
    expect(lead.get_by_role("heading", name="Script de relances Koha")).to_be_visible()
    deliverable = Deliverable.objects.get(intervention=intervention)
    assert (deliverable.type, deliverable.licence, deliverable.reusable) == ("script", "MIT", True)
    assert list(deliverable.versions.values_list("label", "repository_url")) == [
        ("1.0", REPOSITORY)
    ]

    # --- … writes the transfer record -----------------------------------------------------
    lead.goto(path)
    expect(lead.locator("#deliverables")).to_contain_text("Script de relances Koha")
    transfer = lead.locator("#transfer")
    transfer.locator("summary").click()
    transfer.locator("#id_what_taught").fill(
        "Paramétrer les lettres de relance et lire les journaux du cron."
    )
    transfer.locator("#id_taught_to").fill("deux catalogueurs, la responsable SIGB")
    transfer.locator("#id_through_sessions").check()
    transfer.locator("#id_through_documentation").check()
    transfer.get_by_role(
        "button", name=fr("Enregistrer la fiche de transmission", "Save the transfer record")
    ).click()
    expect(lead.locator("#transfer")).to_contain_text("deux catalogueurs, la responsable SIGB")
    record = TransferRecord.objects.get(intervention=intervention)
    assert record.through_sessions and record.through_documentation
    assert record.updated_by.username == "anne"

    # --- … and delivers ------------------------------------------------------------------
    run_tasks()  # the mail of the earlier steps goes out first
    mail.outbox.clear()
    lead.locator("#deliver").get_by_role("button", name=fr("Livrer", "Deliver")).click()
    expect(lead.locator("#verdict")).to_be_visible()
    axe_check(lead, "intervention page, delivered")
    filed.refresh_from_db()
    assert filed.status == Status.DELIVERED
    survey = Survey.objects.get(intervention=intervention)
    assert not survey.is_answered

    # --- The library opens the link its mail carries, answers and consents -----------------
    run_tasks()
    to_library = [message for message in mail.outbox if message.to == [LIBRARY_EMAIL]]
    assert len(to_library) == 1, [message.subject for message in mail.outbox]
    link = re.search(r"https?://\S+(/enquete/[\w-]+/)", to_library[0].body)
    assert link, to_library[0].body
    assert link.group(1) == f"/enquete/{survey.token}/"

    library = new_tab()
    library.goto(link.group(1))
    expect(library.get_by_role("heading", level=1)).to_have_text(
        fr("Enquête de satisfaction", "Satisfaction survey")
    )
    axe_check(library, "satisfaction survey")
    library.locator("input[name='score'][value='5']").check()
    library.locator("#id_what_worked").fill("Les séances courtes et la documentation laissée.")
    library.locator("input[name='would_recommend'][value='True']").check()
    library.locator("#id_saved_estimate").fill("deux jours par mois")
    library.locator("#id_consent_case_study").check()
    expect(library.locator("#id_anonymise")).to_be_checked()
    library.get_by_role("button", name=fr("Envoyer mes réponses", "Send my answers")).click()
    expect(library.get_by_role("status")).to_contain_text(
        fr(
            "Merci ! Vos réponses ont été transmises à l’équipe, et l’intervention est maintenant "
            "close.",
            "Thank you! Your answers have been sent to the team, and the intervention is now "
            "closed.",
        )
    )
    axe_check(library, "satisfaction survey, answered")
    survey.refresh_from_db()
    filed.refresh_from_db()
    assert (survey.score, survey.consent_case_study, survey.anonymise) == (5, True, True)
    assert filed.status == Status.CLOSED

    # --- The lead drafts the case study and publishes it ------------------------------------
    lead.goto(path)
    lead.locator("#deliverables").get_by_role(
        "link", name=fr("Livrables et étude de cas", "Deliverables and case study")
    ).click()
    lead.get_by_role(
        "button",
        name=fr("Rédiger le brouillon de l’étude de cas", "Draft the case study"),
    ).click()
    expect(lead.get_by_role("heading", level=1)).to_contain_text(reference)
    axe_check(lead, "case study form")
    study = CaseStudy.objects.get(intervention=intervention)
    assert study.anonymised and study.published_at is None
    assert "Jean-Macé" not in study.body
    title = "Des relances de prêt qui partent enfin une seule fois"
    lead.locator("#id_title").fill(title)
    lead.get_by_role("button", name=fr("Enregistrer et publier", "Save and publish")).click()
    expect(
        lead.get_by_text(fr("L’étude de cas est publiée.", "The case study is published."))
    ).to_be_visible()
    study.refresh_from_db()
    assert study.title == title and study.published_at is not None

    # --- An anonymous visitor finds it on /realisations/ and in the feed -------------------
    visitor = new_tab()
    visitor.goto("/realisations/")
    studies = visitor.locator("section[aria-labelledby='studies-title']")
    expect(studies.get_by_role("link", name=title)).to_be_visible()
    deliverables = visitor.locator("section[aria-labelledby='deliverables-title']")
    expect(deliverables.get_by_role("link", name="Script de relances Koha")).to_be_visible()
    axe_check(visitor, "realisations")
    studies.get_by_role("link", name=title).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
    expect(visitor.locator("main")).to_contain_text("Script de relances Koha")
    expect(visitor.locator("main")).not_to_contain_text("Jean-Macé")
    axe_check(visitor, "public case study")

    feed = visitor.request.get("/realisations/feed/")
    assert feed.ok
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert f"<title>{title}</title>" in feed.text()
    assert study.get_absolute_url() in feed.text()
