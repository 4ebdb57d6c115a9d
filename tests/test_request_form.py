"""The library's request form: a few minutes, no account, clear French errors, nothing partial."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from g2id.institutions.models import Institution
from g2id.notifications.models import OutgoingMail
from g2id.requests.models import Attachment, Request
from tests.conftest import run_tasks
from tests.factories import InstitutionFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_data(**overrides) -> dict:
    data = {
        "library_name": "Médiathèque François-Mitterrand",
        "library_postcode": "86000",
        "library_city": "Poitiers",
        "library_kind": "network_head",
        "library_isil": "",
        "contact_name": "Camille Martin",
        "contact_email": "camille.martin@poitiers.example.fr",
        "contact_phone": "05 49 00 00 00",
        "contact_role": "Responsable du SIGB",
        "title": "Relances en double depuis la mise à jour de Koha",
        "description": "Depuis la mise à jour en 23.11, chaque lecteur reçoit deux relances.",
        "kind": "advice",
        "domains": ["A1", "A5"],
        "systems": "Koha 23.11",
        "consent": "on",
        "website": "",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def stored_counts() -> tuple[int, int, int, int]:
    return (
        Request.objects.count(),
        Institution.objects.count(),
        OutgoingMail.objects.count(),
        Attachment.objects.count(),
    )


def test_the_form_is_in_french_by_default_and_in_english_under_en(client):
    assert "Envoyer ma demande" in client.get("/demande/").content.decode()
    assert "Send my request" in client.get("/en/demande/").content.decode()


def test_a_library_files_a_request_and_sees_its_reference(client):
    response = client.post("/demande/", form_data(), follow=True)
    filed = Request.objects.get()
    assert filed.reference in response.content.decode()
    assert filed.tracking_path in response.content.decode()
    assert sorted(filed.domains.values_list("code", flat=True)) == ["A1", "A5"]
    assert filed.institution.department == "86"
    assert filed.institution.region == "75"


def test_the_receipt_mail_carries_the_private_tracking_link(client):
    client.post("/demande/", form_data())
    filed = Request.objects.get()
    run_tasks()
    receipt = next(m for m in mail.outbox if m.to == [filed.contact_email])
    assert filed.reference in receipt.subject
    assert filed.tracking_url in receipt.body


def test_a_known_library_is_found_by_name_and_reused(client):
    known = InstitutionFactory(name="Bibliothèque Kateb-Yacine", city="Grenoble", postcode="38000")
    results = client.get("/demande/bibliotheques/", {"q": "kateb"}).content.decode()
    assert f'value="{known.pk}"' in results
    client.post("/demande/", form_data(institution=known.pk, library_name="", library_city=""))
    assert Request.objects.get().institution == known
    assert Institution.objects.count() == 1


def test_a_known_library_is_found_by_its_isil(client):
    known = InstitutionFactory(isil="FR-751131015", name="BnF")
    results = client.get("/demande/bibliotheques/", {"q": "FR-751131015"}).content.decode()
    assert f'value="{known.pk}"' in results


def test_submitting_the_same_form_twice_files_one_request(client):
    data = form_data()
    client.post("/demande/", data)
    response = client.post("/demande/", data, follow=True)
    assert Request.objects.count() == 1
    assert Request.objects.get().reference in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "   ", "Ce champ est obligatoire."),
        ("description", "", "Ce champ est obligatoire."),
        ("contact_name", "\t \n", "Ce champ est obligatoire."),
        ("contact_email", "camille@", "Saisissez une adresse de courriel valide."),
        ("contact_email", "pas une adresse", "Saisissez une adresse de courriel valide."),
        ("library_isil", "FR-12", "RCR"),
        ("library_isil", "FR-751131015-EXTRA-LONG", "16"),
        ("library_isil", "FR 751131015", "ISIL"),
        ("library_postcode", "7500", "code postal"),
        ("domains", ["Z9"], "Z9"),
        ("domains", [], "au moins un domaine"),
        ("kind", "miracle", "Sélectionnez un choix valide"),
        ("consent", "", "consentement"),
        ("description", "x" * 1_000_000, "20000"),
        ("desired_end", "2001-01-01", "passée"),
        ("website", "http://spam.example", "automatique"),
    ],
)
def test_bad_input_is_refused_with_a_french_message_and_nothing_is_stored(
    client, field, value, message
):
    before = stored_counts()
    response = client.post("/demande/", form_data(**{field: value}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "La demande n&#x27;a pas été envoyée" in page or "pas été envoyée" in page
    assert message in page
    assert stored_counts() == before


def test_a_desired_period_ending_before_it_starts_is_refused(client):
    response = client.post(
        "/demande/", form_data(desired_start="2099-06-01", desired_end="2099-05-01")
    )
    assert "La fin de la période précède son début." in response.content.decode()
    assert not Request.objects.exists()


def test_a_new_library_needs_a_name_a_postcode_and_a_city(client):
    response = client.post(
        "/demande/", form_data(library_name="", library_postcode="", library_city="")
    )
    assert response.content.decode().count("choisissez votre bibliothèque") >= 1
    assert not Request.objects.exists()


def test_script_tags_are_stored_as_text_and_shown_escaped(client):
    attack = "<script>alert('g2id')</script>"
    fields = ["title", "description", "contact_name", "contact_role", "systems", "library_name"]
    client.post("/demande/", form_data(**{f: f"{attack} {f}" for f in fields}))
    filed = Request.objects.get()
    assert filed.title == f"{attack} title"
    assert filed.institution.name == f"{attack} library_name"
    page = client.get(filed.tracking_path).content.decode()
    assert attack not in page
    assert "&lt;script&gt;" in page


def test_attachments_are_stored_with_their_real_type(client):
    upload = SimpleUploadedFile("lettre.pdf", PDF, content_type="application/pdf")
    client.post("/demande/", {**form_data(), "attachments": [upload]})
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == ("lettre.pdf", "application/pdf")
    assert attachment.file.read() == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("programme.exe", b"MZ\x90\x00\x03" + b"\x00" * 100, "type de fichier"),
        ("faux.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, "type de fichier"),
        ("script.sh", b"#!/bin/sh\nrm -rf /\n", "type de fichier"),
        ("image.png", PDF, "type de fichier"),
        ("vide.txt", b"", "vide"),
    ],
)
def test_a_forbidden_or_disguised_attachment_is_refused_and_nothing_is_stored(
    client, name, content, message
):
    upload = SimpleUploadedFile(name, content)
    response = client.post("/demande/", {**form_data(), "attachments": [upload]})
    assert message in response.content.decode()
    assert stored_counts() == (0, 0, 0, 0)


def test_an_attachment_over_the_limit_is_refused(client, settings):
    settings.G2ID_ATTACHMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("gros.txt", b"a" * 2048)
    response = client.post("/demande/", {**form_data(), "attachments": [upload]})
    assert "trop volumineux" in response.content.decode()
    assert not Request.objects.exists()


def test_too_many_submissions_from_one_address_get_a_clear_429_page(client, settings):
    settings.G2ID_SUBMIT_RATE = "2/h"
    for _ in range(2):
        client.post("/demande/", form_data(submission_key=str(uuid.uuid4())))
    response = client.post("/demande/", form_data(submission_key=str(uuid.uuid4())))
    assert response.status_code == 429
    assert "Trop d" in response.content.decode()
    assert Request.objects.count() == 2


def test_the_confirmation_page_needs_a_fresh_submission(client):
    assert client.get("/demande/envoyee/").url == "/demande/"


def test_with_several_cells_the_library_chooses_one_that_serves_it(client):
    from tests.factories import CellFactory

    brittany = CellFactory(name="Multimédia Bretagne", slug="multimedia-bretagne", region="53")
    page = client.get("/demande/").content.decode()
    assert "Multimédia Bretagne" in page
    refused = client.post("/demande/", form_data(cell=brittany.slug))  # library in Poitiers
    assert "Bretagne" in refused.content.decode()
    assert not Request.objects.exists()
    client.post("/demande/", form_data(cell=brittany.slug, library_postcode="35000"))
    assert Request.objects.get().cell == brittany


def test_with_one_cell_the_form_asks_nothing_about_cells(client):
    assert 'name="cell"' not in client.get("/demande/").content.decode()
    client.post("/demande/", form_data())
    assert Request.objects.get().cell.slug == "informatique-documentaire"
