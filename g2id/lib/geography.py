"""French geography derived from a postcode or an INSEE commune code: département, region."""

from __future__ import annotations

import re
from functools import cache

from localflavor.fr.fr_department import DEPARTMENT_CHOICES_PER_REGION
from localflavor.fr.fr_region import REGION_2016_CHOICES

POSTCODE_RE = re.compile(r"^\d{5}$")

# localflavor lists départements with their pre-2016 region; the 2016 merger is a plain map.
REGION_BEFORE_2016_TO_2016 = {
    "11": "11", "21": "44", "22": "32", "23": "28", "24": "24", "25": "28", "26": "27",
    "31": "32", "41": "44", "42": "44", "43": "27", "52": "52", "53": "53", "54": "75",
    "72": "75", "73": "76", "74": "75", "82": "84", "83": "84", "91": "76", "93": "93",
    "94": "94", "01": "01", "02": "02", "03": "03", "04": "04", "05": "06",
}  # fmt: skip

REGION_NAMES = dict(REGION_2016_CHOICES)


@cache
def _departments() -> dict[str, tuple[str, str | None]]:
    return {
        code: (name, REGION_BEFORE_2016_TO_2016.get(old_region) if old_region else None)
        for code, name, old_region in DEPARTMENT_CHOICES_PER_REGION
    }


def department_of_postcode(postcode: str) -> str | None:
    """The département code of a French postcode (2A/2B for Corsica, 97x overseas)."""
    postcode = postcode.strip()
    if not POSTCODE_RE.match(postcode):
        return None
    if postcode.startswith("97") or postcode.startswith("98"):
        code = postcode[:3]
    elif postcode.startswith("20"):
        code = "2A" if int(postcode) < 20200 else "2B"
    else:
        code = postcode[:2]
    return code if code in _departments() else None


def department_of_commune(insee_code: str) -> str | None:
    """The département code of an INSEE commune code."""
    insee_code = insee_code.strip().upper()
    code = insee_code[:3] if insee_code.startswith(("97", "98")) else insee_code[:2]
    return code if code in _departments() else None


def region_of_department(department: str) -> str | None:
    entry = _departments().get(department)
    return entry[1] if entry else None


def department_name(department: str) -> str:
    entry = _departments().get(department)
    return entry[0] if entry else ""


def region_name(region: str) -> str:
    return REGION_NAMES.get(region, "")


def region_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, name in REGION_2016_CHOICES]
