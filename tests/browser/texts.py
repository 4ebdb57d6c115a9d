"""The words of the French interface, as the browser tests look for them.

The tests are written against the French interface. The French catalogue may still lack a
translation: the page then shows the English source text, and the tests look for that
instead, with a warning naming it, so that they keep passing while the catalogue is completed
and become strict about the French wording on their own once it is.
"""

from __future__ import annotations

import warnings

from django.utils import translation


class UntranslatedText(UserWarning):
    """A text the browser tests had to find in English because the French catalogue lacks it."""


def fr(french: str, english: str) -> str:
    """The text the French interface shows for the source text `english`.

    `french` is the wording expected once the catalogue translates it; until then the page
    (and so the test) uses `english`.
    """
    with translation.override("fr"):
        shown = translation.gettext(english)
    if shown == english and french != english:
        warnings.warn(
            f"French catalogue: no translation yet for {english!r} (expected {french!r}); "
            "the browser test located it by its English text.",
            UntranslatedText,
            stacklevel=2,
        )
        return english
    return shown
