"""The team's inbox and request page: filters, search, permissions, bounded queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2id.requests.models import Message, Party, Status
from g2id.requests.services import post_message
from g2id.triage import search
from tests.factories import CellFactory, InstitutionFactory, file_request, member_of


@pytest.fixture
def logged_member(client, member):
    client.force_login(member)
    return member


def inbox(client, **params) -> str:
    response = client.get("/espace/demandes/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_inbox_needs_a_login(client):
    response = client.get("/espace/demandes/")
    assert response.status_code == 302
    assert response.url.startswith("/connexion/")


def test_a_member_sees_the_open_requests_of_their_cell(client, logged_member, filed):
    page = inbox(client)
    assert filed.reference in page
    assert "Reçue" in page


def test_a_member_of_another_cell_sees_nothing_and_gets_404_on_the_request(client, filed):
    stranger = member_of(CellFactory(name="Multimédia", slug="multimedia"))
    client.force_login(stranger)
    assert filed.reference not in inbox(client)
    assert client.get(f"/espace/demandes/{filed.reference}/").status_code == 404
    assert client.post(f"/espace/demandes/{filed.reference}/instruire/").status_code == 404
    filed.refresh_from_db()
    assert filed.status == Status.SUBMITTED


def test_a_person_without_a_cell_sees_no_request(client, outsider, filed):
    client.force_login(outsider)
    page = inbox(client)
    assert filed.reference not in page
    assert client.get(f"/espace/demandes/{filed.reference}/").status_code == 404


def test_a_former_member_loses_access(client, filed):
    import datetime

    from django.utils import timezone

    former = member_of(end_date=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(former)
    assert client.get(f"/espace/demandes/{filed.reference}/").status_code == 404


def test_finished_requests_are_hidden_unless_asked_for(client, logged_member, filed):
    filed.withdraw()
    assert filed.reference not in inbox(client)
    assert filed.reference in inbox(client, status="all")
    assert filed.reference in inbox(client, status="withdrawn")


def test_the_inbox_filters_by_status_domain_and_region(client, logged_member):
    rennes = InstitutionFactory(
        name="Bibliothèque des Champs Libres", city="Rennes", postcode="35000"
    )
    koha = file_request(title="Relances Koha", domains=("A1",))
    marc = file_request(title="Conversion UNIMARC", domains=("B1",), library=rennes)
    koha.take_into_review(by=logged_member)

    assert koha.reference in inbox(client, status="under_review")
    assert marc.reference not in inbox(client, status="under_review")
    by_domain = inbox(client, domain="B1")
    assert marc.reference in by_domain and koha.reference not in by_domain
    in_brittany = inbox(client, region="53")
    assert marc.reference in in_brittany and koha.reference not in in_brittany


@pytest.mark.parametrize(
    "query", ["unimarc", "UNIMARC", "conversion", "Champs Libres", "Rennes", "notices"]
)
def test_the_search_finds_a_request_by_title_description_or_library(client, logged_member, query):
    rennes = InstitutionFactory(
        name="Bibliothèque des Champs Libres", city="Rennes", postcode="35000"
    )
    wanted = file_request(
        title="Conversion UNIMARC vers MARC21",
        description="Nous devons convertir nos notices pour le Sudoc.",
        library=rennes,
    )
    other = file_request(title="Relances Koha", description="Lettres en double.")
    page = inbox(client, q=query)
    assert wanted.reference in page
    assert other.reference not in page


def test_the_search_finds_a_request_by_its_reference(client, logged_member):
    wanted, other = file_request(), file_request()
    page = inbox(client, q=wanted.reference)
    assert wanted.reference in page and other.reference not in page


def test_a_bad_filter_is_ignored_rather_than_failing(client, logged_member, filed):
    response = client.get(
        "/espace/demandes/", {"status": "nimportequoi", "domain": "ZZ", "page": "x"}
    )
    assert response.status_code == 200


def test_the_inbox_answers_in_a_bounded_number_of_queries(
    client, logged_member, rendered_every_time
):
    for number in range(30):
        file_request(title=f"Demande {number}", domains=("A1", "B2"))
    with CaptureQueriesContext(connection) as few:
        inbox(client)
    for number in range(30):
        file_request(title=f"Autre demande {number}", domains=("C1", "D1", "E1"))
    with CaptureQueriesContext(connection) as many:
        inbox(client)
    assert len(many) == len(few) <= 12


def test_the_request_page_answers_in_a_bounded_number_of_queries(
    client, logged_member, filed, rendered_every_time
):
    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/espace/demandes/{filed.reference}/").status_code == 200
        return len(queries)

    post_message(request=filed, body="Premier message", party=Party.LIBRARY)
    baseline = page_queries()
    for number in range(10):
        post_message(
            request=filed,
            body=f"Message {number}",
            party=Party.TEAM if number % 2 else Party.LIBRARY,
            author=logged_member if number % 2 else None,
            files=[SimpleUploadedFile(f"f{number}.txt", b"contenu")],
        )
    assert page_queries() == baseline <= 19


def test_a_member_takes_a_request_into_review(client, logged_member, filed):
    client.post(f"/espace/demandes/{filed.reference}/instruire/")
    filed.refresh_from_db()
    assert filed.status == Status.UNDER_REVIEW
    assert filed.events.last().actor_user == logged_member


def test_taking_twice_says_why_it_is_refused(client, logged_member, filed):
    client.post(f"/espace/demandes/{filed.reference}/instruire/")
    response = client.post(f"/espace/demandes/{filed.reference}/instruire/", follow=True)
    assert "ne peut pas" in response.content.decode()


def test_a_member_asks_the_library_a_question(client, logged_member, filed):
    filed.take_into_review(by=logged_member)
    client.post(f"/espace/demandes/{filed.reference}/question/", {"question": "Quelle version ?"})
    filed.refresh_from_db()
    assert filed.status == Status.NEEDS_INFO
    assert filed.messages.get().body == "Quelle version ?"


def test_an_empty_question_is_refused(client, logged_member, filed):
    filed.take_into_review(by=logged_member)
    response = client.post(f"/espace/demandes/{filed.reference}/question/", {"question": " "})
    assert response.status_code == 400
    filed.refresh_from_db()
    assert filed.status == Status.UNDER_REVIEW


def test_an_internal_note_stays_inside_the_team(client, logged_member, filed):
    client.post(
        f"/espace/demandes/{filed.reference}/message/",
        {"body": "À voir au point hebdo", "internal": "on"},
    )
    note = Message.objects.get()
    assert note.is_internal and note.author == logged_member
    assert (
        "À voir au point hebdo"
        in client.get(f"/espace/demandes/{filed.reference}/").content.decode()
    )
    assert "À voir au point hebdo" not in client.get(filed.tracking_path).content.decode()


def test_the_team_downloads_an_attachment_but_not_another_cells(client, logged_member, filed):
    post_message(
        request=filed,
        body="ci-joint",
        party=Party.LIBRARY,
        files=[SimpleUploadedFile("lettre.txt", b"bonjour")],
    )
    attachment = filed.attachments.get()
    url = f"/espace/demandes/{filed.reference}/pieces/{attachment.pk}/"
    assert client.get(url).status_code == 200
    client.force_login(member_of(CellFactory(name="Communication", slug="communication")))
    assert client.get(url).status_code == 404


def test_a_search_looks_through_the_most_recent_matches_only(client, logged_member, monkeypatch):
    monkeypatch.setattr(search, "SEARCH_WINDOW", 3)
    older = [file_request(title=f"Koha ancienne {number}") for number in range(2)]
    recent = [file_request(title=f"Koha récente {number}") for number in range(3)]
    page = inbox(client, q="koha")
    assert all(filed.reference in page for filed in recent)
    assert not any(filed.reference in page for filed in older)
    # Narrowing the search reaches further back.
    assert older[0].reference in inbox(client, q="koha ancienne")
