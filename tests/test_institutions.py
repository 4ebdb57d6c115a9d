"""Libraries: ISIL per ISO 15511 (with the French RCR rule), geography from the postcode."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from g2id.institutions.models import Institution
from g2id.lib import geography
from g2id.lib.isil import validate_isil


@pytest.mark.parametrize(
    "isil",
    [
        "FR-751131015",
        "FR-2A0041101",
        "FR-974115201",
        "DE-101",
        "US-DLC",
        "GB-UkLiU",
        "O-BAAR",
        "CH-000001-X:3/4",
    ],
)
def test_well_formed_isils_are_accepted(isil):
    assert validate_isil(isil) is None


@pytest.mark.parametrize(
    ("isil", "code"),
    [
        ("FR-75113101512345", "isil_too_long"),
        ("FR-12345678901234", "isil_too_long"),
        ("FR751131015", "isil_malformed"),
        ("FR-7511 31015", "isil_malformed"),
        ("FR-", "isil_malformed"),
        ("-751131015", "isil_malformed"),
        ("FR-75113", "isil_bad_rcr"),
        ("FR-ABC131015", "isil_bad_rcr"),
        ("FR-<script>", "isil_malformed"),
    ],
)
def test_malformed_isils_are_refused_with_the_rule_they_break(isil, code):
    with pytest.raises(ValidationError) as refused:
        validate_isil(isil)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("postcode", "department", "region"),
    [
        ("75013", "75", "11"),
        ("69003", "69", "84"),
        ("20000", "2A", "94"),
        ("20200", "2B", "94"),
        ("97411", "974", "04"),
        ("97600", "976", "06"),
        ("35000", "35", "53"),
        ("13001", "13", "93"),
        ("59000", "59", "32"),
    ],
)
def test_the_departement_and_region_come_from_the_postcode(postcode, department, region):
    library = Institution.objects.create(name="Bibliothèque", postcode=postcode)
    assert (library.department, library.region) == (department, region)


def test_without_a_postcode_a_french_isil_gives_the_region():
    library = Institution.objects.create(name="BnF", isil="fr-751131015")
    assert (library.isil, library.department, library.region) == ("FR-751131015", "75", "11")


def test_an_unknown_postcode_gives_no_region():
    assert geography.department_of_postcode("00000") is None
    assert geography.department_of_postcode("7500") is None


def test_two_libraries_cannot_share_an_isil():
    from django.db import IntegrityError, transaction

    Institution.objects.create(name="A", isil="FR-751131015")
    with pytest.raises(IntegrityError), transaction.atomic():
        Institution.objects.create(name="B", isil="FR-751131015")
