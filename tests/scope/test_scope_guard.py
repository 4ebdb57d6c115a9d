"""The scope guard: heavy requests are flagged with the reason and the partners to refer to."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from g2id.directory.models import Partner
from g2id.requests.models import Message, Request, RequestEvent, Status
from g2id.requests.scope import scope_check
from tests.directory.conftest import make_partner
from tests.factories import CellFactory, UserFactory, file_request, member_of


def check(filed: Request):
    fresh = Request.objects.select_related("institution", "cell").get(pk=filed.pk)
    with translation.override("en"):
        return scope_check(fresh)


def with_effort(filed: Request, days: str) -> Request:
    Request.objects.filter(pk=filed.pk).update(effort_days=Decimal(days))
    return filed


def estimate_url(filed: Request, language: str = "") -> str:
    return f"{language}/espace/demandes/{filed.reference}/estimation/"


# --- The rules ------------------------------------------------------------------------------


def test_a_light_request_is_not_flagged():
    result = check(file_request())
    assert not result.is_heavy
    assert result.reasons == [] and result.partners == []
    assert result.light_work_max_days == 10 and result.estimate_open


def test_an_estimate_up_to_the_cells_limit_is_light_and_above_it_heavy():
    assert not check(with_effort(file_request(), "10")).is_heavy
    result = check(with_effort(file_request(), "10.5"))
    assert result.is_heavy
    assert result.reasons == [
        "The team's estimate, 10.5 person-days, is above the cell's light-work limit of "
        "10 person-days."
    ]


def test_the_limit_is_the_cells_own():
    cell = CellFactory(light_work_max_days=3)
    assert check(with_effort(file_request(cell=cell), "4")).is_heavy
    assert not check(with_effort(file_request(cell=cell), "3")).is_heavy


@pytest.mark.parametrize(
    ("domain", "kind", "heavy"),
    [
        ("C1", "technical", True),
        ("C1", "advice", False),
        ("K2", "advice", True),
        ("K2", "audit", True),
        ("K2", "training", False),
        ("F2", "technical", True),
        ("F2", "advice", False),
    ],
)
def test_domains_are_heavy_with_the_kinds_of_help_that_make_them_a_project(domain, kind, heavy):
    result = check(file_request(domains=(domain,), kind=kind))
    assert result.is_heavy is heavy
    if heavy:
        assert result.reasons[0].startswith(f"Domain {domain} (")


@pytest.mark.parametrize(
    ("title", "description", "words"),
    [
        ("Réinformatisation de la médiathèque", "", "« Réinformatisation »"),
        ("Changement de SIGB en 2027", "", "« Changement de SIGB »"),
        (
            "Aide",
            "Nous envisageons le remplacement de notre SIGB.",
            "« remplacement de notre SIGB »",
        ),
        ("Préparer le marché public", "", "« marché public »"),
        ("Aide", "Notre appel d\u2019offres sort en mars.", "« appel d\u2019offres »"),
        ("Aide", "Une migration complète des données.", "« migration complète »"),
    ],
)
def test_plain_words_of_a_whole_project_flag_the_request(title, description, words):
    result = check(file_request(title=title, description=description or "Merci."))
    assert result.is_heavy
    assert result.reasons == [
        f"The request speaks of {words}: a project of that size is beyond light help."
    ]


def test_ordinary_words_do_not_flag_a_request():
    filed = file_request(
        title="Marché de Noël : exposer les nouveautés dans le portail",
        description="Nous voulons changer l'affichage des nouveautés du SIGB sur le portail.",
    )
    assert not check(filed).is_heavy


def test_every_trigger_is_given_as_a_reason():
    filed = with_effort(
        file_request(title="Réinformatisation", domains=("C1", "K2"), kind="technical"), "30"
    )
    assert len(check(filed).reasons) == 4


# --- The partners proposed ----------------------------------------------------------------


def test_a_heavy_migration_is_referred_to_companies_of_that_speciality():
    # The library is in Lyon (Auvergne-Rhône-Alpes); the seeded directory is used.
    result = check(file_request(domains=("C1",), kind="technical"))
    codes = [proposal.partner.code for proposal in result.partners]
    assert "biblibre" in codes and "c3rb" in codes
    assert "kohala" not in codes  # a community is not where heavy work is referred
    assert {proposal.partner.kind for proposal in result.partners} <= {"private", "public"}
    biblibre = next(p for p in result.partners if p.partner.code == "biblibre")
    assert biblibre.reason == ("A private company working on C1 (ILS data migration), nationwide.")


def test_public_bodies_are_proposed_only_where_they_serve_the_library():
    result = check(file_request(domains=("K2",), kind="advice"))
    proposals = {(p.partner.code, p.partner.region): p for p in result.partners}
    assert ("drac", "84") in proposals
    assert not any(code == "drac" and region != "84" for code, region in proposals)
    assert proposals[("drac", "84")].reason.startswith("A public body competent for K2 (")
    assert proposals[("drac", "84")].reason.endswith("in Auvergne-Rhône-Alpes.")


def test_the_partners_that_fit_more_domains_come_first_and_inactive_ones_never():
    make_partner("both", kind=Partner.Kind.PRIVATE, specialities=["C1", "K2"], name="Zeta")
    make_partner("gone", kind=Partner.Kind.PRIVATE, specialities=["C1", "K2"], active=False)
    make_partner("far", kind=Partner.Kind.PRIVATE, specialities=["C1", "K2"], region="53")
    result = check(file_request(domains=("C1", "K2"), kind="technical"))
    codes = [proposal.partner.code for proposal in result.partners]
    assert codes[0] == "both"
    assert "gone" not in codes and "far" not in codes
    assert len(codes) <= 6


def test_a_light_request_proposes_no_partner():
    assert check(file_request(domains=("C1",), kind="advice")).partners == []


def test_the_check_runs_a_bounded_number_of_queries():
    filed = with_effort(file_request(domains=("C1", "K2", "F2"), kind="technical"), "40")
    fresh = Request.objects.select_related("institution", "cell").get(pk=filed.pk)
    with CaptureQueriesContext(connection) as queries:
        result = scope_check(fresh)
    assert result.partners
    assert len(queries) <= 3


# --- The estimate ---------------------------------------------------------------------------


def test_a_member_enters_then_changes_the_estimate_kept_as_an_internal_note(client, member):
    filed = file_request()
    events = RequestEvent.objects.filter(request=filed).count()
    client.force_login(member)

    response = client.post(estimate_url(filed, "/en"), {"effort_days": "12"})
    assert response.status_code == 302
    assert response.url.endswith(f"/espace/demandes/{filed.reference}/#scope")
    response = client.post(estimate_url(filed), {"effort_days": "2,5"})  # French decimal comma
    assert response.status_code == 302

    filed.refresh_from_db()
    assert filed.effort_days == Decimal("2.5")
    assert filed.status == Status.SUBMITTED
    notes = list(Message.objects.filter(request=filed))
    assert notes[0].body == "Effort estimate: 12 person-days."
    assert "12" in notes[1].body and "2,5" in notes[1].body
    assert all(note.is_internal and note.author == member for note in notes)
    # Not a status change: the history of statuses is untouched.
    assert RequestEvent.objects.filter(request=filed).count() == events


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "at least half a person-day"),
        ("-1", "at least half a person-day"),
        ("0.4", "at least half a person-day"),
        ("500", "at most 200 person-days"),
        ("200.5", "at most 200 person-days"),
        ("beaucoup", "Enter a number of person-days"),
        ("NaN", "Enter a number of person-days"),
        ("", "Enter the estimate in person-days"),
        ("2.25", "At most one decimal"),
    ],
)
def test_a_bad_estimate_is_refused_with_a_clear_message(client, member, value, message):
    filed = with_effort(file_request(), "3")
    client.force_login(member)
    response = client.post(estimate_url(filed, "/en"), {"effort_days": value})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'aria-invalid="true"' in page
    filed.refresh_from_db()
    assert filed.effort_days == Decimal("3")
    assert not Message.objects.filter(request=filed).exists()


def test_the_estimate_is_frozen_once_the_group_has_positioned_itself(client, member):
    filed = file_request()
    filed.take_into_review(by=member)
    filed.change_status(Status.DECLINED, party="team", user=member, reason="Hors champ.")
    client.force_login(member)
    response = client.post(estimate_url(filed, "/en"), {"effort_days": "5"})
    assert response.status_code == 400
    assert "can only change while the request is received or under review" in (
        response.content.decode()
    )
    filed.refresh_from_db()
    assert filed.effort_days is None
    assert not Message.objects.filter(request=filed).exists()


def test_under_review_the_estimate_may_still_change(client, member):
    filed = file_request()
    filed.take_into_review(by=member)
    client.force_login(member)
    assert client.post(estimate_url(filed), {"effort_days": "40"}).status_code == 302
    assert check(filed).is_heavy


def test_only_the_cells_members_may_estimate(client, outsider):
    filed = file_request()
    client.force_login(member_of(CellFactory(region="53"), person=UserFactory(username="autre")))
    assert client.post(estimate_url(filed), {"effort_days": "5"}).status_code == 404
    client.force_login(outsider)
    assert client.post(estimate_url(filed), {"effort_days": "5"}).status_code == 404
    client.logout()
    assert client.post(estimate_url(filed), {"effort_days": "5"}).status_code == 302
    filed.refresh_from_db()
    assert filed.effort_days is None


def test_the_estimate_only_answers_post(client, member):
    client.force_login(member)
    assert client.get(estimate_url(file_request())).status_code == 405


def test_a_refused_estimate_shows_the_request_page_again_at_no_extra_cost(client, member):
    filed = file_request(domains=("C1", "K2"), kind="technical")
    client.force_login(member)
    with CaptureQueriesContext(connection) as page:
        client.get(filed.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert client.post(estimate_url(filed), {"effort_days": "0"}).status_code == 400
    # The request page again, with the error beside the field: no more than the page itself.
    assert len(queries) <= len(page)


# --- The partial the lead includes ------------------------------------------------------------


def render_scope(filed: Request) -> str:
    fresh = Request.objects.select_related("institution", "cell").get(pk=filed.pk)
    with translation.override("en"):
        return render_to_string("triage/_scope.html", {"filed": fresh, "scope": scope_check(fresh)})


def test_the_partial_warns_in_words_with_reasons_partners_and_the_estimate_form():
    html = render_scope(with_effort(file_request(domains=("C1",), kind="technical"), "15"))
    assert "Warning: this request looks like heavy work" in html
    assert "Domain C1 (ILS data migration)" in html
    assert "BibLibre" in html
    assert 'name="effort_days"' in html and 'value="15"' in html


def test_the_partial_of_a_light_request_says_so():
    html = render_scope(file_request())
    assert "Warning" not in html
    assert "Nothing suggests heavy work" in html
    assert "No effort estimate yet" in html


def test_the_partial_has_no_estimate_form_once_decided(member):
    filed = file_request()
    filed.take_into_review(by=member)
    filed.change_status(Status.DECLINED, party="team", user=member, reason="Hors champ.")
    assert 'name="effort_days"' not in render_scope(filed)
