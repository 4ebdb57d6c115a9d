"""The team keeps the directory up to date with CSV files: import, export, and back again."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from g2id.directory.models import Partner

HEADER = "code,name,kind,specialities,scope,website,when_to_refer_fr\n"


def write(tmp_path: Path, body: str, header: str = HEADER) -> str:
    path = tmp_path / "partners.csv"
    path.write_text(header + body, encoding="utf-8")
    return str(path)


def import_file(path: str) -> str:
    out = io.StringIO()
    call_command("import_partners", path, stdout=out)
    return out.getvalue()


def export() -> str:
    out = io.StringIO()
    call_command("export_partners", stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return [
        (p.code, p.region, p.name, p.kind, p.website, p.when_to_refer, p.contact, p.notes, p.active,
         tuple(d.code for d in p.specialities.order_by("code")))
        for p in Partner.objects.order_by("code", "region")
    ]  # fmt: skip


def test_it_creates_a_new_national_partner(tmp_path):
    path = write(tmp_path, "lab-koha,Lab Koha,community,A1|A4,national,https://koha.example,Koha\n")
    assert import_file(path) == "1 created, 0 updated, 0 unchanged.\n"
    lab = Partner.objects.get(code="lab-koha")
    assert lab.is_national
    assert lab.kind == Partner.Kind.COMMUNITY
    assert sorted(lab.specialities.values_list("code", flat=True)) == ["A1", "A4"]


def test_a_regional_row_is_created_in_every_region(tmp_path):
    path = write(tmp_path, "reseau,Réseau régional,association,K1,regional,,Coopération\n")
    import_file(path)
    assert Partner.objects.filter(code="reseau").count() == 18
    assert Partner.objects.get(code="reseau", region="94").name == "Réseau régional (Corse)"


def test_it_updates_an_existing_partner_and_keeps_what_the_file_does_not_hold(tmp_path):
    abes = Partner.objects.get(code="abes")
    abes.notes = "Interlocutrice : Mme Martin"
    abes.contact = "assistance@abes.fr"
    abes.save()
    path = write(tmp_path, "abes,Abes,public,B2,national,https://abes.fr,Sudoc et IdRef\n")
    assert import_file(path) == "0 created, 1 updated, 0 unchanged.\n"
    abes.refresh_from_db()
    assert (abes.name, abes.when_to_refer) == ("Abes", "Sudoc et IdRef")
    assert list(abes.specialities.values_list("code", flat=True)) == ["B2"]
    assert (abes.notes, abes.contact) == ("Interlocutrice : Mme Martin", "assistance@abes.fr")


def test_importing_the_reference_file_again_changes_nothing():
    before = snapshot()
    out = import_file("g2id/directory/data/partners.csv")
    assert out == f"0 created, 0 updated, {Partner.objects.count()} unchanged.\n"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x,X,public,A1|Z9,national,,Quand\n", "Line 3: unknown domain code(s) Z9."),
        ("x,X,ministry,A1,national,,Quand\n", "Line 3: unknown kind 'ministry'"),
        ("x,X,public,A1,europe,,Quand\n", "Line 3: unknown scope 'europe'"),
        ("x,X,public,A1,national,pas-une-url,Quand\n", "Line 3: website 'pas-une-url'"),
        ("x y,X,public,A1,national,,Quand\n", "Line 3: code 'x y' must be"),
        ("x,,public,A1,national,,\n", "Line 3: the name is empty; when_to_refer_fr is empty."),
        ("ok,Déjà vu,public,A1,national,,Quand\n", "Line 3: ok (national) is already on line 2."),
    ],
)
def test_a_bad_row_is_refused_with_its_line_and_nothing_is_imported(tmp_path, row, message):
    before = snapshot()
    path = write(tmp_path, "ok,Structure correcte,public,A1,national,,Quand\n" + row)
    with pytest.raises(CommandError) as refusal:
        import_file(path)
    assert "Nothing was imported" in str(refusal.value)
    assert message in str(refusal.value)
    assert snapshot() == before


def test_every_bad_line_is_reported_at_once(tmp_path):
    path = write(
        tmp_path,
        "a,A,public,Z1,national,,Quand\nb,B,public,A1,national,,Quand\nc,C,nope,A1,national,,Q\n",
    )
    with pytest.raises(CommandError) as refusal:
        import_file(path)
    assert "Line 2: unknown domain code(s) Z1." in str(refusal.value)
    assert "Line 4: unknown kind 'nope'" in str(refusal.value)
    assert not Partner.objects.filter(code__in=["a", "b", "c"]).exists()


def test_a_file_without_the_expected_columns_is_refused(tmp_path):
    path = write(tmp_path, "abes,Abes\n", header="code,name\n")
    with pytest.raises(CommandError, match="Line 1: missing column"):
        import_file(path)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        import_file(str(tmp_path / "absent.csv"))


def test_the_export_lists_every_partner_with_its_region():
    lines = export().splitlines()
    assert lines[0] == "code,name,kind,specialities,scope,region,website,when_to_refer_fr"
    assert len(lines) == 1 + Partner.objects.count()
    assert any(
        line.startswith("drac,DRAC — Conseiller livre et lecture (Bretagne),") for line in lines
    )
    assert "regional,53," in next(line for line in lines if "(Bretagne)" in line and "drac" in line)


def test_exporting_then_importing_changes_nothing(tmp_path):
    Partner.objects.filter(code="drac", region="53").update(name="DRAC Bretagne, service livre")
    before = snapshot()
    path = tmp_path / "export.csv"
    path.write_text(export(), encoding="utf-8")
    out = import_file(str(path))
    assert out == f"0 created, 0 updated, {Partner.objects.count()} unchanged.\n"
    assert snapshot() == before


def test_a_regional_row_with_a_region_updates_only_that_region(tmp_path):
    header = "code,name,kind,specialities,scope,region,website,when_to_refer_fr\n"
    path = write(tmp_path, "drac,DRAC Corse,public,K1,regional,94,,Livre\n", header=header)
    assert import_file(path) == "0 created, 1 updated, 0 unchanged.\n"
    assert Partner.objects.get(code="drac", region="94").name == "DRAC Corse"
    assert Partner.objects.get(code="drac", region="53").name.endswith("(Bretagne)")


def test_a_national_row_with_a_region_is_refused(tmp_path):
    header = "code,name,kind,specialities,scope,region,website,when_to_refer_fr\n"
    path = write(tmp_path, "x,X,public,A1,national,53,,Quand\n", header=header)
    with pytest.raises(CommandError, match="Line 2: a national structure has no region"):
        import_file(path)
