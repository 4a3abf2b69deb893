"""French guillemets carry their spaces (« 1 ») in every template and message."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPACE = r"(?:[ \u00a0\u202f]|&nbsp;|\\u00a0|\\u202f)"
OPEN = re.compile(rf"«(?!{SPACE})")
CLOSE = re.compile(r"(?<![ \u00a0\u202f])(?<!&nbsp;)(?<!\\u00a0)(?<!\\u202f)»")
SOURCES = sorted([*ROOT.glob("templates/**/*.html"), *ROOT.glob("indicators/**/*.py"),
                  *ROOT.glob("reporting/**/*.py"), *ROOT.glob("pole_plan/**/*.py"),
                  *ROOT.glob("campaigns/**/*.py"),
                  *ROOT.glob("static/js/*.js")])


def bare_guillemets(text: str) -> list[str]:
    found = [*OPEN.finditer(text), *CLOSE.finditer(text)]
    return [text[max(0, m.start() - 15):m.end() + 15] for m in found]


def test_the_check_sees_a_guillemet_without_its_space():
    assert bare_guillemets("la cible «1» est lue")
    assert bare_guillemets("« 1»")
    assert not bare_guillemets("« 1 », «\u00a01\u00a0», «&nbsp;1&nbsp;»")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_guillemets_carry_their_spaces(path):
    assert bare_guillemets(path.read_text(encoding="utf-8")) == []
