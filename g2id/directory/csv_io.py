"""Partner CSV files: check every line first, then import all of it or nothing; export."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import transaction

from g2id.lib.geography import region_choices, region_name

SEED_CSV = Path(__file__).parent / "data" / "partners.csv"
COLUMNS = ["code", "name", "kind", "specialities", "scope", "website", "when_to_refer_fr"]
# The export adds the region, so that a regional instance comes back to its own region.
EXPORT_COLUMNS = [*COLUMNS[:5], "region", *COLUMNS[5:]]
KINDS = ("public", "association", "community", "private")
NATIONAL, REGIONAL = "national", "regional"


class PartnerFileError(Exception):
    """A partner file that cannot be imported; `errors` names each bad line."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class PartnerRow:
    """One partner as a file describes it, for one region ("" when national)."""

    line: int
    code: str
    region: str
    name: str
    kind: str
    specialities: tuple[str, ...]
    website: str
    when_to_refer: str

    def fields(self) -> dict[str, str]:
        return {
            "name": self.name,
            "kind": self.kind,
            "website": self.website,
            "when_to_refer": self.when_to_refer,
        }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _problems(row: dict[str, str], *, domain_codes: set[str], regions: set[str]) -> list[str]:
    problems = []
    try:
        validate_slug(row["code"])
    except ValidationError:
        problems.append(f"code {row['code']!r} must be letters, digits, hyphens or underscores")
    if not row["name"]:
        problems.append("the name is empty")
    if row["kind"] not in KINDS:
        problems.append(f"unknown kind {row['kind']!r} (expected one of {', '.join(KINDS)})")
    unknown = [code for code in _codes(row["specialities"]) if code not in domain_codes]
    if unknown:
        problems.append(f"unknown domain code(s) {', '.join(unknown)}")
    if row["scope"] not in (NATIONAL, REGIONAL):
        problems.append(f"unknown scope {row['scope']!r} (expected national or regional)")
    region = row.get("region") or ""
    if region and region not in regions:
        problems.append(f"unknown region code {region!r}")
    if region and row["scope"] == NATIONAL:
        problems.append("a national structure has no region")
    if row["website"]:
        try:
            URLValidator()(row["website"])
        except ValidationError:
            problems.append(f"website {row['website']!r} is not a valid URL")
    if not row["when_to_refer_fr"]:
        problems.append("when_to_refer_fr is empty")
    return problems


def _codes(specialities: str) -> tuple[str, ...]:
    return tuple(sorted({code.strip() for code in specialities.split("|") if code.strip()}))


def _instances(line: int, row: dict[str, str]) -> list[PartnerRow]:
    """A regional row without a region becomes one partner per region, named after it."""

    def instance(region: str, name: str) -> PartnerRow:
        return PartnerRow(
            line=line,
            code=row["code"],
            region=region,
            name=name,
            kind=row["kind"],
            specialities=_codes(row["specialities"]),
            website=row["website"],
            when_to_refer=row["when_to_refer_fr"],
        )

    region = row.get("region") or ""
    if row["scope"] == NATIONAL or region:
        return [instance(region, row["name"])]
    return [instance(code, f"{row['name']} ({name})") for code, name in region_choices()]


def read_partner_rows(handle: Iterable[str], *, domain_codes: set[str]) -> list[PartnerRow]:
    """Every partner of a CSV file, or PartnerFileError listing every bad line."""
    reader = csv.DictReader(handle)
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise PartnerFileError([f"Line 1: missing column(s) {', '.join(missing)}."])
    regions = {code for code, _name in region_choices()}
    errors: list[str] = []
    partners: list[PartnerRow] = []
    seen: dict[tuple[str, str], int] = {}
    for raw in reader:
        line = reader.line_num
        row = {key: (value or "").strip() for key, value in raw.items() if key is not None}
        problems = _problems(row, domain_codes=domain_codes, regions=regions)
        if problems:
            errors.append(f"Line {line}: {'; '.join(problems)}.")
            continue
        for partner in _instances(line, row):
            key = (partner.code, partner.region)
            if key in seen:
                where = region_name(partner.region) or "national"
                errors.append(
                    f"Line {line}: {partner.code} ({where}) is already on line {seen[key]}."
                )
            seen[key] = line
            partners.append(partner)
    if errors:
        raise PartnerFileError(errors)
    return partners


def import_partners(
    handle: Iterable[str], *, partner_model: Any, domain_model: Any
) -> ImportResult:
    """Create or update the file's partners by (code, region); a bad line imports nothing.

    Takes the model classes so that the seed migration can pass its historical models.
    """
    domains = {domain.code: domain for domain in domain_model.objects.all()}
    rows = read_partner_rows(handle, domain_codes=set(domains))
    result = ImportResult()
    with transaction.atomic():
        existing = {
            (partner.code, partner.region): partner
            for partner in partner_model.objects.prefetch_related("specialities")
        }
        for row in rows:
            partner = existing.get((row.code, row.region))
            if partner is None:
                partner = partner_model.objects.create(
                    code=row.code, region=row.region, **row.fields()
                )
                result.created += 1
            else:
                current = {field: getattr(partner, field) for field in row.fields()}
                codes = tuple(sorted(domain.code for domain in partner.specialities.all()))
                if current == row.fields() and codes == row.specialities:
                    result.unchanged += 1
                    continue
                for field, value in row.fields().items():
                    setattr(partner, field, value)
                partner.save()
                result.updated += 1
            partner.specialities.set([domains[code] for code in row.specialities])
    return result


def export_partners(partners: Iterable[Any], handle: TextIO) -> None:
    """Write the partners as CSV, with their region; prefetch their specialities first."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for partner in partners:
        writer.writerow(
            [
                partner.code,
                partner.name,
                partner.kind,
                "|".join(sorted(domain.code for domain in partner.specialities.all())),
                REGIONAL if partner.region else NATIONAL,
                partner.region,
                partner.website,
                partner.when_to_refer,
            ]
        )
