"""French is the default language: its catalogue is complete and the compiled file current."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "g2id" / "locale"


def test_every_french_string_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(LOCALE / "fr" / "LC_MESSAGES" / "django.po")
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_compiled_catalogue_matches_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    source = polib.pofile(folder / "django.po")
    compiled = polib.mofile(folder / "django.mo")
    expected = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in source.translated_entries()
    }
    actual = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in compiled if e.msgid}
    assert actual == expected, "run `make messages` to compile the catalogues"
