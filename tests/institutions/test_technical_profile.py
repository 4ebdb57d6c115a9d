"""The library's technical profile: from the request form and the API, kept up by the team."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from g2id.institutions.models import Institution, TechnicalProfile
from g2id.requests.models import Request
from tests.api.support import assert_error_shape, error_fields, post_json, valid_body
from tests.factories import CellFactory, InstitutionFactory, UserFactory, file_request, member_of
from tests.test_request_form import form_data

ILS = TechnicalProfile.Ils
HOSTING = TechnicalProfile.Hosting


def profile_url(institution: Institution) -> str:
    return f"/espace/bibliotheques/{institution.pk}/profil-technique/"


def known_library_with_profile() -> Institution:
    library = InstitutionFactory(name="Médiathèque de Poitiers", city="Poitiers", postcode="86000")
    TechnicalProfile.objects.create(
        institution=library,
        ils=ILS.KOHA,
        ils_version="22.11",
        portal="Bokeh",
        network="Réseau de Grand Poitiers",
        hosting=HOSTING.ON_PREMISES,
        has_it_support=True,
        updated_by_party=TechnicalProfile.UpdatedBy.TEAM,
    )
    return library


# --- From the request form ------------------------------------------------------------------


def test_the_form_shows_the_optional_tools_fieldset(client):
    page = client.get("/en/demande/").content.decode()
    assert "Your tools" in page
    assert 'name="library_ils"' in page and "Aloès" in page and "BiblioMondo Portfolio" in page


def test_a_new_library_gets_the_profile_it_entered_with_its_request(client):
    client.post(
        "/demande/",
        form_data(
            library_ils="pmb",
            library_ils_version="7.4",
            library_portal="Site de la ville",
            library_network="Réseau Vienne",
            library_hosting="vendor_saas",
            library_it_support="no",
        ),
    )
    profile = Request.objects.get().institution.technical_profile
    assert (profile.ils, profile.ils_version, profile.portal, profile.network) == (
        "pmb",
        "7.4",
        "Site de la ville",
        "Réseau Vienne",
    )
    assert profile.hosting == HOSTING.VENDOR_SAAS
    assert profile.has_it_support is False
    assert profile.updated_by_party == TechnicalProfile.UpdatedBy.LIBRARY
    assert profile.updated_by is None


def test_fields_left_blank_do_not_erase_what_is_known(client):
    library = known_library_with_profile()
    client.post(
        "/demande/",
        form_data(institution=library.pk, library_portal="Bokeh 9", library_it_support=""),
    )
    profile = TechnicalProfile.objects.get(institution=library)
    assert profile.portal == "Bokeh 9"
    assert (profile.ils, profile.ils_version, profile.network) == (
        "koha",
        "22.11",
        "Réseau de Grand Poitiers",
    )
    assert profile.hosting == HOSTING.ON_PREMISES
    assert profile.has_it_support is True
    assert profile.updated_by_party == TechnicalProfile.UpdatedBy.LIBRARY


def test_a_new_ils_without_a_version_drops_the_former_ils_version(client):
    library = known_library_with_profile()
    client.post("/demande/", form_data(institution=library.pk, library_ils="orphee"))
    profile = TechnicalProfile.objects.get(institution=library)
    assert (profile.ils, profile.ils_version) == ("orphee", "")


def test_a_request_without_tools_creates_no_empty_profile(client):
    client.post("/demande/", form_data())
    assert Request.objects.count() == 1
    assert not TechnicalProfile.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("library_ils", "evergreen", "is not in the list of ILS"),
        ("library_ils_version", "x" * 51, "at most 50 characters"),
        ("library_hosting", "cloud", "is not a known kind of hosting"),
    ],
)
def test_bad_tools_are_refused_with_a_clear_message_and_nothing_is_stored(
    client, field, value, message
):
    response = client.post("/en/demande/", form_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Request.objects.exists()
    assert not Institution.objects.exists()
    assert not TechnicalProfile.objects.exists()


# --- From the API ---------------------------------------------------------------------------


def test_the_api_records_the_technical_profile(client):
    tools = {
        "ils": "koha",
        "ils_version": "24.05",
        "hosting": "on_premises",
        "has_it_support": True,
    }
    response = post_json(client, valid_body(technical_profile=tools))
    assert response.status_code == 201
    profile = TechnicalProfile.objects.get()
    assert (profile.ils, profile.ils_version, profile.hosting, profile.has_it_support) == (
        "koha",
        "24.05",
        "on_premises",
        True,
    )
    assert profile.institution.name == "Médiathèque François-Mitterrand"


def test_the_api_erases_nothing_with_missing_or_empty_values(client):
    library = known_library_with_profile()
    body = valid_body(
        library={"name": library.name, "city": "Poitiers", "postcode": "86000"},
        technical_profile={"portal": "", "network": None, "ils_version": "24.05"},
    )
    assert post_json(client, body).status_code == 201
    profile = TechnicalProfile.objects.get(institution=library)
    assert (profile.ils, profile.ils_version, profile.portal, profile.network) == (
        "koha",
        "24.05",
        "Bokeh",
        "Réseau de Grand Poitiers",
    )


@pytest.mark.parametrize(
    ("tools", "field"),
    [
        ({"ils": "evergreen"}, "technical_profile.ils"),
        ({"ils_version": "v" * 51}, "technical_profile.ils_version"),
        ({"hosting": "cloud"}, "technical_profile.hosting"),
        ({"has_it_support": "oui"}, "technical_profile.has_it_support"),
        ({"portal": 12}, "technical_profile.portal"),
    ],
)
def test_the_api_refuses_bad_tools_in_its_error_shape_and_stores_nothing(client, tools, field):
    body = assert_error_shape(post_json(client, valid_body(technical_profile=tools)), 422)
    assert error_fields(body) == {field}
    assert not Request.objects.exists()
    assert not Institution.objects.exists()
    assert not TechnicalProfile.objects.exists()


def test_the_openapi_schema_documents_the_technical_profile(client):
    schema = client.get("/api/v1/openapi.json").json()
    tools = schema["components"]["schemas"]["TechnicalProfileIn"]["properties"]
    assert set(tools) == {"ils", "ils_version", "portal", "network", "hosting", "has_it_support"}
    assert "koha" in str(tools["ils"]) and "aloes" in str(tools["ils"])
    assert "vendor_saas" in str(tools["hosting"])


# --- The team's page ------------------------------------------------------------------------


@pytest.fixture
def library_asking():
    """A library with a request in the national cell."""
    library = known_library_with_profile()
    file_request(library=library)
    return library


def test_a_member_of_the_cell_sees_and_edits_the_profile(client, member, library_asking):
    client.force_login(member)
    page = client.get(profile_url(library_asking))
    assert page.status_code == 200
    assert "Médiathèque de Poitiers" in page.content.decode()

    response = client.post(
        profile_url(library_asking),
        {"ils": "koha", "ils_version": "24.05", "portal": "", "network": "", "hosting": "",
         "has_it_support": "unknown"},
    )  # fmt: skip
    assert response.status_code == 302
    profile = TechnicalProfile.objects.get(institution=library_asking)
    assert (profile.ils_version, profile.portal, profile.hosting) == ("24.05", "", "")
    assert profile.has_it_support is None
    assert profile.updated_by_party == TechnicalProfile.UpdatedBy.TEAM
    assert profile.updated_by == member


def test_the_team_creates_the_profile_of_a_library_that_had_none(client, member):
    library = InstitutionFactory()
    file_request(library=library)
    client.force_login(member)
    response = client.post(profile_url(library), {"ils": "sierra", "has_it_support": "true"})
    assert response.status_code == 302
    assert TechnicalProfile.objects.get(institution=library).ils == "sierra"


def test_a_member_of_another_cell_gets_a_404_and_changes_nothing(client, library_asking):
    other = member_of(CellFactory(region="53"), person=UserFactory(username="autre"))
    client.force_login(other)
    assert client.get(profile_url(library_asking)).status_code == 404
    assert client.post(profile_url(library_asking), {"ils": "pmb"}).status_code == 404
    assert TechnicalProfile.objects.get(institution=library_asking).ils == "koha"


def test_a_person_in_no_cell_gets_a_404_and_a_visitor_is_sent_to_login(
    client, outsider, library_asking
):
    assert client.get(profile_url(library_asking)).url.startswith("/connexion/")
    client.force_login(outsider)
    assert client.get(profile_url(library_asking)).status_code == 404


def test_an_operator_edits_any_library(client):
    library = InstitutionFactory()
    client.force_login(UserFactory(username="operateur", is_superuser=True))
    assert client.get(profile_url(library)).status_code == 200
    assert client.get("/espace/bibliotheques/999999/profil-technique/").status_code == 404


def test_the_team_form_refuses_bad_input_and_keeps_the_profile(client, member, library_asking):
    client.force_login(member)
    response = client.post(
        "/en" + profile_url(library_asking), {"ils": "evergreen", "ils_version": "x"}
    )
    assert response.status_code == 400
    assert "is not in the list of ILS" in response.content.decode()
    response = client.post(profile_url(library_asking), {"ils": "koha", "ils_version": "x" * 51})
    assert response.status_code == 400
    assert TechnicalProfile.objects.get(institution=library_asking).ils_version == "22.11"


def test_the_page_runs_a_bounded_number_of_queries(client, member, library_asking):
    for _ in range(5):
        file_request(library=library_asking)
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(profile_url(library_asking)).status_code == 200
    assert len(queries) <= 12


# --- The partial the lead includes in the request page ----------------------------------------


def test_the_partial_shows_the_profile_with_an_edit_link():
    library = known_library_with_profile()
    with translation.override("en"):
        html = render_to_string("institutions/_technical_profile.html", {"institution": library})
    assert "Koha 22.11" in html and "Réseau de Grand Poitiers" in html
    assert "own server" in html and "Last updated on" in html
    assert profile_url(library) in html


def test_the_partial_says_when_there_is_no_profile_yet():
    library = InstitutionFactory()
    with CaptureQueriesContext(connection) as queries, translation.override("en"):
        html = render_to_string("institutions/_technical_profile.html", {"institution": library})
    assert "No technical profile yet" in html
    assert profile_url(library) in html
    assert len(queries) == 1
