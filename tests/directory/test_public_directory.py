"""Anyone can browse the partner structures by speciality, region and name."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from g2id.directory.models import Partner
from g2id.public.cache import recent_copies
from tests.directory.conftest import make_partner

URL = reverse("directory:index")


@pytest.fixture
def partners():
    """A small directory of our own instead of the seeded one."""
    Partner.objects.all().delete()
    return {
        "national": make_partner("koha-fr", name="Communauté Koha", specialities=["A1"]),
        "breton": make_partner(
            "srl", name="Livre et lecture en Bretagne", region="53", specialities=["K1"]
        ),
        "normand": make_partner(
            "srl", name="Normandie Livre", region="28", specialities=["K1", "A1"]
        ),
    }


def names(response) -> list[str]:
    return [partner.name for partner in response.context["page"].object_list]


def test_it_lists_every_active_partner(client, partners):
    make_partner("gone", name="Structure dissoute", active=False)
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Communauté Koha", "Livre et lecture en Bretagne", "Normandie Livre"]
    assert "Structure dissoute" not in response.content.decode()


def test_it_filters_by_speciality(client, partners):
    assert names(client.get(URL, {"speciality": "K1"})) == [
        "Livre et lecture en Bretagne",
        "Normandie Livre",
    ]


def test_a_region_shows_its_own_partners_and_the_national_ones(client, partners):
    assert names(client.get(URL, {"region": "53"})) == [
        "Communauté Koha",
        "Livre et lecture en Bretagne",
    ]


def test_national_partners_are_shown_with_any_region(client, partners):
    assert names(client.get(URL, {"region": "94"})) == ["Communauté Koha"]


def test_filters_combine(client, partners):
    assert names(client.get(URL, {"region": "28", "speciality": "A1"})) == [
        "Communauté Koha",
        "Normandie Livre",
    ]


def test_it_searches_names_without_regard_to_case(client, partners):
    assert names(client.get(URL, {"q": "koha"})) == ["Communauté Koha"]
    assert names(client.get(URL, {"q": "introuvable"})) == []


@pytest.mark.parametrize(
    "params",
    [
        {"speciality": "Z9"},
        {"region": "99"},
        {"speciality": "<script>", "region": "'; drop"},
        {"page": "abc"},
        {"page": "9999"},
    ],
)
def test_a_bad_filter_is_ignored_never_an_error(client, partners, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert len(names(response)) == 3


def test_a_bad_filter_leaves_the_good_ones_working(client, partners):
    assert names(client.get(URL, {"speciality": "Z9", "q": "normandie"})) == ["Normandie Livre"]


def test_team_notes_are_never_shown(client, partners):
    make_partner("secret", name="Prestataire X", notes="Devis trop cher en 2025, à éviter")
    response = client.get(URL)
    assert "Prestataire X" in response.content.decode()
    assert "Devis trop cher" not in response.content.decode()


def test_it_shows_what_a_library_needs_to_decide(client, partners):
    make_partner(
        "biblio-conseil",
        name="Biblio Conseil",
        kind=Partner.Kind.PRIVATE,
        website="https://example.org/conseil",
        contact="contact@example.org",
        when_to_refer="Migration complète de SIGB",
        specialities=["A1"],
    )
    page = client.get(URL, {"q": "Biblio Conseil"}).content.decode()
    assert 'href="https://example.org/conseil"' in page
    assert "contact@example.org" in page
    assert "Migration complète de SIGB" in page
    assert "entreprise privée" in page
    assert ">A1</abbr>" in page


def test_the_seeded_directory_is_paginated(client):
    response = client.get(URL)
    assert response.context["page"].paginator.num_pages > 1
    assert 'rel="next"' in response.content.decode()


def test_the_main_menu_links_to_the_directory(client):
    assert f'href="{URL}"' in client.get(reverse("public:home")).content.decode()


def test_it_is_available_in_english(client, partners):
    response = client.get("/en" + URL)
    assert response.status_code == 200
    assert "Partner structures" in response.content.decode()


def count_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"region": "53"}).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_partners(client):
    Partner.objects.all().delete()
    make_partner("one", specialities=["A1", "B2"])
    with_one = count_queries(client)
    for number in range(29):
        make_partner(f"partner-{number}", region="53", specialities=["A1", "B2", "K1"])
    recent_copies.clear()  # as in a process that never held the page (else one read more)
    assert count_queries(client) == with_one
