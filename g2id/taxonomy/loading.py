"""Load the request taxonomy from the CSV shipped with the package (idempotent)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DOMAINS_CSV = Path(__file__).parent / "data" / "domains.csv"


def load_domains(family_model: Any, domain_model: Any) -> int:
    """Create or update every family and domain of the CSV; return the number of domains."""
    with DOMAINS_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    families = {}
    for row in rows:
        if row["family_code"] not in families:
            families[row["family_code"]], _ = family_model.objects.update_or_create(
                code=row["family_code"],
                defaults={"label_fr": row["family_fr"], "label_en": row["family_en"]},
            )
    for row in rows:
        domain_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "family": families[row["family_code"]],
                "label_fr": row["label_fr"],
                "label_en": row["label_en"],
            },
        )
    return len(rows)
