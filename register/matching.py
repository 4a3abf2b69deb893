"""Matching a typed or imported organisation name against the directory.

Tolerates accents, hyphens, apostrophes, case, « St »/« Ste », and known abbreviations
(``UQAM``). Answers a sure match or the few plausible candidates, never a guess: below
:data:`SURE_SCORE`, or when a second candidate is nearly as good, the person chooses.
No database here: the caller passes the candidates.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rapidfuzz import fuzz, process

SURE_SCORE = 90  # best score at or above which a unique best candidate is taken
MARGIN = 5  # the sure candidate beats the next one by at least this much
CANDIDATE_SCORE = 70  # below this, a candidate is not worth proposing
MAX_CANDIDATES = 5

# Word-level spellings that mean the same thing in Québec institution names.
_WORDS = {"st": "saint", "ste": "sainte", "coll": "college", "univ": "universite",
          "css": "centre de services scolaire"}


# Little words that differ between spellings of one name (« Cégep de Saint-Hyacinthe »,
# « Cegep St-Hyacinthe ») and make unrelated names look alike (« du », « de »).
_STOPWORDS = {"de", "du", "la", "le", "les", "des", "d", "l", "a", "en", "et", "au", "aux"}


class Named(Protocol):
    name: str
    abbreviation: str


@functools.lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """``Cégep Édouard-Montpetit`` → ``cegep edouard montpetit``."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(_WORDS.get(word, word) for word in text.split())


def _key(text: str) -> str:
    return " ".join(word for word in normalize(text).split() if word not in _STOPWORDS)


def _score(left: str, right: str, **_kwargs) -> float:
    """Word order does not matter, and a name that is the other minus words scores high
    (slightly below an equal one). Not WRatio: its partial matching makes « Maison de la
    famille Vallée » look like « CSS de la Vallée-des-Tisserands »."""
    return max(fuzz.token_sort_ratio(left, right), 0.95 * fuzz.token_set_ratio(left, right))


EXACT, ACRONYM, APPROXIMATE = "exact", "acronym", "approximate"


@dataclass
class MatchResult:
    """``organisation`` is set only when the match is sure; ``candidates`` otherwise lists
    the plausible ones, best first (empty when nothing comes close). ``how`` says how a sure
    match was made: :data:`EXACT` (the name), :data:`ACRONYM` or :data:`APPROXIMATE`."""

    organisation: Named | None = None
    candidates: list[Named] = field(default_factory=list)
    score: float = 0
    how: str = ""

    @property
    def is_sure(self) -> bool:
        return self.organisation is not None

    @property
    def is_ambiguous(self) -> bool:
        return self.organisation is None and bool(self.candidates)


class Matcher:
    """Matches many names against one list of candidates: each candidate's keys are computed
    once, and each distinct name is matched once (an import of 10 000 rows names a few
    hundred organisations)."""

    def __init__(self, candidates: Sequence[Named]):
        self.candidates = list(candidates)
        self._exact: dict[str, list[tuple[Named, str]]] = {}
        for candidate in self.candidates:
            keys = {_key(candidate.name): EXACT}
            if candidate.abbreviation:
                keys.setdefault(_key(candidate.abbreviation), ACRONYM)
            for key, how in keys.items():
                if key:
                    self._exact.setdefault(key, []).append((candidate, how))
        self._choices = {index: _key(c.name) for index, c in enumerate(self.candidates)}
        self._seen: dict[str, MatchResult] = {}

    def match(self, name: str) -> MatchResult:
        """The candidate ``name`` designates, or the ones it might (cached by key)."""
        key = _key(name)
        if key not in self._seen:
            self._seen[key] = self._match(key)
        return self._seen[key]

    def _match(self, key: str) -> MatchResult:
        if not key:
            return MatchResult()
        exact = self._exact.get(key, [])
        if len(exact) == 1:
            candidate, how = exact[0]
            return MatchResult(organisation=candidate, candidates=[candidate], score=100,
                               how=how)
        if len(exact) > 1:
            return MatchResult(candidates=[c for c, _how in exact], score=100)
        scored = process.extract(key, self._choices, scorer=_score,
                                 limit=MAX_CANDIDATES, score_cutoff=CANDIDATE_SCORE)
        if not scored:
            return MatchResult()
        best_score = scored[0][1]
        plausible = [self.candidates[index] for _choice, _score, index in scored]
        second = scored[1][1] if len(scored) > 1 else 0
        if best_score >= SURE_SCORE and best_score - second >= MARGIN:
            return MatchResult(organisation=plausible[0], candidates=plausible,
                               score=best_score, how=APPROXIMATE)
        return MatchResult(candidates=plausible, score=best_score)


def match_organisation(name: str, candidates: Sequence[Named]) -> MatchResult:
    """The directory entry ``name`` designates among ``candidates``, or the ones it might."""
    return Matcher(candidates).match(name)
