"""Every string the hub shows exists in all eight languages (I18N-1): the catalogs have no
untranslated or fuzzy entries, and placeholders survive translation."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGS = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def test_every_non_english_language_has_a_catalog():
    languages = {code for code, _ in settings.LANGUAGES if code != "en"}
    found = {path.parts[-3].lower().replace("_", "-") for path in CATALOGS}
    assert languages <= found


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-3])
def test_catalog_is_complete(path):
    catalog = polib.pofile(str(path))
    assert [e.msgid for e in catalog.untranslated_entries()] == []
    assert [e.msgid for e in catalog.fuzzy_entries()] == []


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-3])
def test_placeholders_survive_translation(path):
    broken = []
    for entry in polib.pofile(str(path)).translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in translations:
            if sorted(set(PLACEHOLDER.findall(text))) != sorted(set(expected)) and entry.msgid_plural == "":
                broken.append(entry.msgid)
    assert broken == []
