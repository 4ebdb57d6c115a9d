"""Query budgets of the public pages and the API: the same count with 1 and with 30 rows.

Each test measures a page with one related row, adds 29 more, measures again: the count
must not move (no N+1) and stays within the page's budget. The cached public pages are
measured on a miss (the first visit after a change renders the page and stores it) and
on a hit (one cache read). Pages already held to a budget elsewhere (the partner
directory, the calendar feeds, the team page with five members) are not repeated here.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from g2id.public.cache import PUBLIC_PAGES, recent_copies
from g2id.requests.models import Party, Request
from g2id.requests.services import post_message
from g2id.taxonomy.models import Domain, DomainFamily
from g2id.team.models import Skill
from tests.factories import CellFactory, InstitutionFactory, file_request, member_of

MANY = 30
# Every POST in these tests counts one use against the submission rate limit: one upsert of
# its counter (in the request's transaction or in its own).
RATE_LIMIT = 1


def count(send: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = send()
    assert getattr(response, "status_code", 0) < 400, response
    return len(queries)


def get(client: Client, address: str) -> Callable[[], object]:
    return lambda: client.get(address)


def assert_budget(few: int, many: int, budget: int) -> None:
    assert many == few, f"{few} queries with one row, {many} with {MANY}"
    assert few <= budget, f"{few} queries, budget {budget}"


def cached_page_misses(
    client: Client, address: str, add_rows: Callable[[], None]
) -> tuple[int, int]:
    """A cached public page's queries on a miss with one row and with many; a hit is one read."""
    PUBLIC_PAGES.renew()  # as after any change: the version exists, the page does not
    few = count(get(client, address))
    assert count(get(client, address)) == 1
    add_rows()  # a change: the next visit renders the page again
    recent_copies.clear()  # as in a process that never held the page (else one read more)
    many = count(get(client, address))
    assert count(get(client, address)) == 1
    return few, many


def test_home(client):
    few, many = cached_page_misses(client, "/", lambda: [CellFactory() for _ in range(MANY - 1)])
    assert many == few <= 1 + 6


def test_vade_mecum(client):
    few, many = cached_page_misses(
        client, "/vade-mecum/", lambda: [CellFactory() for _ in range(MANY - 1)]
    )
    assert many == few <= 1 + 6


def give_skills(person, number: int) -> None:
    have = Skill.objects.filter(person=person).values("domain")
    domains = Domain.objects.exclude(pk__in=have).order_by("code")[:number]
    Skill.objects.bulk_create(Skill(person=person, domain=domain, level=2) for domain in domains)


def test_team_page_with_skills(client):
    person = member_of()
    give_skills(person, 1)

    def more() -> None:
        give_skills(person, MANY - 1)
        person.save()  # bulk inserts send no signal: say that the profile changed

    few, many = cached_page_misses(client, "/equipe/", more)
    assert many == few <= 12


def test_member_profile(client):
    person = member_of()
    give_skills(person, 1)

    def more() -> None:
        give_skills(person, MANY - 1)
        person.save()

    few, many = cached_page_misses(client, f"/equipe/{person.slug}/", more)
    assert many == few <= 14


def test_request_form_page(client):
    CellFactory()  # two cells: the form offers the choice
    PUBLIC_PAGES.renew()
    few = count(get(client, "/demande/"))
    [CellFactory() for _ in range(MANY - 1)]
    recent_copies.clear()  # as in a process that never held the page (else one read more)
    many = count(get(client, "/demande/"))
    # A miss renders the page and, after a change to a cell, reads the cells and the domains
    # again and keeps them for the submissions (filing_choices): six of these queries.
    assert_budget(few, many, budget=16)
    # Every later visitor: the shared copy and whether to offer the cell choice.
    assert count(get(Client(), "/demande/")) <= 2


def form_data(codes: list[str]) -> dict:
    return {
        "library_name": "Médiathèque Louise-Michel",
        "library_postcode": "69003",
        "library_city": "Lyon",
        "contact_name": "Camille Martin",
        "contact_email": "camille@mediatheque.example.fr",
        "title": "Paramétrer les relances",
        "description": "Les relances partent en double.",
        "kind": "advice",
        "domains": codes,
        "consent": "on",
    }


