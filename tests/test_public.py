"""The public pages: the charter, in French first and English on request."""

from __future__ import annotations


def test_the_home_page_shows_the_charter_in_french(client):
    page = client.get("/").content.decode()
    assert '<html lang="fr"' in page
    for heading in ["Qui", "Où", "Quoi", "Comment", "Pourquoi"]:
        assert f"<h3>{heading}</h3>" in page


def test_the_home_page_exists_in_english(client):
    page = client.get("/en/").content.decode()
    assert '<html lang="en"' in page
    assert "<h3>Why</h3>" in page


def test_the_language_switch_leads_to_the_same_page_in_the_other_language(client, filed):
    assert 'href="/en/demande/" hreflang="en"' in client.get("/demande/").content.decode()
    assert 'href="/demande/" hreflang="fr"' in client.get("/en/demande/").content.decode()
    tracking = client.get(f"/suivi/{filed.tracking_token}/").content.decode()
    assert f'href="/en/suivi/{filed.tracking_token}/" hreflang="en"' in tracking


def test_an_unknown_page_is_a_french_404(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
