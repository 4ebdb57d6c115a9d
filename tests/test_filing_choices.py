"""The cells and domains a submission is checked against are kept, and renewed when they change."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2id.requests.choices import filing_choices
from g2id.requests.models import Request
from g2id.taxonomy.models import Domain, DomainFamily
from g2id.team.models import Cell
from tests.api.support import post_json, valid_body
from tests.factories import CellFactory


def test_a_domain_added_is_accepted_by_the_next_submission(client):
    assert post_json(client, valid_body(domains=["A1"])).status_code == 201
    family = DomainFamily.objects.get(code="A")
    Domain.objects.create(code="A99", family=family, label_fr="Nouveau", label_en="New")

    response = post_json(client, valid_body(domains=["A99"], title="Un domaine tout neuf"))

    assert response.status_code == 201
    filed = Request.objects.get(reference=response.json()["reference"])
    assert list(filed.domains.values_list("code", flat=True)) == ["A99"]


def test_a_domain_removed_is_refused_by_the_next_submission(client):
    family = DomainFamily.objects.get(code="A")
    added = Domain.objects.create(code="A98", family=family, label_fr="Passager", label_en="")
    assert "A98" in filing_choices().domains
    added.delete()

    response = post_json(client, valid_body(domains=["A98"]))

    assert response.status_code == 422
    assert "A98" in response.content.decode()
    assert not Request.objects.exists()


def test_a_domain_given_twice_is_linked_once(client):
    response = post_json(client, valid_body(domains=["A5", "A1", "A5"]))

    assert response.status_code == 201
    filed = Request.objects.get()
    assert sorted(filed.domains.values_list("code", flat=True)) == ["A1", "A5"]


def test_a_request_without_a_chosen_cell_goes_to_the_national_one(client):
    CellFactory(region="84", name="Cellule Auvergne-Rhône-Alpes")
    national = Cell.objects.filter(region=Cell.NATIONAL).earliest("pk")

    post_json(client, valid_body())

    assert Request.objects.get().cell == national


def test_a_cell_added_is_offered_by_the_request_form_at_once(client):
    client.get("/demande/")
    CellFactory(name="Cellule des fonds patrimoniaux", slug="cellule-patrimoine")

    assert "Cellule des fonds patrimoniaux" in client.get("/demande/").content.decode()


def test_once_kept_a_submission_reads_no_cell_and_no_domain(client):
    post_json(client, valid_body())  # keeps them
    with CaptureQueriesContext(connection) as queries:
        assert post_json(client, valid_body(title="Une deuxième demande")).status_code == 201

    read = [query["sql"] for query in queries if query["sql"].startswith("SELECT")]
    assert not [sql for sql in read if '"team_cell"' in sql or '"taxonomy_domain"' in sql]
