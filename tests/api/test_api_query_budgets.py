"""Query budgets of the team's API and of the API's fixed documents: 1 row or 30, same count.

The requests, tracking and domains endpoints are held in tests/test_query_budgets.py.
"""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from g2id.accounts.models import ApiToken, User
from g2id.directory.models import Partner
from g2id.positioning.models import Outcome, Stance
from g2id.positioning.services import decide, give_opinion
from g2id.requests.models import Request
from g2id.team.models import Cell
from tests.factories import (
    PartnerFactory,
    cell_of_five,
    file_request,
    member_of,
    skilled_member,
    under_review,
)
from tests.test_query_budgets import MANY, assert_budget, count, get


def person(username: str) -> User:
    return User.objects.get(username=username)


def with_token(client: Client, username: str, address: str) -> Callable[[], object]:
    """A read with the member's token, used once already (its last use is then up to date)."""
    token = ApiToken.issue(person(username), "tests")[1]
    client.get(address, HTTP_AUTHORIZATION=f"Bearer {token}")
    return lambda: client.get(address, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_reading_the_opinions_costs_the_same_with_one_opinion_or_thirty(client):
    cell = cell_of_five()
    filed = under_review(cell)
    Cell.objects.filter(pk=cell.pk).update(member_cap=2 * MANY)
    partners = list(Partner.objects.filter(region="").order_by("code")[:2])
    give_opinion(filed, by=person("anne"), stance=Stance.REFER, partners=partners)
    read = with_token(client, "coord", f"/api/v1/requests/{filed.reference}/opinions")
    few = count(read)
    for name in ("bruno", "chloe", "denis"):
        give_opinion(filed, by=person(name), stance=Stance.REFER, partners=partners)
    for _ in range(MANY - 4):
        give_opinion(filed, by=member_of(cell), stance=Stance.ABSTAIN, comment="Pas mon domaine.")
    many = count(read)
    assert_budget(few, many, budget=6)


def referred(cell: Cell, partners: list[Partner]) -> Request:
    filed = under_review(cell)
    decide(
        filed,
        outcome=Outcome.REFERRED,
        by=person("coord"),
        rationale="Le RCR est attribué par l'Abes.",
        override_reason="Évident.",
        partners=partners,
        message="Écrivez au guichet de l'Abes.",
    )
    return filed


def test_reading_the_decisions_costs_the_same_with_one_partner_named_or_thirty(client):
    cell = cell_of_five()
    one = referred(cell, [PartnerFactory()])
    thirty = referred(cell, [PartnerFactory() for _ in range(MANY)])
    few = count(with_token(client, "anne", f"/api/v1/requests/{one.reference}/decisions"))
    many = count(with_token(client, "anne", f"/api/v1/requests/{thirty.reference}/decisions"))
    assert_budget(few, many, budget=4)


def test_the_suggestions_cost_the_same_with_one_member_and_past_request_or_thirty(
    client, rendered_every_time
):
    cell = cell_of_five()
    Cell.objects.filter(pk=cell.pk).update(member_cap=2 * MANY)
    skilled_member("expert0", skills={"A1": 3}, keywords="Koha", cell=cell)
    file_request(cell=cell, title="Relances Koha", description="Lettres de relance Koha.")
    filed = under_review(cell, title="Relances Koha en double", domains=("A1", "A5"))
    PartnerFactory(specialities=("A1",))
    read = with_token(client, "anne", f"/api/v1/requests/{filed.reference}/suggestions")
    few = count(read)
    for number in range(1, MANY):
        skilled_member(f"expert{number}", skills={"A1": 2, "A5": 1}, keywords="Koha", cell=cell)
        file_request(cell=cell, title=f"Relances Koha {number}", description="Relances Koha.")
        PartnerFactory(specialities=("A1", "A5"))
    many = count(read)
    assert_budget(few, many, budget=12)


def test_the_api_s_fixed_documents_cost_the_same_whatever_the_data(client):
    addresses = ["/api/v1/openapi.json", "/api/v1/docs", "/healthz"]
    file_request()
    few = [count(get(client, address)) for address in addresses]
    for number in range(1, MANY):
        file_request(title=f"Demande {number}")
    many = [count(get(client, address)) for address in addresses]
    # The schema and its documentation page read nothing; the health check reads the queue.
    for one, thirty, budget in zip(few, many, [0, 0, 4], strict=True):
        assert_budget(one, thirty, budget)
