"""Understanding a leader's own words (pure Python, no Django).

The description is folded (lower case, no accents), split into words, colloquial words are
replaced by their canonical form (« le bot » → « chatbot »), French stop words are dropped
and every word is reduced by the French Snowball stemmer, so that plurals and verb forms meet
(« factures », « facturer » → « factur »). A word that is not French (not in the shipped
French word list) and not in the lexicon is matched to the nearest lexicon word within one
typo from 5 letters and two from 9 (« facturs » → « factures »). A lexicon phrase matches when
all its words occur close together. Each match remembers the clause it came from, so the
justification can quote the leader.
"""

import gzip
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from osezia.socle.texte import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
LEXICON_FILE = DATA_DIR / "lexique.json"

_WORD = re.compile(r"[a-z0-9]+")
_CLAUSE = re.compile(r"[.!?;:,\n()]+|\s(?:mais|car|donc|sinon|puis)\s")
PHRASE_SLACK = 3  # extra words allowed inside a phrase

STOP_WORDS = frozenset(
    fold(w)
    for w in [
        "a",
        "à",
        "ai",
        "aie",
        "aient",
        "aies",
        "ait",
        "alors",
        "as",
        "au",
        "aucun",
        "aucune",
        "aupres",
        "auquel",
        "aura",
        "aurai",
        "auraient",
        "aurais",
        "aurait",
        "auras",
        "aurez",
        "auriez",
        "aurions",
        "aurons",
        "auront",
        "aussi",
        "autre",
        "autres",
        "aux",
        "auxquelles",
        "auxquels",
        "avaient",
        "avais",
        "avait",
        "avant",
        "avec",
        "avez",
        "aviez",
        "avions",
        "avoir",
        "avons",
        "ayant",
        "ayez",
        "ayons",
        "bien",
        "c",
        "ça",
        "ce",
        "ceci",
        "cela",
        "celle",
        "celles",
        "celui",
        "cependant",
        "ces",
        "cet",
        "cette",
        "ceux",
        "chacun",
        "chaque",
        "chez",
        "ci",
        "comme",
        "comment",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "donc",
        "dont",
        "elle",
        "elles",
        "en",
        "encore",
        "es",
        "est",
        "et",
        "étaient",
        "étais",
        "était",
        "étant",
        "été",
        "êtes",
        "étiez",
        "étions",
        "être",
        "eu",
        "eue",
        "eues",
        "eûmes",
        "eurent",
        "eus",
        "eusse",
        "eussent",
        "eusses",
        "eussiez",
        "eussions",
        "eut",
        "eût",
        "eûtes",
        "eux",
        "fait",
        "font",
        "fûmes",
        "furent",
        "fus",
        "fusse",
        "fussent",
        "fusses",
        "fussiez",
        "fussions",
        "fut",
        "fût",
        "fûtes",
        "ici",
        "il",
        "ils",
        "j",
        "je",
        "jusqu",
        "jusque",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "lors",
        "lui",
        "m",
        "ma",
        "mais",
        "me",
        "même",
        "mêmes",
        "mes",
        "moi",
        "mon",
        "n",
        "ne",
        "ni",
        "nos",
        "notre",
        "nous",
        "on",
        "ont",
        "or",
        "ou",
        "où",
        "par",
        "parce",
        "pas",
        "peu",
        "peut",
        "peuvent",
        "plus",
        "pour",
        "pourquoi",
        "qu",
        "quand",
        "que",
        "quel",
        "quelle",
        "quelles",
        "quels",
        "qui",
        "quoi",
        "s",
        "sa",
        "sans",
        "se",
        "sera",
        "serai",
        "seraient",
        "serais",
        "serait",
        "seras",
        "serez",
        "seriez",
        "serions",
        "serons",
        "seront",
        "ses",
        "si",
        "sien",
        "sienne",
        "siennes",
        "siens",
        "soi",
        "soient",
        "sois",
        "soit",
        "sommes",
        "son",
        "sont",
        "soyez",
        "soyons",
        "suis",
        "sur",
        "t",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tous",
        "tout",
        "toute",
        "toutes",
        "très",
        "tu",
        "un",
        "une",
        "unes",
        "uns",
        "v",
        "vers",
        "voici",
        "voila",
        "vos",
        "votre",
        "vous",
        "y",
        "ya",
        "avoir",
        "etre",
        "tres",
        "trop",
        "ca",
        "cest",
        "jai",
        "jsp",
        "bcp",
        "svp",
        "stp",
        "nan",
        "ouais",
        "oui",
        "non",
    ]
)


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("french")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball stem, with the plural -s/-x it leaves on some words folded too
    (« photos », « rendus » meet « photo », « rendu »)."""
    stemmed = _stemmer().stemWord(word)
    if len(stemmed) >= 4 and stemmed[-1] in "sx":
        stemmed = stemmed[:-1]
    return stemmed


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def bounded_levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance between a and b, or limit + 1 as soon as it exceeds limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            best = min(best, current[j])
        if best > limit:
            return limit + 1
        previous = current
    return previous[-1]


def typo_tolerance(length: int) -> int:
    """The platform's one typo rule: how many edits a word of this length may carry and still
    be recognised (none under 5 letters, one from 5, two from 9). The lexicon's correction and
    the search index's fuzzy matching both use it."""
    return 2 if length >= 9 else 1 if length >= 5 else 0


