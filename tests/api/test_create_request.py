"""POST /api/v1/requests: a library files a request without an account."""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.html import escape

from g2id.institutions.models import Institution
from g2id.notifications.models import OutgoingMail
from g2id.requests.models import Request, RequestEvent, Status
from tests.api.support import post_json, stored_counts, valid_body
from tests.conftest import run_tasks
from tests.factories import InstitutionFactory


def test_a_request_filed_through_the_api_gets_a_reference_and_a_tracking_link(client):
    response = post_json(client, valid_body())

    assert response.status_code == 201
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"reference", "status", "tracking_url", "token"}
    assert re.fullmatch(rf"G2ID-{timezone.localdate().year}-\d{{4,}}", body["reference"])
    assert body["status"] == "submitted"
    filed = Request.objects.get()
    assert body["reference"] == filed.reference
    assert body["token"] == filed.tracking_token
    assert body["tracking_url"] == f"http://testserver/suivi/{filed.tracking_token}/"


def test_the_tracking_link_given_by_the_api_opens_the_tracking_page(client):
    body = post_json(client, valid_body()).json()

    page = client.get(body["tracking_url"].removeprefix("http://testserver"))

    assert page.status_code == 200
    assert body["reference"] in page.content.decode()


def test_the_request_is_stored_with_its_details_domains_and_a_first_history_event(client):
    post_json(client, valid_body(systems="Koha 23.11", desired_start="2099-01-05"))

    filed = Request.objects.get()
    assert filed.title == "Relances en double depuis la mise à jour de Koha"
    assert filed.description.startswith("Depuis la mise à jour en 23.11")
    assert filed.kind == "advice"
    assert filed.status == Status.SUBMITTED
    assert sorted(filed.domains.values_list("code", flat=True)) == ["A1", "A5"]
    assert (filed.contact_name, filed.contact_email) == (
        "Camille Martin",
        "camille.martin@poitiers.example.fr",
    )
    assert (filed.contact_phone, filed.contact_role) == ("05 49 00 00 00", "Responsable du SIGB")
    assert filed.systems == "Koha 23.11"
    assert str(filed.desired_start) == "2099-01-05"
    assert filed.consent_at is not None
    assert filed.language == "fr"
    event = RequestEvent.objects.get(request=filed)
    assert (event.from_status, event.to_status, event.actor_party) == ("", "submitted", "library")


def test_a_new_library_is_created_with_its_departement_and_region_from_the_postcode(client):
    post_json(client, valid_body())

    library = Request.objects.get().institution
    assert (library.name, library.city, library.postcode) == (
        "Médiathèque François-Mitterrand",
        "Poitiers",
        "86000",
    )
    assert library.kind == "network_head"
    assert library.department == "86"
    assert library.region == "75"  # Nouvelle-Aquitaine


def test_a_corsican_postcode_gives_the_corsican_departement(client):
    post_json(client, valid_body(library={"name": "Médiathèque", "postcode": "20000"}))

    library = Request.objects.get().institution
    assert library.department == "2A"
    assert library.region == "94"


def test_a_library_without_kind_is_filed_as_a_municipal_library(client):
    body = valid_body()
    del body["library"]["kind"]

    assert post_json(client, body).status_code == 201
    assert Request.objects.get().institution.kind == Institution.Kind.MUNICIPAL


def test_a_known_isil_reuses_the_existing_library(client):
    known = InstitutionFactory(
        name="BM de Lyon", city="Lyon", postcode="69003", isil="FR-691231001"
    )

    response = post_json(
        client,
        valid_body(library={"name": "Bibliothèque municipale", "isil": "fr-691231001"}),
    )

    assert response.status_code == 201
    assert Institution.objects.count() == 1
    assert Request.objects.get().institution == known


def test_a_library_known_by_its_isil_needs_no_name_city_or_postcode(client):
    known = InstitutionFactory(isil="FR-691231001")

    response = post_json(
        client,
        valid_body(library={"name": "", "city": "", "postcode": "", "isil": "FR-691231001"}),
    )

    assert response.status_code == 201
    assert Request.objects.get().institution == known


def test_a_known_library_is_matched_by_name_and_postcode_without_isil(client):
    known = InstitutionFactory(name="Médiathèque François-Mitterrand", postcode="86000")

    post_json(client, valid_body(library={"name": "médiathèque françois-mitterrand"}))

    assert Institution.objects.count() == 1
    assert Request.objects.get().institution == known


def test_a_new_isil_is_stored_with_the_new_library(client):
    post_json(client, valid_body(library={"isil": "FR-860001001"}))

    assert Request.objects.get().institution.isil == "FR-860001001"


def test_the_receipt_with_the_tracking_link_is_queued_for_the_contact(client):
    body = post_json(client, valid_body()).json()
    run_tasks()  # the worker announces the request

    receipt = OutgoingMail.objects.get(to=["camille.martin@poitiers.example.fr"])
    assert body["reference"] in receipt.subject
    assert body["tracking_url"] in receipt.body


def test_a_request_filed_with_an_english_accept_language_is_followed_in_english(client):
    post_json(client, valid_body(), HTTP_ACCEPT_LANGUAGE="en")

    assert Request.objects.get().language == "en"


def test_markup_in_every_text_field_is_stored_verbatim(client):
    def markup(name: str) -> str:
        return f"<script>alert('{name}')</script>"

    response = post_json(
        client,
        valid_body(
            library={"name": markup("lib"), "city": markup("city")},
            contact={"name": markup("who"), "phone": markup("tel"), "role": markup("role")},
            title=markup("title"),
            description=markup("description") + "\n<img src=x onerror=alert(1)>",
            systems=markup("systems"),
        ),
    )

    assert response.status_code == 201
    filed = Request.objects.select_related("institution").get()
    assert filed.institution.name == markup("lib")
    assert filed.institution.city == markup("city")
    assert filed.contact_name == markup("who")
    assert filed.contact_phone == markup("tel")
    assert filed.contact_role == markup("role")
    assert filed.title == markup("title")
    assert filed.description == markup("description") + "\n<img src=x onerror=alert(1)>"
    assert filed.systems == markup("systems")


def test_markup_sent_through_the_api_is_escaped_on_the_tracking_page(client):
    shown = {
        "library": {"name": "<script>alert('lib')</script>", "city": "<b>Poitiers</b>"},
        "title": "<script>alert('title')</script>",
        "description": "<img src=x onerror=alert('description')>",
        "systems": "<iframe src=//evil.example></iframe>",
    }
    body = post_json(client, valid_body(**shown)).json()

    page = client.get(f"/suivi/{body['token']}/").content.decode()

    for value in (
        shown["library"]["name"],
        shown["library"]["city"],
        shown["title"],
        shown["description"],
        shown["systems"],
    ):
        assert value not in page
        assert escape(value) in page
    assert "<script>alert(" not in page
    assert "<img src=x" not in page
    assert "<iframe" not in page


def test_a_request_filed_through_the_api_stores_exactly_one_of_each_record(client):
    before = stored_counts()

    post_json(client, valid_body())
    run_tasks()  # the worker announces the request

    requests, libraries, mails = stored_counts()
    assert (requests, libraries) == (before[0] + 1, before[1] + 1)
    assert mails > before[2]
