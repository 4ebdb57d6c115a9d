"""Suggestions for a request: who could take it, where to refer it, what looked like it."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from g2id.agenda.models import Event
from g2id.requests.models import Party, RequestEvent, Status
from g2id.suggestions.services import suggest
from tests.factories import (
    InstitutionFactory,
    PartnerFactory,
    file_request,
    skilled_member,
)

KOHA_TITLE = "Relances Koha envoyées en double"
KOHA_TEXT = "Depuis la mise à jour de Koha, nos lettres de relance partent deux fois."


def usernames(suggestions) -> list[str]:
    return [member.username for member in suggestions.members]


def codes(suggestions) -> list[str]:
    return [partner.code for partner in suggestions.partners]


def test_members_whose_skills_fit_come_first_with_their_reasons():
    expert = skilled_member("expert", skills={"A1": 3}, keywords="Koha")
    skilled_member("catalogueur", skills={"B1": 3}, keywords="UNIMARC")
    skilled_member("debutant", skills={"A1": 1})
    filed = file_request(title=KOHA_TITLE, description=KOHA_TEXT, domains=("A1",))

    suggestions = suggest(filed)

    assert usernames(suggestions) == ["expert", "debutant"]
    top = suggestions.members[0]
    assert top.name == expert.get_full_name()
    assert any("Koha" in reason for reason in top.reasons)
    assert any("half-days" in reason or "demi-journées" in reason for reason in top.reasons)


def test_a_member_from_the_requesting_library_is_never_suggested():
    library = InstitutionFactory(name="Médiathèque de Brest", city="Brest", postcode="29200")
    skilled_member("voisin", skills={"A1": 1})
    skilled_member("collegue", skills={"A1": 3}, keywords="Koha", home_institution=library)
    filed = file_request(title=KOHA_TITLE, description=KOHA_TEXT, domains=("A1",), library=library)

    assert usernames(suggest(filed)) == ["voisin"]


def test_former_members_are_not_suggested():
    skilled_member(
        "ancien",
        skills={"A1": 3},
        start_date=timezone.localdate() - datetime.timedelta(days=400),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    filed = file_request(title=KOHA_TITLE, description=KOHA_TEXT, domains=("A1",))

    assert suggest(filed).members == []


def test_the_busier_member_comes_after_an_equally_skilled_one():
    busy = skilled_member("occupee", skills={"A1": 3})
    skilled_member("disponible", skills={"A1": 3})
    for number in range(3):
        followed = file_request(title=f"Autre demande {number}", domains=("B1",))
        RequestEvent.objects.create(
            request=followed,
            from_status=Status.SUBMITTED,
            to_status=Status.UNDER_REVIEW,
            actor_party=Party.TEAM,
            actor_user=busy,
        )
    filed = file_request(title=KOHA_TITLE, description=KOHA_TEXT, domains=("A1",))

    suggestions = suggest(filed)

    assert usernames(suggestions) == ["disponible", "occupee"]
    assert any("3" in reason for reason in suggestions.members[1].reasons)


def test_the_member_with_a_full_agenda_comes_after_a_free_one():
    taken = skilled_member("absente", skills={"A1": 3})
    skilled_member("libre", skills={"A1": 3})
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time(0)))
    Event.objects.create(
        person=taken,
        kind=Event.Kind.ABSENCE,
        title="Congés",
        starts_at=start,
        ends_at=start + datetime.timedelta(days=35),
        created_by=taken,
    )
    filed = file_request(title=KOHA_TITLE, description=KOHA_TEXT, domains=("A1",))

    assert usernames(suggest(filed)) == ["libre", "absente"]


def test_partners_serve_the_library_s_region_or_the_whole_country():
    brest = InstitutionFactory(name="Médiathèque de Brest", city="Brest", postcode="29200")
    PartnerFactory(code="koha-bzh", name="Koha Bretagne", region="53", specialities=("A1",))
    PartnerFactory(code="koha-idf", name="Koha Île-de-France", region="11", specialities=("A1",))
    PartnerFactory(code="koha-off", name="Koha d'hier", active=False, specialities=("A1",))
    filed = file_request(title=KOHA_TITLE, description=KOHA_TEXT, domains=("A1",), library=brest)

    suggestions = suggest(filed)

    assert "koha-bzh" in codes(suggestions)
    assert "koha-idf" not in codes(suggestions) and "koha-off" not in codes(suggestions)
    regional = next(p for p in suggestions.partners if p.code == "koha-bzh")
    assert any("Bretagne" in reason for reason in regional.reasons)
    assert {p.region for p in suggestions.partners} <= {"", "53"}


def test_a_partner_naming_the_request_s_system_comes_before_a_generalist():
    filed = file_request(
        title="Requête SQL pour les statistiques de prêt",
        description="Nous cherchons à extraire les prêts par section depuis PMB.",
        domains=("A4",),
        systems="PMB 7",
    )

    assert codes(suggest(filed))[0] == "pmbservices"


def test_similar_requests_share_words_never_include_the_request_and_give_the_outcome():
    old = file_request(
        title="Relances Koha en double après mise à jour",
        description="Les lettres de relance Koha partent deux fois aux lecteurs.",
    )
    old.withdraw()
    file_request(title="Conversion UNIMARC", description="Notices à convertir pour le Sudoc.")
    filed = file_request(title=KOHA_TITLE, description=KOHA_TEXT, domains=("A1",))

    similar = suggest(filed).similar

    assert similar[0].reference == old.reference
    assert filed.reference not in [s.reference for s in similar]
    assert similar[0].outcome == Status.WITHDRAWN
    assert 0 < similar[0].score <= 1


def test_accents_do_not_matter_to_similarity():
    old = file_request(title="Médiathèque : pare-feu et sauvegardes", description="Réseau.")
    filed = file_request(title="Mediatheque : sauvegardes du serveur", description="Pare feu.")

    assert old.reference in [s.reference for s in suggest(filed).similar]


def test_the_index_follows_edits_and_deletions():
    old = file_request(title="Paramétrage des réservations", description="Rien de spécial.")
    filed = file_request(title="Étiquettes RFID illisibles", description="Automates de prêt.")
    assert suggest(filed).similar == []

    old.title = "Étiquettes RFID à réencoder"
    old.save()
    assert [s.reference for s in suggest(filed).similar] == [old.reference]

    old.delete()
    assert suggest(filed).similar == []


def _queries_for(filed) -> int:
    with CaptureQueriesContext(connection) as queries:
        suggest(filed)
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_past_requests():
    skilled_member("expert", skills={"A1": 3}, keywords="Koha")
    skilled_member("seconde", skills={"A1": 2})
    filed = file_request(title=KOHA_TITLE, description=KOHA_TEXT, domains=("A1", "A5"))
    file_request(title="Relances Koha", description="Lettres de relance Koha.")
    few = _queries_for(filed)
    for number in range(30):
        file_request(
            title=f"Relances Koha {number}", description="Lettres de relance Koha en double."
        )
    assert _queries_for(filed) == few <= 16


def test_the_command_prints_the_api_s_json(capsys):
    skilled_member("expert", skills={"A1": 3}, keywords="Koha")
    old = file_request(title="Relances Koha en double", description="Lettres de relance.")
    filed = file_request(title=KOHA_TITLE, description=KOHA_TEXT, domains=("A1",))

    call_command("suggest", filed.reference, "--json")

    answer = json.loads(capsys.readouterr().out)
    assert set(answer) == {"members", "partners", "similar"}
    assert answer["members"][0]["username"] == "expert"
    assert set(answer["members"][0]) == {"username", "name", "score", "reasons"}
    assert set(answer["partners"][0]) == {"code", "name", "score", "reasons"}
    assert answer["similar"][0] == {
        "reference": old.reference,
        "title": old.title,
        "outcome": "submitted",
        "score": answer["similar"][0]["score"],
    }
    assert answer == suggest(filed).as_json()


def test_the_command_prints_a_readable_summary_and_refuses_an_unknown_reference(capsys):
    skilled_member("expert", skills={"A1": 3}, keywords="Koha")
    filed = file_request(title=KOHA_TITLE, description=KOHA_TEXT, domains=("A1",))

    call_command("suggest", filed.reference)
    out = capsys.readouterr().out
    assert filed.reference in out and "expert" in out

    with pytest.raises(CommandError):
        call_command("suggest", "G2ID-1999-9999")


def test_the_panel_lists_members_partners_and_similar_requests_with_links():
    from django.template.loader import render_to_string

    expert = skilled_member("expert", skills={"A1": 3}, keywords="Koha")
    old = file_request(title="Relances Koha en double", description="Lettres de relance.")
    filed = file_request(title=KOHA_TITLE, description=KOHA_TEXT, domains=("A1",))

    html = render_to_string("suggestions/_panel.html", {"suggestions": suggest(filed)})

    assert html.count("<h3") == 3
    assert f'href="/equipe/{expert.slug}/"' in html
    assert f'href="/espace/demandes/{old.reference}/"' in html
    assert 'href="/partenaires/?q=' in html
    assert "Koha" in html


def test_the_panel_says_when_there_is_nothing_to_suggest():
    from django.template.loader import render_to_string

    from g2id.suggestions.services import Suggestions

    html = render_to_string("suggestions/_panel.html", {"suggestions": Suggestions()})
    assert html.count("<h3") == 3 and "<ol" not in html


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite rebuilds tables")
def test_the_sqlite_index_is_repaired_after_a_table_rebuild_dropped_its_triggers():
    from g2id.suggestions import index

    filed = file_request(title="Étiquettes RFID illisibles", description="Automates de prêt.")
    # What Django's table rebuild on SQLite does to triggers; rows written meanwhile are
    # missing from the index until the repair that follows every migrate.
    with connection.cursor() as cursor:
        for name in index.SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    unindexed = file_request(title="Étiquettes RFID à réencoder", description="Platines.")
    assert suggest(filed).similar == []

    index.repair_sqlite_index(connection)

    assert [s.reference for s in suggest(filed).similar] == [unindexed.reference]
    other = file_request(title="Étiquettes RFID neuves", description="Encodage.")
    assert other.reference in [s.reference for s in suggest(filed).similar]
