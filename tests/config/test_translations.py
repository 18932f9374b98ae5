"""German is the default language and English is complete beside it: every msgid the code
uses is in the committed catalogues, translated, and compiled (so `make run` needs no gettext).
"""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
# Every app of ours (a folder with apps.py), the settings and the templates (config is an app
# too now, listed once).
SOURCES = tuple(
    dict.fromkeys((*sorted(p.parent.name for p in ROOT.glob("*/apps.py")), "config", "templates"))
)


def _catalogue(language: str, domain: str = "django") -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.po"))


def test_every_german_entry_is_translated_and_not_fuzzy():
    catalogue = _catalogue("de")
    missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags and not e.obsolete]
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:10]}"


@pytest.mark.parametrize("language", ["de", "en"])
def test_compiled_catalogue_matches_the_po_file(language):
    catalogue = _catalogue(language)
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if compiled._catalog.get(key) != entry.msgstr:  # type: ignore[attr-defined]
            stale.append(entry.msgid)
    assert not stale, f"django.mo is older than django.po ({language}): {stale[:5]}"


@pytest.mark.skipif(
    shutil.which("xgettext") is None and not __import__("os").environ.get("CI"),
    reason="needs GNU gettext (apt-get install gettext) to extract messages",
)
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Run makemessages on a copy of the sources: nothing new may appear."""
    for name in (*SOURCES, "manage.py"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-location", "--no-obsolete"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    extracted = polib.pofile(str(tmp_path / "locale" / "de" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in _catalogue("de") if not e.obsolete}
    new = sorted(e.msgid for e in extracted if (e.msgctxt, e.msgid) not in known)
    assert not new, f"{len(new)} strings not in locale/de/LC_MESSAGES/django.po: {new[:10]}"
