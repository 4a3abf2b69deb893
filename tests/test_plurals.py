"""French plurals are written out (``ngettext``, or a label followed by its count), never
« (s) »: every template, and every string literal of the Python modules people read
messages from, is scanned."""

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = list(ROOT.glob("templates/**/*.html"))
MODULES = [path for app in ("indicators", "register", "reporting", "campaigns", "pole_plan")
           for path in (ROOT / app).glob("**/*.py") if "migrations" not in path.parts]
PARENTHESISED = re.compile(r"\w\((?:s|x|e|es)\)")


def _strings(path: Path):
    """(line, text) of each string literal of a module (code such as ``f(s)`` is not text)."""
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING or token.type == getattr(tokenize, "FSTRING_MIDDLE",
                                                                   -1):
            yield token.start[0], token.string


def test_no_message_writes_a_plural_in_parentheses():
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in TEMPLATES
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if PARENTHESISED.search(line)]
    found += [f"{path.relative_to(ROOT)}:{number}: {text}"
              for path in MODULES for number, text in _strings(path)
              if PARENTHESISED.search(text)]
    assert found == []


def test_the_scan_sees_the_sources_and_would_catch_a_plural():
    assert {"base.html", "entry.html"} <= {path.name for path in TEMPLATES}
    assert {"services.py", "views.py"} <= {path.name for path in MODULES}
    assert PARENTHESISED.search("3 ligne(s) signalée(s)")
    sample = Path(__file__)  # this very file writes one inside a string literal
    assert any(PARENTHESISED.search(text) for _line, text in _strings(sample))
