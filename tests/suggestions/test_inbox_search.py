"""The inbox search on the shared index: words across the text and the library, prefixes."""

from __future__ import annotations

from g2id.requests.models import Request
from g2id.triage.search import search_requests
from tests.factories import InstitutionFactory, file_request


def found(text: str) -> set[str]:
    return set(search_requests(Request.objects.all(), text).values_list("reference", flat=True))


def test_every_word_must_be_found_in_the_text_or_the_library():
    rennes = InstitutionFactory(name="Bibliothèque des Champs Libres", city="Rennes")
    in_rennes = file_request(title="Relances Koha en double", library=rennes)
    in_lyon = file_request(title="Relances Koha en double")
    file_request(title="Conversion UNIMARC", description="Notices à convertir.", library=rennes)

    assert found("relances rennes") == {in_rennes.reference}
    assert found("Koha relances") == {in_rennes.reference, in_lyon.reference}
    assert found("koha unimarc") == set()


def test_a_word_finds_the_words_it_starts():
    wanted = file_request(title="Paramétrer les réservations", description="Files d'attente.")
    assert found("réserv") == {wanted.reference}


def test_the_reference_is_found_whatever_its_case():
    wanted, _other = file_request(), file_request()
    assert wanted.reference in found(wanted.reference.lower())