def codes(number: int) -> list[str]:
    return list(Domain.objects.order_by("code").values_list("code", flat=True)[:number])


def test_request_form_post(client):
    client.post("/demande/", form_data(codes(1)))  # the rate limit's counter exists
    few = count(lambda: client.post("/demande/", form_data(codes(1))))
    many = count(lambda: client.post("/demande/", form_data(codes(MANY))))
    # The test's own read of the codes; before the transaction, the cells, the domains and
    # the library; in one write transaction (a savepoint in a test, BEGIN/COMMIT in
    # production): the rate limit's count, the reference, the request, its domains (one
    # INSERT; the request's INSERT starts its positioning clock), its history, its
    # announcement task, and the team pages' new version (the database cache's savepoint,
    # count, read and update: 5).
    assert_budget(few, many, budget=1 + 3 + RATE_LIMIT + 8 + 5)
    assert Request.objects.count() == 3


def api_payload(codes: list[str]) -> str:
    return json.dumps(
        {
            "library": {"name": "Médiathèque Louise-Michel", "city": "Lyon", "postcode": "69003"},
            "contact": {"name": "Camille Martin", "email": "camille@mediatheque.example.fr"},
            "title": "Paramétrer les relances",
            "description": "Les relances partent en double.",
            "kind": "advice",
            "domains": codes,
            "consent": True,
        }
    )


def test_api_post(client):
    def send(number: int) -> Callable[[], object]:
        return lambda: client.post(
            "/api/v1/requests", api_payload(codes(number)), content_type="application/json"
        )

    send(1)()  # the rate limit's counter exists
    few = count(send(1))
    many = count(send(MANY))
    # As the form (above), with the default cell read instead of the cells offered.
    assert_budget(few, many, budget=1 + 3 + RATE_LIMIT + 7 + 5)


def converse(filed: Request, number: int) -> None:
    for index in range(number):
        post_message(request=filed, body=f"Message {index}", party=Party.LIBRARY)


def test_tracking_page_and_api(client, rendered_every_time):
    filed = file_request()
    converse(filed, 1)
    page, api = f"/suivi/{filed.tracking_token}/", f"/api/v1/track/{filed.tracking_token}"
    few = [count(get(client, page)), count(get(client, api))]
    converse(filed, MANY - 1)
    many = [count(get(client, page)), count(get(client, api))]
    assert_budget(few[0], many[0], budget=8)
    assert_budget(few[1], many[1], budget=6)


def test_api_domains(client):
    few = count(get(client, "/api/v1/domains"))
    family = DomainFamily.objects.first()
    Domain.objects.bulk_create(
        Domain(code=f"Z{n}", family=family, label_fr=f"Domaine {n}", label_en=f"Domain {n}")
        for n in range(MANY - 1)
    )
    assert_budget(few, count(get(client, "/api/v1/domains")), budget=1)


def test_library_search(client):
    InstitutionFactory(name="Médiathèque de Vaise")
    address = "/demande/bibliotheques/?q=M%C3%A9diath%C3%A8que"
    few = count(get(client, address))
    [InstitutionFactory() for _ in range(MANY - 1)]
    assert_budget(few, count(get(client, address)), budget=1)


def test_lost_link(client):
    email = "agnes@mediatheque.example.fr"
    file_request(email=email)
    client.post("/suivi/lien-perdu/", {"email": "autre@mediatheque.example.fr"})
    few = count(lambda: client.post("/suivi/lien-perdu/", {"email": email}))
    for _ in range(MANY - 1):
        file_request(email=email)
    many = count(lambda: client.post("/suivi/lien-perdu/", {"email": email}))
    assert_budget(few, many, budget=RATE_LIMIT + 4)


def test_submitted_page(client):
    client.post("/demande/", form_data(codes(1)))
    few = count(get(client, "/demande/envoyee/"))
    client.post("/demande/", form_data(codes(MANY)))
    assert_budget(few, count(get(client, "/demande/envoyee/")), budget=4)


def test_login_page(client):
    few = count(get(client, "/connexion/"))
    [member_of() for _ in range(MANY - 1)]
    assert_budget(few, count(get(client, "/connexion/")), budget=0)
