"""ISIL (ISO 15511) validation, with the French RCR rule on top."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LENGTH = 16
# Prefix: an ISO 3166-1 country code, or a 1-4 character non-country prefix.
ISIL_RE = re.compile(r"^(?P<prefix>[A-Za-z0-9]{1,4})-(?P<local>[A-Za-z0-9/:\-]+)$")
# A French ISIL is FR- and the 9-character RCR whose first five characters are the INSEE
# code of the commune (2A/2B for Corsica).
FRENCH_RCR_RE = re.compile(r"^(?:\d{2}|2A|2B)\d{3}[0-9A-Z]{4}$")


def normalise_isil(value: str) -> str:
    value = value.strip()
    prefix, _sep, local = value.partition("-")
    return f"{prefix.upper()}-{local}" if _sep else value


def validate_isil(value: str) -> None:
    """Raise ValidationError unless value is a well-formed ISIL."""
    value = normalise_isil(value)
    if len(value) > MAX_LENGTH:
        raise ValidationError(
            _("An ISIL has at most 16 characters (this one has %(count)d).")
            % {"count": len(value)},
            code="isil_too_long",
        )
    match = ISIL_RE.match(value)
    if not match:
        raise ValidationError(
            _(
                "An ISIL is a prefix, a hyphen, then letters, digits, “/”, “-” or “:”, "
                "for example FR-751131015."
            ),
            code="isil_malformed",
        )
    if match["prefix"] == "FR" and not FRENCH_RCR_RE.match(match["local"].upper()):
        raise ValidationError(
            _(
                "A French ISIL is FR- followed by the 9-character RCR number given by the "
                "Abes, for example FR-751131015."
            ),
            code="isil_bad_rcr",
        )


def insee_commune_of(isil: str) -> str | None:
    """The INSEE commune code embedded in a French ISIL, or None."""
    isil = normalise_isil(isil)
    if isil.startswith("FR-") and FRENCH_RCR_RE.match(isil[3:].upper()):
        return isil[3:8].upper()
    return None
