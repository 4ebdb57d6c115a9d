"""The directory starts with the 38 structures of the reference data, regional ones per region."""

from __future__ import annotations

from g2id.directory.models import Partner
from g2id.lib.geography import region_choices

REGIONAL = {"drac", "crfcb", "bd", "srl", "opsn"}


def test_it_seeds_the_38_structures_of_the_reference_data():
    assert Partner.objects.values("code").distinct().count() == 38


def test_a_national_structure_exists_once_with_its_specialities():
    abes = Partner.objects.get(code="abes")
    assert abes.is_national
    assert abes.kind == Partner.Kind.PUBLIC
    assert abes.website == "https://abes.fr"
    assert sorted(abes.specialities.values_list("code", flat=True)) == [
        "B2", "B4", "B5", "B6", "I2",
    ]  # fmt: skip


def test_a_regional_structure_exists_once_per_region_named_after_it():
    regions = [code for code, _name in region_choices()]
    for code in REGIONAL:
        assert sorted(Partner.objects.filter(code=code).values_list("region", flat=True)) == sorted(
            regions
        )
    drac = Partner.objects.get(code="drac", region="53")
    assert drac.name == "DRAC — Conseiller livre et lecture (Bretagne)"
    assert drac.region_label == "Bretagne"


def test_every_other_structure_is_national():
    assert Partner.objects.filter(region="").count() == 38 - len(REGIONAL)
    assert Partner.objects.count() == 38 - len(REGIONAL) + len(REGIONAL) * len(region_choices())
