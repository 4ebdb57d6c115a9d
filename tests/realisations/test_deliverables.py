from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from g2id.realisations.licences import normalise_licence
from g2id.realisations.models import Deliverable, DeliverableVersion, Reuse
from g2id.realisations.services import add_version, confirm_reuse, declare_reuse
from tests.factories import CellFactory, UserFactory, member_of
from tests.realisations.conftest import make_deliverable, text_file


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("MIT", "MIT"),
        ("mit", "MIT"),
        ("GPL-3.0-or-later", "GPL-3.0-or-later"),
        ("MIT OR Apache-2.0", "MIT OR Apache-2.0"),
        ("(MIT AND CC-BY-4.0)", "MIT AND CC-BY-4.0"),
        ("GPL-2.0-or-later WITH Classpath-exception-2.0", None),
    ],
)
def test_spdx_identifiers_and_expressions_are_accepted(given, stored):
    assert normalise_licence(given) == (stored or given)


@pytest.mark.parametrize(
    "given", ["Foo-1.0", "gpl", "LicenseRef-scancode-3com-microcode", "(MIT", "MIT OR", ""]
)
def test_unknown_or_malformed_licences_are_refused(given):
    with pytest.raises(ValidationError):
        normalise_licence(given)


def post_add(client, intervention, **data):
    fields = {
        "title": "Script de relances",
        "type": "script",
        "licence": "MIT",
        "how_to": "Lancer le script.",
        "reusable": "on",
        "version-label": "1.0",
        "version-notes": "",
        "version-repository_url": "https://forge.example.fr/relances",
    }
    fields.update(data)
    fields = {key: value for key, value in fields.items() if value is not None}
    # In English: the upload checks' messages are translated already.
    with translation.override("en"):
        url = reverse("realisations:add", args=[intervention.request.reference])
    return client.post(url, fields)


def test_member_adds_a_deliverable_with_its_first_version(client, member, intervention):
    client.force_login(member)
    response = post_add(client, intervention, licence="mit or apache-2.0")
    assert response.status_code == 302
    deliverable = intervention.deliverables.get()
    assert deliverable.licence == "MIT OR Apache-2.0"
    assert deliverable.versions.get().repository_url == "https://forge.example.fr/relances"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"licence": "Licence-Maison"}, "SPDX"),
        ({"version-repository_url": "ftp://forge.example.fr/relances"}, "http"),
        ({"version-repository_url": "javascript:alert(1)"}, "http"),
        ({"version-repository_url": ""}, "either"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(client, member, intervention, data, error):
    client.force_login(member)
    response = post_add(client, intervention, **data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Deliverable.objects.exists()
    assert not DeliverableVersion.objects.exists()


def test_upload_over_the_limit_or_of_a_forbidden_type_is_refused(
    client, member, intervention, settings
):
    client.force_login(member)
    response = post_add(
        client,
        intervention,
        **{"version-repository_url": "", "version-upload": text_file("relances.py", b"print(1)")},
    )
    assert "not an accepted file type" in response.content.decode()
    settings.G2ID_ATTACHMENT_MAX_BYTES = 10
    response = post_add(
        client, intervention, **{"version-repository_url": "", "version-upload": text_file()}
    )
    assert "too large" in response.content.decode()
    assert not Deliverable.objects.exists()
    with pytest.raises(ValidationError):
        make_deliverable(intervention, member, upload=text_file("x.exe", b"MZ\x90\x00" * 10))
    assert not Deliverable.objects.exists()


def test_link_and_file_together_are_refused(member, intervention):
    with pytest.raises(ValidationError):
        make_deliverable(
            intervention, member, upload=text_file(), repository_url="https://forge.example.fr"
        )
    assert not Deliverable.objects.exists()


def test_versions_keep_history_and_files_are_served_by_a_view(client, member, intervention):
    deliverable = make_deliverable(intervention, member)
    second = add_version(deliverable, label="1.1", upload=text_file(), by=member)
    with pytest.raises(ValidationError):
        add_version(deliverable, label="1.1", repository_url="https://forge.example.fr", by=member)
    assert list(deliverable.versions.values_list("label", flat=True)) == ["1.1", "1.0"]
    public = client.get(reverse("realisations:public_file", args=[deliverable.pk, second.pk]))
    assert public.status_code == 200
    assert b"".join(public.streaming_content) == b"Mode d'emploi du script.\n"


def test_another_cells_member_gets_404(client, member, intervention):
    other = member_of(CellFactory(name="Autre", slug="autre"), person=UserFactory(username="o"))
    deliverable = make_deliverable(intervention, member, reusable=False)
    client.force_login(other)
    reference = intervention.request.reference
    for url in (
        reverse("realisations:team_deliverables", args=[reference]),
        reverse("realisations:add", args=[reference]),
        reverse("realisations:edit", args=[reference, deliverable.pk]),
        reverse("realisations:case_study_edit", args=[reference]),
    ):
        assert client.get(url).status_code == 404
    assert deliverable.title not in client.get(reverse("realisations:register")).content.decode()


def test_not_reusable_never_public(client, member, intervention):
    hidden = make_deliverable(
        intervention, member, reusable=False, title="Export interne", upload=text_file()
    )
    version = hidden.versions.get()
    assert client.get(reverse("realisations:deliverable", args=[hidden.pk])).status_code == 404
    assert (
        client.get(reverse("realisations:public_file", args=[hidden.pk, version.pk])).status_code
        == 404
    )
    assert "Export interne" not in client.get(reverse("realisations:index")).content.decode()
    assert "Export interne" not in client.get(reverse("realisations:feed")).content.decode()
    assert client.get(reverse("realisations:we_use_it", args=[hidden.pk])).status_code == 404
    with pytest.raises(ValidationError):
        declare_reuse(hidden, institution=None, library_name="BM", contact_email="a@b.fr")


def test_reuse_pending_then_confirmed(client, member, intervention):
    deliverable = make_deliverable(intervention, member)
    page = reverse("realisations:deliverable", args=[deliverable.pk])
    response = client.post(
        reverse("realisations:we_use_it", args=[deliverable.pk]),
        {"library": "Médiathèque de Quimper", "contact_email": "sigb@quimper.fr"},
    )
    assert response.status_code == 302
    reuse = Reuse.objects.get()
    assert reuse.confirmed_at is None
    assert "Médiathèque de Quimper" not in client.get(page).content.decode()
    client.force_login(member)
    register = client.get(reverse("realisations:register")).content.decode()
    assert "Médiathèque de Quimper" in register
    assert client.post(reverse("realisations:confirm_reuse", args=[reuse.pk])).status_code == 302
    client.logout()
    assert "Médiathèque de Quimper" in client.get(page).content.decode()


def test_reuse_by_isil_links_the_known_library(member, intervention, client):
    library = intervention.request.institution
    library.isil = "FR-693832101"
    library.save()
    deliverable = make_deliverable(intervention, member)
    client.post(
        reverse("realisations:we_use_it", args=[deliverable.pk]),
        {"library": "fr-693832101", "contact_email": "sigb@lyon.fr"},
    )
    assert Reuse.objects.get().institution == library
    confirm_reuse(Reuse.objects.get(), by=member)
    assert Reuse.objects.confirmed().count() == 1
