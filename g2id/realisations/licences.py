"""Licences as SPDX identifiers or expressions, checked against the SPDX licence list.

The list is the one bundled with `license-expression` (pinned in pyproject.toml); its
aliases and its own non-SPDX keys ("LicenseRef-scancode-…") are refused: a licence is
written as SPDX writes it, whatever the case.
"""

from __future__ import annotations

import re
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from license_expression import ExpressionError, Licensing, get_spdx_licensing

OPERATORS = {"AND", "OR", "WITH"}
TOKEN_RE = re.compile(r"[^\s()]+")


@cache
def _licensing() -> tuple[Licensing, dict[str, str]]:
    licensing = get_spdx_licensing()
    spdx_keys = {
        key.upper(): key for key in licensing.known_symbols if not key.startswith("LicenseRef-")
    }
    return licensing, spdx_keys


def normalise_licence(expression: str) -> str:
    """The expression in SPDX's own spelling, or ValidationError naming what is wrong."""
    expression = " ".join((expression or "").split())
    if not expression:
        raise ValidationError(_("Give the licence as an SPDX identifier, such as MIT."))
    licensing, spdx_keys = _licensing()
    unknown = [
        token
        for token in TOKEN_RE.findall(expression)
        if token.upper() not in OPERATORS and token.removesuffix("+").upper() not in spdx_keys
    ]
    if unknown:
        raise ValidationError(
            _(
                "“%(ids)s” is not on the SPDX licence list; write an identifier such as "
                "MIT, GPL-3.0-or-later or CC-BY-4.0 (see spdx.org/licenses)."
            )
            % {"ids": ", ".join(unknown)},
            code="unknown_licence",
        )
    try:
        parsed = licensing.parse(expression, validate=True, strict=True)
    except ExpressionError:
        parsed = None
    if parsed is None:
        raise ValidationError(
            _(
                "“%(expression)s” is not a valid SPDX licence expression; combine identifiers "
                "with AND, OR or WITH, for example “MIT OR Apache-2.0”."
            )
            % {"expression": expression},
            code="invalid_licence",
        )
    return str(parsed.render("{symbol.key}"))


def validate_licence(expression: str) -> None:
    normalise_licence(expression)
