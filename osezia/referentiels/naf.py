"""Finding one's NAF sous-classe (pure Python, no Django).

Two things a person types in a NAF field:

- a code, written as they read it: « 10.71 C », « 1071C », « 10.71c », « 1071 C » are all
  10.71C (`normalize_code`, used by every form, API schema and import that takes a NAF code);
- their trade, in their own words: « boulangerie », « coiffeur », « garage auto ». INSEE's
  labels rarely use these words (« Travaux d'installation d'eau et de gaz en tous locaux » for a
  plumber), so the suggestions read the labels and a reviewed file of everyday trade words
  (`data/naf_metiers.json`, see `SOURCES.md`). Words are folded (case and accents), stop words
  dropped, stemmed, the last word may be unfinished (typed as one goes) and a misspelt word is
  recognised within the platform's one typo rule (`langue.texte.typo_tolerance`).
"""

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from osezia.langue.texte import STOP_WORDS, bounded_levenshtein, stem, typo_tolerance, words

TRADES_FILE = Path(__file__).resolve().parent / "data" / "naf_metiers.json"

MAX_SUGGESTIONS = 20
TRADE_WEIGHT = 1.0  # a trade word points to its first code…
RANK_DECAY = 0.8  # …and a little less to each following one
LABEL_WEIGHT = 0.9  # INSEE's own label

_SEPARATORS = re.compile(r"[\s._\-]+")
_CODE = re.compile(r"(\d{2})(\d{0,2})([A-Z]?)")
_CODE_START = re.compile(r"\d{2}")


def normalize_code(value: str | None) -> str:
    """A NAF code as the nomenclature writes it, whatever its spacing, dots and case:
    « 1071 c » → « 10.71C », « 1071 » → « 10.71 », « 107 » → « 10.7 », « c » → « C ». Text that
    is no code comes back stripped and upper-cased, so that an error message can quote it."""
    text = (value or "").strip().upper()
    compact = _SEPARATORS.sub("", text)
    if len(compact) == 1 and "A" <= compact <= "U":
        return compact
    match = _CODE.fullmatch(compact)
    if match is None:
        return text
    division, rest, letter = match.groups()
    if letter and len(rest) != 2:
        return text
    return f"{division}.{rest}{letter}" if rest else division


def looks_like_code(value: str | None) -> bool:
    """True when the text starts like a NAF code (two digits), not like a trade word."""
    return _CODE_START.match(_SEPARATORS.sub("", (value or "").strip())) is not None


def content_words(text: str) -> tuple[str, ...]:
    """The folded words that carry meaning (no stop words, no single letters)."""
    return tuple(w for w in words(text) if w not in STOP_WORDS and len(w) > 1)


def load_trades(path: Path = TRADES_FILE) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)["metiers"]


@dataclass(frozen=True)
class Suggestion:
    code: str
    libelle: str
    terme: str = ""  # the trade word that matched, when it is not the label itself


@dataclass(frozen=True)
class _Source:
    code: str
    words: tuple[str, ...]
    weight: float
    terme: str


class NafSuggester:
    """The sous-classes that fit what a person typed, best first."""

    def __init__(self, sous_classes: Iterable[tuple[str, str]], trades: list[dict]):
        self.labels: dict[str, str] = dict(sous_classes)
        self.sources: list[_Source] = []
        for code, label in self.labels.items():
            self.sources.append(_Source(code, content_words(label), LABEL_WEIGHT, ""))
        for entry in trades:
            for rank, code in enumerate(entry["naf"]):
                if code not in self.labels:
                    raise ValueError(f"{code} n'est pas une sous-classe de la NAF rév. 2")
                for term in entry["termes"]:
                    weight = TRADE_WEIGHT * RANK_DECAY**rank
                    self.sources.append(_Source(code, content_words(term), weight, term))
        self.by_word: dict[str, list[int]] = defaultdict(list)
        for index, source in enumerate(self.sources):
            for word in set(source.words):
                self.by_word[word].append(index)
        self.by_stem: dict[str, set[str]] = defaultdict(set)
        self.by_initial: dict[str, list[str]] = defaultdict(list)
        for word in self.by_word:
            self.by_stem[stem(word)].add(word)
            self.by_initial[word[0]].append(word)

    # How well one typed word meets the vocabulary: {known word: quality 0..1}.
    def _meet(self, token: str, unfinished: bool) -> dict[str, float]:
        found: dict[str, float] = {}
        for word in self.by_stem.get(stem(token), ()):
            found[word] = 1.0 if word == token else 0.9
        for word in self.by_initial.get(token[0], ()):
            if word in found:
                continue
            if unfinished and word.startswith(token):
                found[word] = 0.5 + 0.4 * len(token) / len(word)
                continue
            allowed = min(typo_tolerance(len(token)), typo_tolerance(len(word)))
            if allowed:
                distance = bounded_levenshtein(token, word, allowed)
                if distance <= allowed:
                    found[word] = 0.75 - 0.1 * (distance - 1)
        return found

    def _codes(self, query: str, limit: int) -> list[Suggestion]:
        compact = _SEPARATORS.sub("", query.strip().upper())
        matching = [c for c in sorted(self.labels) if c.replace(".", "").startswith(compact)]
        return [Suggestion(c, self.labels[c]) for c in matching[:limit]]

    def suggest(self, query: str | None, limit: int = 10) -> list[Suggestion]:
        query = (query or "")[:200]
        limit = max(1, min(limit, MAX_SUGGESTIONS))
        if looks_like_code(query):
            return self._codes(query, limit)
        tokens = list(dict.fromkeys(content_words(query)))
        if not tokens:
            return []
        unfinished_last = not query[-1:].isspace()
        meetings = []
        for position, token in enumerate(tokens):
            met = self._meet(token, unfinished_last and position == len(tokens) - 1)
            if met:  # a word the platform does not know vetoes nothing
                meetings.append(met)
        if not meetings:
            return []
        # Each source (a label or a trade word) that holds at least one typed word.
        best: dict[str, tuple[int, float, str]] = {}
        candidates = {i for met in meetings for word in met for i in self.by_word[word]}
        for index in candidates:
            source = self.sources[index]
            qualities, used = [], set()
            for met in meetings:
                hits = [(met[w], w) for w in source.words if w in met]
                if hits:
                    quality, word = max(hits)
                    qualities.append(quality)
                    used.add(word)
            covered = len(qualities)
            specificity = len(used) / len(set(source.words))
            score = source.weight * (sum(qualities) / len(meetings)) * (0.6 + 0.4 * specificity)
            current = best.get(source.code)
            if current is None or (covered, score) > current[:2]:
                best[source.code] = (covered, score, source.terme)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
        return [
            Suggestion(code, self.labels[code], terme) for code, (_, _, terme) in ranked[:limit]
        ]
