"""The team's API: opinions, decisions and suggestions, with a member's personal token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from g2id.accounts.models import ApiToken, User
from g2id.directory.models import Partner
from g2id.positioning.models import Decision, Opinion
from g2id.positioning.services import declare_recusal
from g2id.requests.models import Request, Status
from g2id.team.models import Cell, Membership
from tests.api.support import assert_error_shape, error_fields
from tests.factories import CellFactory, InstitutionFactory, UserFactory, file_request, member_of


@pytest.fixture
def cell(db) -> Cell:
    """A cell of five: a coordinator and four members."""
    cell = CellFactory(name="Cellule SIGB", slug="cellule-sigb", contact_email="sigb@g2id.fr")
    member_of(cell, person=UserFactory(username="coord"), role=Membership.Role.COORDINATOR)
    for name in ("anne", "bruno", "chloe", "denis"):
        member_of(cell, person=UserFactory(username=name))
    return cell


@pytest.fixture
def under_review(cell) -> Request:
    filed = file_request(cell=cell)
    filed.take_into_review(by=UserFactory(username="coord"))
    return filed


def token_of(username: str) -> str:
    return ApiToken.issue(UserFactory(username=username), "tests")[1]


def call(
    client, method: str, url: str, username: str | None = "anne", body: Any = None, **headers: Any
) -> Any:
    if username is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token_of(username)}"
    if body is None:
        return getattr(client, method)(url, **headers)
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return getattr(client, method)(url, data=data, content_type="application/json", **headers)


def opinions_url(request: Request) -> str:
    return f"/api/v1/requests/{request.reference}/opinions"


def decisions_url(request: Request) -> str:
    return f"/api/v1/requests/{request.reference}/decisions"


def give(client, request: Request, username: str, **body: Any) -> Any:
    return call(client, "post", opinions_url(request), username, body)


# --- Opinions ---------------------------------------------------------------------------------


def test_a_member_gives_then_revises_an_opinion_and_reads_the_group(client, under_review):
    first = give(client, under_review, "anne", stance="take", role="lead", comment="Je connais")
    revised = give(client, under_review, "anne", stance="refer", partners=["abes", "drac"])

    assert first.status_code == 201, first.content
    assert first.json()["stance"] == "take" and first.json()["role"] == "lead"
    assert revised.status_code == 200, revised.content
    assert revised.json()["revisions"] == 1
    assert revised.json()["partners"] == ["abes", "drac"]
    assert revised.json()["role"] == ""
    opinion = Opinion.objects.get(request=under_review)
    assert {p.region for p in opinion.partners.all()} == {"", under_review.institution.region}

    group = call(client, "get", opinions_url(under_review), "bruno").json()
    assert [(o["member"], o["stance"], o["invited"]) for o in group["opinions"]] == [
        ("anne", "refer", False)
    ]
    assert group["quorum"] == {"voters": 5, "given": 1, "needed": 3, "reached": False}
    assert set(group["waiting_for"]) == {"coord", "bruno", "chloe", "denis"}
    assert group["recusals"] == []


def test_recusals_declared_or_from_the_home_institution_are_listed(client, cell):
    home = InstitutionFactory(name="Médiathèque de Vienne", city="Vienne", postcode="38200")
    Membership.objects.filter(cell=cell, person__username="bruno").update(home_institution=home)
    filed = file_request(cell=cell, library=home)
    filed.take_into_review(by=UserFactory(username="coord"))
    declare_recusal(filed, member=UserFactory(username="chloe"), reason="Ancienne collègue")

    group = call(client, "get", opinions_url(filed)).json()

    by_member = {r["member"]: r for r in group["recusals"]}
    assert set(by_member) == {"bruno", "chloe"}
    assert by_member["chloe"]["declared"] and by_member["chloe"]["reason"] == "Ancienne collègue"
    assert not by_member["bruno"]["declared"] and by_member["bruno"]["reason"]
    assert group["quorum"]["voters"] == 3
    refused = give(client, filed, "bruno", stance="abstain")
    assert assert_error_shape(refused, 400)["errors"] == []


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"stance": "maybe"}, 400, "stance"),
        ({"stance": "take"}, 400, "role"),
        ({"stance": "take", "role": "boss"}, 400, "role"),
        ({"stance": "refer"}, 400, "partners"),
        ({"stance": "refer", "partners": ["nobody"]}, 422, "partners.0"),
        ({"stance": "refer", "partners": ["abes", "idf-only"]}, 422, "partners.1"),
        ({"stance": 5}, 422, "stance"),
        ({"stance": None}, 422, "stance"),
        ({}, 422, "stance"),
        ({"stance": "refer", "partners": "abes"}, 422, "partners"),
        ({"stance": "refer", "partners": [1]}, 422, "partners.0"),
        ({"stance": "abstain", "comment": ["x"]}, 422, "comment"),
        ({"stance": "abstain", "comment": "Koha\x00"}, 422, "comment"),
        ({"stance": "refer", "partners": ["abes\x00"]}, 422, "partners.0"),
        ([], 422, ""),
        ("null", 422, ""),
        ("{not json", 400, ""),
        (b"\xff\xfe", 400, ""),
    ],
)
def test_bad_opinions_are_refused_in_the_error_shape(client, under_review, body, status, field):
    Partner.objects.create(
        code="idf-only",
        name="Réseau francilien",
        kind="association",
        region="11",
        when_to_refer="-",
    )

    response = call(client, "post", opinions_url(under_review), "anne", body)

    body = assert_error_shape(response, status)

    assert field in error_fields(body)
    assert not Opinion.objects.exists()


def test_opinions_close_with_the_decision_409(client, under_review):
    for name in ("coord", "anne", "bruno"):
        assert give(client, under_review, name, stance="decline").status_code == 201

    decided = call(
        client, "post", decisions_url(under_review), "coord",
        {"outcome": "declined", "rationale": "Hors du champ de la cellule."},
    )  # fmt: skip
    late = give(client, under_review, "chloe", stance="abstain")
    again = call(
        client, "post", decisions_url(under_review), "coord",
        {"outcome": "declined", "rationale": "Encore."},
    )  # fmt: skip

    assert decided.status_code == 201, decided.content
    assert_error_shape(late, 409)
    assert_error_shape(again, 409)
    assert Decision.objects.count() == 1


# --- Decisions --------------------------------------------------------------------------------


def test_the_coordinator_refers_the_library_and_everyone_reads_the_decision(client, under_review):
    for name in ("anne", "bruno", "chloe"):
        give(client, under_review, name, stance="refer", partners=["abes"])

    response = call(
        client, "post", decisions_url(under_review), "coord",
        {
            "outcome": "referred",
            "rationale": "L'Abes est la bonne porte.",
            "partners": ["abes", "bnf-abn"],
            "message": "Écrivez au guichet Sudoc.",
        },
    )  # fmt: skip

    assert response.status_code == 201, response.content
    decision = response.json()
    assert decision["outcome"] == "referred" and decision["quorum_reached"]
    assert decision["partners"] == ["abes", "bnf-abn"]
    assert decision["decided_by"] == "coord"
    under_review.refresh_from_db()
    assert under_review.status == Status.REFERRED
    listed = call(client, "get", decisions_url(under_review), "denis")
    assert listed.status_code == 200
    assert listed.json() == [decision]


def test_only_a_coordinator_decides_403(client, under_review):
    response = call(
        client, "post", decisions_url(under_review), "anne",
        {"outcome": "declined", "rationale": "Non.", "override_reason": "Urgent"},
    )  # fmt: skip

    assert_error_shape(response, 403)
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"outcome": "declined", "rationale": "Non."}, 400, "override_reason"),
        ({"outcome": "declined", "rationale": "  "}, 400, "rationale"),
        ({"outcome": "maybe", "rationale": "Non."}, 400, "outcome"),
        ({"outcome": "referred", "rationale": "Ailleurs.", "message": "Voir"}, 400, "partners"),
        (
            {"outcome": "referred", "rationale": "x", "message": "y", "partners": ["zz"]},
            422,
            "partners.0",
        ),
        ({"outcome": "declined"}, 422, "rationale"),
        ({"outcome": "declined", "rationale": 3}, 422, "rationale"),
        ({"outcome": "declined", "rationale": "Non\x00"}, 422, "rationale"),
        ("[1, 2", 400, ""),
    ],
)
def test_bad_decisions_are_refused_in_the_error_shape(client, under_review, body, status, field):
    response = call(client, "post", decisions_url(under_review), "coord", body)

    assert field in error_fields(assert_error_shape(response, status))
    assert not Decision.objects.exists()


# --- Visibility and authentication ------------------------------------------------------------


def test_a_member_of_another_cell_sees_nothing_404(client, under_review):
    member_of(person=UserFactory(username="ailleurs"))  # the national cell
    urls = [opinions_url(under_review), decisions_url(under_review)]
    urls.append(f"/api/v1/requests/{under_review.reference}/suggestions")

    for url in urls:
        assert_error_shape(call(client, "get", url, "ailleurs"), 404)
    posted = give(client, under_review, "ailleurs", stance="abstain")
    decided = call(
        client, "post", decisions_url(under_review), "ailleurs",
        {"outcome": "declined", "rationale": "x", "override_reason": "y"},
    )  # fmt: skip

    assert_error_shape(posted, 404)
    assert_error_shape(decided, 404)
    assert_error_shape(call(client, "get", "/api/v1/requests/G2ID-1999-0001/opinions"), 404)
    assert_error_shape(call(client, "get", "/api/v1/requests/G2ID%00/opinions"), 404)
    assert not Opinion.objects.exists() and not Decision.objects.exists()


def test_no_token_a_wrong_or_a_revoked_token_is_401(client, under_review):
    url = opinions_url(under_review)
    anne = UserFactory(username="anne")
    revoked, revoked_clear = ApiToken.issue(anne, "old")
    revoked.revoke()
    _, inactive_clear = ApiToken.issue(UserFactory(username="bruno"), "script")
    User.objects.filter(username="bruno").update(is_active=False)
    _, valid = ApiToken.issue(anne, "new")

    for authorization in [
        None,
        "",
        "Bearer",
        "Bearer ",
        f"Bearer {revoked_clear}",
        f"Bearer {inactive_clear}",
        f"Bearer {valid[:-1]}x",
        f"Bearer {valid}{'a' * 300}",
        "Bearer g2id_",
        f"Basic {valid}",
        "Bearer é",
        "Bearer g2id_0000\x00000abc",
    ]:
        headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}
        assert_error_shape(client.get(url, **headers), 401)
        assert_error_shape(call(client, "post", url, None, {"stance": "abstain"}, **headers), 401)
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {valid}").status_code == 200


def test_a_wrong_method_answers_405_in_the_error_shape(client, under_review):
    response = call(client, "delete", opinions_url(under_review))
    suggestions = call(client, "post", f"/api/v1/requests/{under_review.reference}/suggestions")

    assert assert_error_shape(response, 405) and response["Allow"] == "GET, POST"
    assert assert_error_shape(suggestions, 405) and suggestions["Allow"] == "GET"


def test_errors_answer_in_the_callers_language(client, under_review):
    url = opinions_url(under_review)
    english = call(client, "post", url, "anne", {"stance": "take"}, HTTP_ACCEPT_LANGUAGE="en")
    french = call(client, "post", url, "anne", {"stance": "take"})

    assert "role" in assert_error_shape(english, 400)["detail"]
    assert english["Content-Language"] == "en"
    assert assert_error_shape(french, 400)["detail"] != english.json()["detail"]


# --- Suggestions and schema -------------------------------------------------------------------


def test_suggestions_come_in_the_shared_json_shape(client, under_review):
    response = call(client, "get", f"/api/v1/requests/{under_review.reference}/suggestions")

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"members", "partners", "similar"}
    for member in body["members"]:
        assert set(member) == {"username", "name", "score", "reasons"}
    for partner in body["partners"]:
        assert set(partner) == {"code", "name", "score", "reasons"}


def test_the_team_operations_are_in_a_valid_schema_with_bearer_auth(client):
    schema = client.get("/api/v1/openapi.json").json()

    validate(schema)
    assert schema["components"]["securitySchemes"]["MemberToken"]["scheme"] == "bearer"
    post = schema["paths"]["/api/v1/requests/{reference}/opinions"]["post"]
    assert post["security"] == [{"MemberToken": []}]
    assert {"200", "201", "400", "401", "404", "409", "422"} <= set(post["responses"])
    decide = schema["paths"]["/api/v1/requests/{reference}/decisions"]["post"]
    assert {"201", "403", "409"} <= set(decide["responses"])
    assert "security" not in schema["paths"]["/api/v1/requests"]["post"]


def test_reading_the_opinions_takes_a_bounded_number_of_queries(
    client, under_review, django_assert_max_num_queries
):
    for name in ("anne", "bruno", "chloe", "denis"):
        give(client, under_review, name, stance="refer", partners=["abes", "drac"])
    token = token_of("coord")

    with django_assert_max_num_queries(12):
        response = client.get(opinions_url(under_review), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert len(response.json()["opinions"]) == 4


def test_the_suggestions_kept_for_one_member_are_never_given_to_another(client, under_review):
    url = f"/api/v1/requests/{under_review.reference}/suggestions"
    member_of(person=UserFactory(username="ailleurs"))  # the national cell
    assert call(client, "get", url, "anne").status_code == 200
    assert call(client, "get", url, "anne").status_code == 200  # kept for anne

    assert_error_shape(call(client, "get", url, "ailleurs"), 404)


def test_a_member_who_leaves_the_cell_no_longer_gets_its_kept_suggestions(client, under_review):
    url = f"/api/v1/requests/{under_review.reference}/suggestions"
    assert call(client, "get", url, "bruno").status_code == 200

    Membership.objects.get(person__username="bruno").delete()

    assert_error_shape(call(client, "get", url, "bruno"), 404)


def test_kept_suggestions_cost_only_the_token_check(client, under_review):
    url = f"/api/v1/requests/{under_review.reference}/suggestions"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_of('anne')}"}
    first = client.get(url, **headers)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, **headers)

    assert again.json() == first.json()
    # The token (its use was recorded by the first call), then the kept answer: a read of
    # its version inside the test's transaction.
    assert len(queries) == 2
