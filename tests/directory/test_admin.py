"""The back office manages partners and exports a selection as CSV."""

from __future__ import annotations

import pytest
from django.urls import reverse

from g2id.directory.models import Partner
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def test_the_back_office_lists_and_filters_partners(admin_client):
    url = reverse("admin:directory_partner_changelist")
    response = admin_client.get(url, {"kind__exact": "private", "q": "Biblibre"})
    assert response.status_code == 200
    assert "BibLibre" in response.content.decode()
    assert admin_client.get(url, {"region__exact": "53"}).status_code == 200


def test_the_back_office_edits_a_partner_with_its_notes(admin_client):
    abes = Partner.objects.get(code="abes")
    response = admin_client.get(reverse("admin:directory_partner_change", args=[abes.pk]))
    assert response.status_code == 200
    assert 'name="notes"' in response.content.decode()


def test_the_selected_partners_export_as_csv(admin_client):
    selected = Partner.objects.filter(code__in=["abes", "bpi"])
    response = admin_client.post(
        reverse("admin:directory_partner_changelist"),
        {"action": "export_as_csv", "_selected_action": [p.pk for p in selected]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("code,name,kind,specialities,scope,region")
    assert [line.split(",")[0] for line in lines[1:]] == ["abes", "bpi"]


def test_the_code_is_unique_per_region():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.create(
            code="drac", region="53", name="Doublon", kind="public", when_to_refer="x"
        )
