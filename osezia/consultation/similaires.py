"""Proposals similar to the one a participant is typing (pure Python and numpy, no Django).

A text is read as French by `osezia.langue.texte`: folded (no accents, lower case), split into
words, the lexicon's abbreviations replaced (« courriel » → e-mail), stop words and the
proposals' own empty words dropped (« il faut », « il faudrait »), every word stemmed. The
groups of `data/synonymes.json` are then read as one token each, the longest expression first
(« IA » and « intelligence artificielle », « former » and « formation »), and the lexicon's
notions add their own token beside the words (« ChatGPT », « IA générative »). A few French
derivations Snowball leaves apart are joined (« simplification » / « simplifier »).

A word that is neither French (the shipped word list) nor in the index is read as the nearest
word of the index or of the synonyms within the platform's typo rule (« formtion » →
formation); an unfinished last word is also tried completed to the three most frequent words
of the index it begins (« reconnaissance fac » → faciale, not face), the best reading wins.

Similarity is the cosine of TF-IDF vectors (unigrams, and unordered pairs of neighbouring
tokens at a quarter weight, so that word order barely matters). Nothing below `MIN_SCORE` is
suggested, nor a proposal sharing a single token with a longer text (« centre-ville » and
« centres de données »); a text with one meaningful token must reach `MIN_SCORE_SHORT`, that
is be most of a short proposal.
"""

import bisect
import json
import math
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from osezia.langue.texte import (
    STOP_WORDS,
    bounded_levenshtein,
    french_words,
    lexicon_data,
    stem,
    typo_tolerance,
    words,
)
from osezia.socle.texte import fold

SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "synonymes.json"

MIN_SCORE = 0.2
MIN_SCORE_SHORT = 0.5  # a text with a single meaningful token
MIN_SHARED = 2  # tokens a suggestion shares with a longer text
BIGRAM_WEIGHT = 0.25
MAX_LIMIT = 50
PREFIX_MIN = 3  # letters of an unfinished last word before it is completed
COMPLETIONS = 3  # completions of it tried, the most frequent words of the index first


@lru_cache(maxsize=200_000)
def root(word: str) -> str:
    """The stem of a folded word, with forms Snowball keeps apart joined: a plural as its
    singular when that is a French word (« dangers », « danger »), « -ent » of a verb as its
    infinitive (« remplacent »), « -ière », « -rice », « -ique » as their masculine, « -ation »
    (« creation » → « cre »), « -at » (« formation » → « format » → « form »), « -ifi »
    (« simplifier » → « simplif », as « simplification »)."""
    if len(word) >= 5 and word[-1] == "s" and word[:-1] in french_words():
        return root(word[:-1])
    s = stem(word)
    if (
        s == word and len(word) >= 7 and word.endswith("ent") and word[:-3] + "er" in french_words()
    ):  # Snowball keeps « remplacent », « discriminent » whole: read them as the infinitive
        s = stem(word[:-3] + "er")
    if s.endswith("ier") and len(s) >= 6:  # « infirmières » → « infirmier », as « infirmiers »
        return s[:-2]
    if s.endswith("tric") and len(s) >= 7:  # « agricultrices » meet « agriculteurs »
        return s[:-4] + "teur"
    if s.endswith("iqu") and len(s) >= 6:  # « publique » meets « public »
        return s[:-3] + "ic"
    if s.endswith("ation") and len(s) >= 7:
        return s[:-5]
    if s.endswith("at") and len(s) >= 6:
        return s[:-2]
    if s.endswith("ifi") and len(s) >= 6:
        return s[:-1]
    return s


