"""Fixed choices for form fields, handed over as a function."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def fixed_choices(choices: Iterable[tuple[Any, Any]]) -> Callable[[], list[tuple[Any, Any]]]:
    """The choices, for a form field that takes them from a function.

    Django deep-copies every field of a form for each request it answers, and a list of
    choices is walked to be copied (for the field and for its widget); a function is copied
    as it is. The request form's five lists cost a third of its copying time.
    """
    frozen = list(choices)
    return lambda: frozen
