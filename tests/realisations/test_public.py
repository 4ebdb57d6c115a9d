from __future__ import annotations

import feedparser
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from g2id.institutions.models import Institution
from g2id.interventions.models import ImpactCheck, Intervention
from g2id.realisations.models import CaseStudy
from g2id.realisations.services import (
    CaseStudyRefused,
    anonymous_library,
    draft_case_study,
    publish_case_study,
)
from tests.factories import file_request
from tests.realisations.conftest import consent, make_deliverable, transfer


def test_no_case_study_without_consent(intervention):
    with pytest.raises(CaseStudyRefused):
        draft_case_study(intervention)
    assert not CaseStudy.objects.exists()


def test_draft_names_the_library_when_not_anonymised(member, intervention):
    make_deliverable(intervention, member)
    transfer(intervention)
    consent(intervention, anonymise=False)
    study = draft_case_study(intervention)
    assert study.title == intervention.request.title
    assert "Médiathèque Jean-Macé" in study.body
    assert intervention.request.description in study.body
    assert "Script de relances" in study.body and "MIT" in study.body
    assert "deux catalogueurs" in study.body
    assert "Koha 23.11" in study.body
    assert draft_case_study(intervention) == study  # drafted once, edits kept


def test_anonymised_draft_says_kind_and_region_only(member):
    filed = file_request(
        description="À la Médiathèque Jean-Macé de Lyon, Camille Martin relance à la main."
    )
    intervention = Intervention.objects.create(request=filed, lead=member)
    library = filed.institution
    consent(intervention, anonymise=True)
    study = draft_case_study(intervention)
    for secret in ("Jean-Macé", "Lyon", "Camille Martin", filed.contact_email):
        assert secret not in study.body and secret not in study.title
    assert anonymous_library(library) in study.body
    assert study.anonymised


def test_anonymous_library_phrase_in_french():
    library = Institution(name="BM", kind=Institution.Kind.MUNICIPAL, postcode="29000")
    library.department, library.region = library.derive_department_and_region()
    with translation.override("fr"):
        phrase = anonymous_library(library)
    assert phrase.endswith("de Bretagne")


def test_lead_publishes_and_impact_check_joins(client, member, intervention):
    make_deliverable(intervention, member)
    consent(intervention, anonymise=True)
    study = draft_case_study(intervention)
    page = reverse("realisations:case_study", args=[study.pk])
    assert client.get(page).status_code == 404
    client.force_login(member)
    response = client.post(
        reverse("realisations:case_study_edit", args=[intervention.request.reference]),
        {"title": "Des relances enfin fiables", "body": study.body, "action": "publish"},
    )
    assert response.status_code == 302
    study.refresh_from_db()
    assert study.published_at is not None
    client.logout()
    ImpactCheck.objects.create(
        intervention=intervention,
        expires_at=study.published_at,
        answered_at=study.published_at,
        still_in_use=True,
        what_changed="Plus aucune relance en double.",
    )
    with translation.override("en"):
        page = reverse("realisations:case_study", args=[study.pk])
    content = client.get(page).content.decode()
    assert "Des relances enfin fiables" in content
    assert "Plus aucune relance en double." in content


def test_only_the_lead_publishes(member, intervention):
    from tests.factories import UserFactory, member_of

    consent(intervention, anonymise=True)
    study = draft_case_study(intervention)
    other = member_of(person=UserFactory(username="autre"))
    with pytest.raises(PermissionDenied, match=r"responsable de l.intervention"):
        publish_case_study(study, by=other)


def published(intervention, member, **kwargs):
    consent(intervention, anonymise=True)
    study = draft_case_study(intervention)
    return publish_case_study(study, by=member)


def test_feed_parses_and_lists_entries(client, member, intervention):
    make_deliverable(intervention, member, title="Plugin OPAC")
    make_deliverable(intervention, member, title="Rapport interne", reusable=False)
    study = published(intervention, member)
    response = client.get(reverse("realisations:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    titles = [entry.title for entry in feed.entries]
    assert set(titles) == {"Plugin OPAC", study.title}
    assert all(entry.link.startswith("http://testserver/") for entry in feed.entries)


def test_filters(client, member, intervention):
    make_deliverable(intervention, member, title="Plugin OPAC", type="plugin")
    make_deliverable(intervention, member, title="Rapport d'audit", type="report")
    other = Intervention.objects.create(
        request=file_request(domains=("B1",), systems="PMB"), lead=member
    )
    make_deliverable(other, member, title="Données nettoyées", type="data")
    url = reverse("realisations:index")

    def titles(**params):
        return client.get(url, params).content.decode()

    by_type = titles(type="plugin")
    assert "Plugin OPAC" in by_type and "Rapport d&#x27;audit" not in by_type
    by_system = titles(system="pmb")
    assert "Données nettoyées" in by_system and "Plugin OPAC" not in by_system
    by_text = titles(q="audit")
    assert "Rapport d&#x27;audit" in by_text and "Plugin OPAC" not in by_text
    domain = other.request.domains.get()
    by_domain = titles(domain=domain.pk)
    assert "Données nettoyées" in by_domain and "Plugin OPAC" not in by_domain
    assert gettext("No case study matches these filters.") in titles(type="plugin")


def test_public_pages_come_from_the_shared_cache_and_are_invalidated(client, member, intervention):
    deliverable = make_deliverable(intervention, member, title="Plugin OPAC")
    url = reverse("realisations:index")
    assert "Plugin OPAC" in client.get(url).content.decode()
    deliverable.reusable = False
    deliverable.save()
    assert "Plugin OPAC" not in client.get(url).content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_query_counts_are_bounded(client, member, count, django_assert_max_num_queries):
    from django.core.cache import cache

    for index in range(count):
        intervention = Intervention.objects.create(
            request=file_request(title=f"Demande {index}"), lead=member
        )
        make_deliverable(intervention, member, title=f"Livrable {index}")
        published(intervention, member)
    client.force_login(member)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("realisations:register")).status_code == 200
    client.logout()
    for name in ("index", "feed"):
        cache.clear()
        # The cache is the database cache here: about ten of these are its own reads and writes.
        with django_assert_max_num_queries(22):
            assert client.get(reverse(f"realisations:{name}")).status_code == 200