@dataclass(frozen=True)
class Vocabulary:
    """What the engine reads texts with: replaced words, empty words, words kept whole, the
    groups' phrases (a tuple of roots → the group's token), the notions' phrases (→ their
    tokens)."""

    replacements: dict[str, tuple[str, ...]]
    stop: frozenset[str]
    exact: dict[str, str]  # words read as themselves, not stemmed
    groups: dict[tuple[str, ...], str]
    notions: dict[tuple[str, ...], tuple[str, ...]]
    words: frozenset[str]  # the single words of the synonyms, typo corrections' candidates

    @staticmethod
    def by_first(phrases: dict) -> dict[str, list[tuple[int, tuple[str, ...]]]]:
        """first root → (size, phrase), longest first."""
        out: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
        for key in phrases:
            out[key[0]].append((len(key), key))
        return {k: sorted(v, reverse=True) for k, v in out.items()}


@lru_cache(maxsize=200_000)
def _chunk_words(chunk: str) -> tuple[str, ...]:
    return tuple(words(chunk))


def split(text: str) -> list[str]:
    """`langue.texte.words`, faster on many texts: folding is per character, so folding each
    space-separated chunk once (they repeat from one proposal to the next) gives the same
    words."""
    return [w for chunk in (text or "").split() for w in _chunk_words(chunk)]


def _key(text: str, stop: frozenset[str], exact: dict[str, str] | None = None) -> tuple[str, ...]:
    exact = exact or {}
    return tuple(exact.get(w) or root(w) for w in words(text) if w not in stop)


def _variants(text: str, stop: frozenset[str], exact: dict[str, str]) -> set[tuple[str, ...]]:
    """The keys of an expression with each word as written and in the plural (Snowball gives
    « danger » and « dangers » two stems)."""
    keys: set[tuple[str, ...]] = {()}
    for w in words(text):
        if w not in stop:
            forms = {exact.get(f) or root(f) for f in (w, w + "s")}
            keys = {k + (f,) for k in keys for f in forms}
    return keys - {()}


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    with open(SYNONYMS_FILE, encoding="utf-8") as handle:
        data = json.load(handle)
    lexicon = lexicon_data()
    replacements = {
        fold(k): tuple(words(v)) for k, v in lexicon.get("synonymes", {}).items() if words(k)
    }
    stop = STOP_WORDS | {w for e in data["mots_vides"] for w in words(e)}
    tokens_of = [f"={'_'.join(words(group[0]))}" for group in data["groupes"]]
    # A word whose stem an earlier group already holds (« médecin » and « médecine ») keeps
    # its own form, marked so that no stem can equal it.
    owner: dict[tuple[str, ...], str] = {}
    exact: dict[str, str] = {}
    for token, group in zip(tokens_of, data["groupes"], strict=True):
        for expression in group:
            key = _key(expression, stop)
            if key and owner.setdefault(key, token) != token and len(key) == 1:
                (word,) = [w for w in words(expression) if w not in stop]
                exact.update({word: word + "'", word + "s": word + "'"})
    groups: dict[tuple[str, ...], str] = {}
    single_words: set[str] = set()
    for token, group in zip(tokens_of, data["groupes"], strict=True):
        for expression in group:
            for key in sorted(_variants(expression, stop, exact)):
                groups.setdefault(key, token)
            single_words.update(w for w in words(expression) if w not in stop)
    notions: dict[tuple[str, ...], tuple[str, ...]] = defaultdict(tuple)
    for code, notion in lexicon.get("notions", {}).items():
        for expression in [*notion["expressions"], *notion["dans_les_documents"]]:
            key = _key(expression, stop, exact)
            if key and f"#{code}" not in notions[key]:
                notions[key] += (f"#{code}",)
    return Vocabulary(replacements, stop, exact, groups, dict(notions), frozenset(single_words))


@lru_cache(maxsize=1)
def _starts() -> tuple[dict, dict]:
    vocab = vocabulary()
    return Vocabulary.by_first(vocab.groups), Vocabulary.by_first(vocab.notions)


@lru_cache(maxsize=200_000)
def _word_roots(word: str) -> tuple[str, ...]:
    vocab = vocabulary()
    return tuple(
        vocab.exact.get(w) or root(w)
        for w in vocab.replacements.get(word, (word,))
        if w not in vocab.stop
    )


