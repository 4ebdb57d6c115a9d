"""The API describes itself: a valid OpenAPI 3 schema and docs served from our own files."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.conf import settings
from django.contrib.staticfiles import finders
from openapi_spec_validator import validate

from g2id.taxonomy.models import Domain

PATHS = {
    "/api/v1/requests": {"post"},
    "/api/v1/track/{token}": {"get"},
    "/api/v1/domains": {"get"},
    # The team's operations, with a member's token (tests/api/test_positioning_api.py).
    "/api/v1/requests/{reference}/opinions": {"get", "post"},
    "/api/v1/requests/{reference}/decisions": {"get", "post"},
    "/api/v1/requests/{reference}/suggestions": {"get"},
}


class AssetCollector(HTMLParser):
    """Every address a page loads by itself: scripts, stylesheets, icons, images, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in {"script", "img", "iframe"} and attributes.get("src"):
            self.assets.append(attributes["src"] or "")
        if tag == "link" and attributes.get("href"):
            self.assets.append(attributes["href"] or "")


def test_the_openapi_schema_is_valid_openapi_3(client):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)  # raises on any violation of the OpenAPI specification


def test_the_schema_lists_exactly_the_public_and_team_operations(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert {path: set(operations) for path, operations in schema["paths"].items()} == PATHS


def test_the_schema_documents_the_error_shape_and_the_idempotency_key(client):
    schema = client.get("/api/v1/openapi.json").json()

    create = schema["paths"]["/api/v1/requests"]["post"]
    assert {"200", "201", "400", "422", "429"} <= set(create["responses"])
    error_ref = create["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    error_schema = schema["components"]["schemas"][error_ref.rsplit("/", 1)[-1]]
    assert set(error_schema["properties"]) == {"detail", "errors"}
    assert [(p["in"], p["name"]) for p in create["parameters"]] == [("header", "Idempotency-Key")]
    track_responses = schema["paths"]["/api/v1/track/{token}"]["get"]["responses"]
    assert {"200", "404"} <= set(track_responses)


def test_the_schema_says_consent_is_a_boolean_and_domains_a_list_of_codes(client):
    schema = client.get("/api/v1/openapi.json").json()

    body = schema["paths"]["/api/v1/requests"]["post"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    request_in = schema["components"]["schemas"][ref]
    assert request_in["properties"]["consent"]["type"] == "boolean"
    assert request_in["properties"]["domains"]["type"] == "array"
    assert set(request_in["required"]) >= {
        "library",
        "contact",
        "title",
        "description",
        "kind",
        "domains",
        "consent",
    }


def test_the_interactive_docs_load_only_our_own_static_files(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    collector = AssetCollector()
    collector.feed(html)
    assert any(asset.endswith(".js") for asset in collector.assets)
    assert any(asset.endswith(".css") for asset in collector.assets)
    for asset in collector.assets:
        assert asset.startswith(settings.STATIC_URL), asset
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), f"{asset} is not ours"
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "/api/v1/openapi.json" in html


def test_the_domains_endpoint_lists_the_43_domain_codes(client):
    response = client.get("/api/v1/domains")

    assert response.status_code == 200
    domains = response.json()
    codes = [domain["code"] for domain in domains]
    assert len(codes) == 43
    assert len(set(codes)) == 43
    assert set(codes) == set(Domain.objects.values_list("code", flat=True))
    assert "A1" in codes
    a1 = next(domain for domain in domains if domain["code"] == "A1")
    assert a1 == {
        "code": "A1",
        "family": "A",
        "label_fr": "Paramétrage circulation (règles de prêt, réservations, relances)",
        "label_en": "Circulation settings (loan rules, holds, overdue notices)",
    }