@lru_cache(maxsize=1)
def lexicon_data() -> dict:
    """The reviewed lexicon as stored (families' terms and needs, synonyms, trade stop words)."""
    with open(LEXICON_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def family_terms(min_weight: float = 0.5) -> dict[str, list[str]]:
    """For each use-case family: its need in plain words, then the leaders' words for it that
    weigh at least min_weight."""
    return {
        code: [entry["besoin"], *(t["texte"] for t in entry["termes"] if t["poids"] >= min_weight)]
        for code, entry in lexicon_data()["familles"].items()
    }


@lru_cache(maxsize=1)
def french_words() -> frozenset[str]:
    """Folded French words of the word list shipped with pyspellchecker (offline)."""
    import spellchecker

    path = Path(spellchecker.__file__).parent / "resources" / "fr.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        frequencies = json.load(handle)
    return frozenset(fold(w) for w, count in frequencies.items() if count >= 3)


@dataclass(frozen=True)
class Term:
    family: str
    weight: float
    text: str
    stems: tuple[str, ...]


@dataclass
class Token:
    stem: str
    clause: int
    position: int


@dataclass
class Match:
    family: str
    term: str
    weight: float
    clause: str
    positions: frozenset[int] = frozenset()


@dataclass
class TextAnalysis:
    matches: dict[str, list[Match]] = field(default_factory=dict)

    def signal(self, family: str) -> float:
        """0..1: how strongly the text points to this family (diminishing returns).

        In one clause, overlapping terms (« on jette trop », « jette trop de pain ») say one
        thing: the strongest counts fully, the others a quarter; separate clauses add up."""
        matches = self.matches.get(family)
        if not matches:
            return 0.0
        by_clause: dict[str, list[float]] = defaultdict(list)
        for match in matches:
            by_clause[match.clause].append(match.weight)
        total = sum(max(ws) + 0.25 * (sum(ws) - max(ws)) for ws in by_clause.values())
        return 1.0 - math.exp(-1.3 * total)


class Lexicon:
    """The reviewed lexicon (data/lexique.json), compiled for fast matching."""

    def __init__(self, data: dict, known_words: frozenset[str] | None = None):
        self.stop = STOP_WORDS | {fold(w) for w in data.get("mots_vides_metier", [])}
        self.synonyms = {fold(k): words(v) for k, v in data.get("synonymes", {}).items()}
        self.known = known_words if known_words is not None else frozenset()
        self.terms: list[Term] = []
        self.by_stem: dict[str, list[int]] = defaultdict(list)
        lexicon_words: set[str] = set()
        for family, entry in data["familles"].items():
            for item in entry["termes"]:
                term_words = [w for w in words(item["texte"]) if w not in STOP_WORDS]
                if not term_words:
                    continue
                lexicon_words.update(term_words)
                stems = tuple(dict.fromkeys(stem(w) for w in term_words))
                index = len(self.terms)
                self.terms.append(Term(family, float(item["poids"]), item["texte"], stems))
                for s in stems:
                    self.by_stem[s].append(index)
        self.lexicon_stems = frozenset(self.by_stem)
        self.fuzzy_candidates: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for word in lexicon_words:
            if len(word) >= 5:
                self.fuzzy_candidates[word[0]].append((word, stem(word)))

    def _correct(self, word: str) -> str | None:
        """The lexicon stem a misspelt word stands for, if exactly one is close enough."""
        return _correct_cached(self, word)

    def tokens(self, text: str) -> tuple[list[Token], list[str]]:
        clauses = [c.strip() for c in _CLAUSE.split(text or "") if c and c.strip()]
        tokens: list[Token] = []
        position = 0
        for index, clause in enumerate(clauses):
            for raw in words(clause):
                for word in self.synonyms.get(raw, [raw]):
                    if word in self.stop:
                        continue
                    s = stem(word)
                    if s not in self.lexicon_stems and word not in self.known and len(word) >= 5:
                        s = self._correct(word) or s
                    tokens.append(Token(s, index, position))
                    position += 1
            position += PHRASE_SLACK + 1  # phrases never span two clauses
        return tokens, clauses

    def analyse(self, text: str) -> TextAnalysis:
        tokens, clauses = self.tokens(text)
        positions: dict[str, list[Token]] = defaultdict(list)
        for token in tokens:
            positions[token.stem].append(token)
        candidates = {i for s in positions if s in self.by_stem for i in self.by_stem[s]}
        found: list[Match] = []
        seen: set[tuple[str, str]] = set()
        for index in sorted(candidates):
            term = self.terms[index]
            hit = self._find(term, positions)
            if hit is None or (term.family, term.text) in seen:
                continue
            seen.add((term.family, term.text))
            clause, used = hit
            found.append(Match(term.family, term.text, term.weight, clauses[clause], used))
        # Longest match wins: a word read inside a matched phrase (« contrôle visuel ») does
        # not also count alone for another family (« visuel »).
        in_phrases = set().union(*(m.positions for m in found if len(m.positions) > 1))
        analysis = TextAnalysis()
        for match in found:
            if (
                len(match.positions) == 1
                and match.positions <= in_phrases
                and not any(
                    m.family == match.family and m.positions > match.positions for m in found
                )
            ):
                continue
            analysis.matches.setdefault(match.family, []).append(match)
        for matches in analysis.matches.values():
            matches.sort(key=lambda m: -m.weight)
        return analysis

    @staticmethod
    def _find(term: Term, positions: dict[str, list[Token]]) -> tuple[int, frozenset[int]] | None:
        """Where the term occurs: its clause and the positions of its words."""
        if any(s not in positions for s in term.stems):
            return None
        if len(term.stems) == 1:
            first = positions[term.stems[0]][0]
            return first.clause, frozenset(t.position for t in positions[term.stems[0]])
        window = len(term.stems) + PHRASE_SLACK
        for anchor in positions[term.stems[0]]:
            used = [anchor.position]
            for s in term.stems[1:]:
                near = [
                    t.position for t in positions[s] if abs(t.position - anchor.position) < window
                ]
                if not near:
                    break
                used.append(near[0])
            else:
                return anchor.clause, frozenset(used)
        return None


@lru_cache(maxsize=50_000)
def _correct_cached(lexicon: Lexicon, word: str) -> str | None:
    limit = typo_tolerance(len(word))
    best: tuple[int, str] | None = None
    for candidate, candidate_stem in lexicon.fuzzy_candidates.get(word[0], []):
        allowed = min(limit, typo_tolerance(len(candidate)))
        if allowed == 0:
            continue
        distance = bounded_levenshtein(word, candidate, allowed)
        if distance <= allowed and (best is None or distance < best[0]):
            best = (distance, candidate_stem)
    return best[1] if best else None
