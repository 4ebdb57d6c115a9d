"""The shared page cache: per language, anonymous visitors only, invalidated on change."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2id.taxonomy.models import Domain
from tests.factories import (
    CellFactory,
    InstitutionFactory,
    MembershipFactory,
    PartnerFactory,
    UserFactory,
    member_of,
    national_cell,
)


def queries_and_page(client, address: str, **extra) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address, **extra)
    assert response.status_code == 200, address
    return len(queries), response.content.decode()


def test_a_second_anonymous_visit_is_one_cache_read_with_the_same_page(client):
    first_count, first = queries_and_page(client, "/equipe/")
    count, again = queries_and_page(client, "/equipe/")
    assert count == 1 < first_count
    assert again == first


def test_each_language_has_its_own_copy(client):
    queries_and_page(client, "/")
    _count, english = queries_and_page(client, "/en/")
    _count, french = queries_and_page(client, "/")
    assert 'lang="en"' in english
    assert 'lang="fr"' in french


def test_a_change_to_what_the_pages_show_is_seen_at_once(client):
    cell = national_cell()
    queries_and_page(client, "/equipe/")
    queries_and_page(client, "/vade-mecum/")
    cell.name = "Cellule nationale renommée"
    cell.save()
    assert "Cellule nationale renommée" in queries_and_page(client, "/equipe/")[1]
    assert "Cellule nationale renommée" in queries_and_page(client, "/vade-mecum/")[1]

    person = member_of(person=UserFactory(first_name="Yasmina", last_name="Benali"))
    assert "Yasmina Benali" in queries_and_page(client, "/equipe/")[1]
    person.last_name = "Benali-Roux"
    person.save()
    assert "Yasmina Benali-Roux" in queries_and_page(client, "/equipe/")[1]
    person.memberships.all().delete()
    assert "Yasmina" not in queries_and_page(client, "/equipe/")[1]


def test_the_partner_filters_are_separate_pages_and_a_new_speciality_shows(client):
    partner = PartnerFactory(name="Association des bibliothécaires de test", specialities=["A1"])
    assert partner.name in queries_and_page(client, "/partenaires/", data={"speciality": "A1"})[1]
    assert partner.name not in queries_and_page(client, "/partenaires/?speciality=K1")[1]
    partner.specialities.add(Domain.objects.get(code="K1"))
    assert partner.name in queries_and_page(client, "/partenaires/?speciality=K1")[1]


def test_a_member_never_gets_the_anonymous_copy_and_the_reverse(client):
    person = member_of(person=UserFactory(username="claire"))
    _count, anonymous = queries_and_page(client, "/equipe/")
    assert "team-bar" not in anonymous
    client.force_login(person)
    assert "team-bar" in queries_and_page(client, "/equipe/")[1]
    assert "team-bar" in queries_and_page(client, "/")[1]
    client.logout()
    assert "team-bar" not in queries_and_page(client, "/")[1]


def test_a_cached_page_carries_no_token_no_cookie_and_the_security_headers(client):
    client.get("/")
    response = client.get("/")
    assert "csrf" not in response.content.decode().lower()
    assert not response.cookies
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_public_calendar_is_cached_and_the_private_one_never(client):
    person = member_of()
    first = client.get("/agenda/informatique-documentaire.ics")
    count, _body = queries_and_page(client, "/agenda/informatique-documentaire.ics")
    assert count == 1
    assert first["Content-Type"].startswith("text/calendar")
    private = f"/agenda/prive/{person.calendar_token}.ics"
    client.get(private)
    assert queries_and_page(client, private)[0] > 1


def test_the_home_institution_of_a_member_is_renamed_on_the_team_page(client):
    library = InstitutionFactory(name="Bibliothèque Part-Dieu")
    MembershipFactory(cell=CellFactory(member_cap=3), home_institution=library)
    assert "Bibliothèque Part-Dieu" in queries_and_page(client, "/equipe/")[1]
    library.name = "Bibliothèque municipale de Lyon"
    library.save()
    assert "Bibliothèque municipale de Lyon" in queries_and_page(client, "/equipe/")[1]


def hidden(name: str, html: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, name
    return found.group(1)


def test_the_blank_form_is_shared_but_each_visitor_gets_a_token_and_key_of_their_own(client):
    from django.test import Client

    _count, first = queries_and_page(client, "/demande/")
    other = Client(enforce_csrf_checks=True)
    count, second = queries_and_page(other, "/demande/")
    assert count <= 2  # the cache read, and whether the cell choice is offered
    assert hidden("submission_key", first) != hidden("submission_key", second)
    assert "g2id-fresh" not in second
    token = hidden("csrfmiddlewaretoken", second)
    assert other.cookies["csrftoken"].value
    # The token of the shared copy works with the visitor's cookie: the form is checked
    # (and refused for its empty fields), not rejected by the CSRF check (403).
    response = other.post("/demande/", {"csrfmiddlewaretoken": token, "title": ""})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
