"""The English catalogue is complete: every msgid of the code is in locale/en's django.po,
translated, not fuzzy, with the same placeholders; a French string added to the code without
its English fails here, naming it."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%|</?[a-z]+[^>]*>")
NOT_COPIED = shutil.ignore_patterns(".venv", ".git", "__pycache__", "media", "staticfiles", "var",
                                    "*.sqlite3", "*.mo", "test-artifacts", ".hypothesis",
                                    ".pytest_cache", ".ruff_cache", "*.egg-info")


def _key(entry: polib.POEntry) -> str:
    key = entry.msgid if not entry.msgid_plural else f"{entry.msgid} | {entry.msgid_plural}"
    return f"[{entry.msgctxt}] {key}" if entry.msgctxt else key


def untranslated(catalogue: polib.POFile) -> list[str]:
    """The entries with an empty msgstr (any plural form) or a fuzzy flag."""
    found = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {_key(entry)}")
        elif len(forms) < (2 if entry.msgid_plural else 1) or not all(f.strip() for f in forms):
            found.append(f"untranslated: {_key(entry)}")
    return found


def misplaced_placeholders(catalogue: polib.POFile) -> list[str]:
    """The entries whose translation lost or added a %(name)s, a %% or an HTML tag."""
    found = []
    for entry in catalogue:
        if entry.obsolete or "python-format" not in entry.flags and "<" not in entry.msgid:
            continue
        pattern = PLACEHOLDER if "python-format" in entry.flags else re.compile(r"</?[a-z][^>]*>")
        pairs = ([(entry.msgid, entry.msgstr_plural.get(0, "")),
                  (entry.msgid_plural, entry.msgstr_plural.get(1, ""))]
                 if entry.msgid_plural else [(entry.msgid, entry.msgstr)])
        for source, translation in pairs:
            if sorted(set(pattern.findall(source))) != sorted(set(pattern.findall(translation))):
                found.append(f"{source!r} → {translation!r}")
    return found


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    missing = untranslated(polib.pofile(str(CATALOGUE)))
    assert missing == [], (f"{len(missing)} entries of {CATALOGUE.relative_to(ROOT)} need an "
                           "English translation:\n" + "\n".join(missing))


def test_every_translation_keeps_its_placeholders_and_tags():
    wrong = misplaced_placeholders(polib.pofile(str(CATALOGUE)))
    assert wrong == [], "translations whose placeholders differ:\n" + "\n".join(wrong)


def test_the_catalogue_compiles_with_msgfmt_checks():
    assert shutil.which("msgfmt"), "GNU gettext is missing (apt-get install gettext)"
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(CATALOGUE)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> polib.POFile:
    """makemessages run on a copy of the project: the catalogue as the code asks for it."""
    assert shutil.which("xgettext"), "GNU gettext is missing (apt-get install gettext)"
    copy = tmp_path_factory.mktemp("catalogue") / "project"
    shutil.copytree(ROOT, copy, ignore=NOT_COPIED)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--ignore=.venv",
         "--no-obsolete", "-v", "0"], cwd=copy, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return polib.pofile(str(copy / CATALOGUE.relative_to(ROOT)))


def test_the_catalogue_holds_every_msgid_of_the_code_and_no_stale_one(regenerated):
    wanted = {_key(entry) for entry in regenerated if not entry.obsolete}
    held = {_key(entry) for entry in polib.pofile(str(CATALOGUE)) if not entry.obsolete}
    missing, stale = sorted(wanted - held), sorted(held - wanted)
    assert (missing, stale) == ([], []), (
        "locale/en/LC_MESSAGES/django.po is not up to date with the code: run "
        "`python manage.py makemessages -l en --ignore=.venv --no-obsolete` and translate.\n"
        f"Missing from the catalogue ({len(missing)}):\n" + "\n".join(missing)
        + f"\nNo longer in the code ({len(stale)}):\n" + "\n".join(stale))


def test_the_checks_see_an_untranslated_a_fuzzy_and_a_broken_entry():
    catalogue = polib.POFile()
    catalogue.append(polib.POEntry(msgid="Cible", msgstr="Target"))
    catalogue.append(polib.POEntry(msgid="Résultat", msgstr=""))
    catalogue.append(polib.POEntry(msgid="Atteinte", msgstr="Met", flags=["fuzzy"]))
    catalogue.append(polib.POEntry(msgid="%(n)s cible", msgid_plural="%(n)s cibles",
                                   msgstr_plural={0: "%(n)s target", 1: ""},
                                   flags=["python-format"]))
    catalogue.append(polib.POEntry(msgid="Ligne %(line)s", msgstr="Row", flags=["python-format"]))
    assert untranslated(catalogue) == ["untranslated: Résultat", "fuzzy: Atteinte",
                                       "untranslated: %(n)s cible | %(n)s cibles"]
    assert misplaced_placeholders(catalogue) == ["'%(n)s cibles' → ''",
                                                 "'Ligne %(line)s' → 'Row'"]