def tokens(raw: list[str]) -> list[str]:
    """The tokens of a text already split into folded words (`split`)."""
    vocab = vocabulary()
    group_starts, notion_starts = _starts()
    roots = [r for word in raw for r in _word_roots(word)]
    out: list[str] = []
    i, n = 0, len(roots)
    while i < n:
        first = roots[i]
        for size, key in notion_starts.get(first, ()):
            if size <= n - i and (size == 1 or tuple(roots[i : i + size]) == key):
                out.extend(t for t in vocab.notions[key] if t not in out)
                break
        for size, key in group_starts.get(first, ()):
            if size <= n - i and (size == 1 or tuple(roots[i : i + size]) == key):
                out.append(vocab.groups[key])
                i += size
                break
        else:
            out.append(first)
            i += 1
    return out


def _features(toks: list[str]) -> list:
    """Tokens and unordered pairs of neighbouring tokens, with their repetitions."""
    pairs = [(a, b) if a < b else (b, a) for a, b in zip(toks, toks[1:], strict=False) if a != b]
    return toks + pairs


class Index:
    """Accepted proposals of one consultation, ready to be compared with a typed text."""

    def __init__(self, items: Iterable[tuple[int, str]]):
        self.vocab = vocabulary()
        self.ids: list[int] = []
        self.feature_ids: dict = {}
        doc_of: list[int] = []
        feature_of: list[int] = []
        word_count: Counter = Counter()
        ids = self.feature_ids
        for position, (ident, text) in enumerate(items):
            raw = split(text)
            word_count.update(set(raw))
            self.ids.append(int(ident))
            features = _features(tokens(raw))
            for f in features:
                fid = ids.get(f)
                if fid is None:
                    fid = ids[f] = len(ids)
                feature_of.append(fid)
            doc_of.extend([position] * len(features))
        if len(set(self.ids)) != len(self.ids):
            raise ValueError("Deux propositions portent le même identifiant.")
        self.size = len(self.ids)
        count = max(len(ids), 1)
        # One row per (proposal, feature), sorted by proposal then feature, with its count.
        pairs, tf = np.unique(
            np.array(doc_of, dtype=np.int64) * count + np.array(feature_of, dtype=np.int64),
            return_counts=True,
        )
        docs, feats = pairs // count, pairs % count
        self.idf = np.log((self.size + 1) / (np.bincount(feats, minlength=count) + 1)) + 1.0
        self.factor = np.ones(count)
        self.factor[[fid for f, fid in ids.items() if type(f) is tuple]] = BIGRAM_WEIGHT
        weights = (1.0 + np.log(tf)) * self.idf[feats] * self.factor[feats]
        norms = np.sqrt(np.bincount(docs, weights * weights, minlength=self.size))
        weights /= np.where(norms > 0, norms, 1.0)[docs]
        order = np.argsort(feats, kind="stable")  # by feature, proposals ascending
        self.posting_docs = docs[order].astype(np.int32)
        self.posting_weights = weights[order]
        self.starts = np.concatenate(([0], np.cumsum(np.bincount(feats, minlength=count))))
        self.id_array = np.array(self.ids, dtype=np.int64)
        # The words typo corrections and completions may lead to.
        self.word_count = word_count
        self.known = frozenset(word_count)
        self.sorted_words = sorted(word_count)
        self.fuzzy: dict[str, list[str]] = defaultdict(list)
        french_words()  # loaded once per process, here rather than at the first keystroke
        for word in sorted(self.known | self.vocab.words):
            if len(word) >= 5 and word not in self.vocab.stop:
                self.fuzzy[word[0]].append(word)

    def _correct(self, word: str) -> str:
        """The index's (or the synonyms') word a misspelt word stands for, if one is close."""
        if (
            len(word) < 5
            or word in self.known
            or word in self.vocab.words
            or word in self.vocab.stop
            or word in self.vocab.replacements
            or word in french_words()
        ):
            return word
        limit = typo_tolerance(len(word))
        best: tuple[int, int, str] | None = None
        for candidate in self.fuzzy.get(word[0], ()):
            allowed = min(limit, typo_tolerance(len(candidate)))
            if abs(len(candidate) - len(word)) > allowed:
                continue
            distance = bounded_levenshtein(word, candidate, allowed)
            if distance <= allowed:
                rank = (distance, -self.word_count.get(candidate, 0), candidate)
                best = rank if best is None or rank < best else best
        return best[2] if best else word

    def _completions(self, word: str) -> list[str]:
        """The words of the index an unfinished last word may begin, most frequent first."""
        if len(word) < PREFIX_MIN or word in self.known or word in self.vocab.words:
            return []
        start = bisect.bisect_left(self.sorted_words, word)
        found = []
        for candidate in self.sorted_words[start : start + 500]:
            if not candidate.startswith(word):
                break
            found.append(candidate)
        found.sort(key=lambda w: (-self.word_count[w], w))
        return found[:COMPLETIONS]

    def readings(self, text: str) -> list[list[str]]:
        """The tokens of a typed text, typos corrected: as typed, then with each likely
        completion of an unfinished last word (the text does not end with a space)."""
        raw = [self._correct(w) for w in split(text)]
        readings = [tokens(raw)]
        if raw and text and text[-1].isalnum():
            readings += [tokens(raw[:-1] + [word]) for word in self._completions(raw[-1])]
        return readings

    def similar(
        self, text: str, limit: int = 10, exclude: Collection[int] = ()
    ) -> list[tuple[int, float]]:
        """Up to `limit` (id, score) of the proposals closest to text, best first; scores in
        [0, 1], rounded to 3 decimals, ties by id ascending. With an unfinished last word,
        the reading whose best suggestion scores highest wins (the first on a tie)."""
        if limit <= 0 or not self.size:
            return []
        limit = min(limit, MAX_LIMIT)
        excluded = np.fromiter(exclude, dtype=np.int64) if exclude else None
        best: list[tuple[int, float]] = []
        for toks in self.readings(text or ""):
            result = self._rank(toks, limit, excluded)
            if result and (not best or result[0][1] > best[0][1]):
                best = result
        return best

    def _rank(self, toks: list[str], limit: int, excluded) -> list[tuple[int, float]]:
        if not toks:
            return []
        features = Counter(_features(toks))
        query: dict[int, float] = {}
        unknown = 0.0
        for f, tf in features.items():
            fid = self.feature_ids.get(f)
            weight = 1.0 + math.log(tf)
            if fid is None:  # in no proposal: weighs as the rarest, matches nothing
                idf = math.log(self.size + 1) + 1.0
                unknown += (weight * idf * (BIGRAM_WEIGHT if type(f) is tuple else 1.0)) ** 2
            else:
                query[fid] = weight * self.idf[fid] * self.factor[fid]
        norm = math.sqrt(unknown + sum(w * w for w in query.values()))
        scores = np.zeros(self.size)
        shared = np.zeros(self.size, dtype=np.int32)
        for fid, w in query.items():
            start, end = self.starts[fid], self.starts[fid + 1]
            docs = self.posting_docs[start:end]
            scores[docs] += self.posting_weights[start:end] * (w / norm)
            if self.factor[fid] == 1.0:
                shared[docs] += 1
        rounded = np.minimum(np.round(scores, 3), 1.0)
        if len(set(toks)) < 2:
            candidates = np.flatnonzero(rounded >= MIN_SCORE_SHORT)
        else:
            candidates = np.flatnonzero((rounded >= MIN_SCORE) & (shared >= MIN_SHARED))
        if excluded is not None:
            candidates = candidates[~np.isin(self.id_array[candidates], excluded)]
        order = candidates[np.lexsort((self.id_array[candidates], -rounded[candidates]))]
        return [(self.ids[p], float(rounded[p])) for p in order[:limit]]
