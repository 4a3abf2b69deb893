"""French plurals are written out (``ngettext``, or a label followed by its count), never
« (s) »: every template and every Python module people read messages from is scanned."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [*ROOT.glob("templates/**/*.html"),
           *(path for app in ("indicators", "register", "reporting", "campaigns", "pole_plan")
             for path in (ROOT / app).glob("**/*.py") if "migrations" not in path.parts)]
PARENTHESISED = re.compile(r"\w\((?:s|x|e|es)\)")


def test_no_message_writes_a_plural_in_parentheses():
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in SOURCES
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if PARENTHESISED.search(line)]
    assert found == []


def test_the_scan_sees_the_sources():
    names = {path.name for path in SOURCES}
    assert {"base.html", "entry.html", "services.py", "views.py"} <= names
