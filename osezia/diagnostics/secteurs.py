"""Which activity a text names (pure Python): the words of the NAF labels (every level) and of
the sector knowledge's activity names, each tied to the NAF divisions it names. A training
titled « Artisans du bâtiment : devis… » names construction; one titled « Écrire plus vite
avec un assistant » names none. The recommendations of a diagnostic rank what names another
activity than the company's below what is generic (`fit`).

Only distinctive words count: a word found in the labels of more than MAX_DIVISIONS divisions
(« fabrication », « commerce », « services »), a French or trade stop word, a reviewed word
that titles use for people or methods (NOT_ACTIVITIES), a word of the terms of several
use-case families (« données », « documents »), or a word of the lexicon's terms for the
text's own use-case families (« maintenance » in a training on
predictive maintenance: it says what is done, not for whom) names no activity. Words match by a common beginning of PREFIX letters (« tourisme »,
« touristique »), shorter words by their Snowball stem. Only the head of a title (before its
colon, where trainings say for whom they are) is read.
"""

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from osezia.langue.texte import STOP_WORDS, lexicon_data, stem, words
from osezia.socle.texte import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
REFERENTIELS_DIR = Path(__file__).resolve().parents[1] / "referentiels" / "data"
MAX_DIVISIONS = 3
MAX_FAMILIES = 1  # a word of the terms of two use-case families or more says what is done
# Words the NAF labels use for an activity but that a training title uses for people, methods
# or the job market (« Premiers pas », « Retour à l'emploi », « à distance », « modèles de
# langage », « Bureaux d'études »): reviewed, they never name the company's activity.
NOT_ACTIVITIES = frozenset(
    [
        "agents",
        "concepteur",
        "distance",
        "diffuser",
        "donnees",
        "emploi",
        "entreprises",
        "entretiens",
        "etudes",
        "langage",
        "mesurer",
        "modeles",
        "oeuvre",
        "operateur",
        "operateurs",
        "premiers",
        "professionnel",
        "professionnels",
        "publics",
        "services",
        "sous",
    ]
)
PREFIX = 6
MIN_LENGTH = 4

OWN, GENERIC, OTHER = "propre", "generique", "autre"


@dataclass(frozen=True)
class Fit:
    kind: str  # OWN: names the company's activity; GENERIC: names none; OTHER: only others
    words: tuple[str, ...] = ()  # the words of the text that name another activity

    @property
    def rank(self) -> int:
        return {OWN: 0, GENERIC: 1, OTHER: 2}[self.kind]


def _key(word: str) -> str:
    """A word's key: its first PREFIX letters when it is long enough (« bâtiment » and
    « bâtiments », « tourisme » and « touristique »), else its stem."""
    return word[:PREFIX] if len(word) >= PREFIX else stem(word)


def head(title: str) -> str:
    """The part of a title that says for whom (« Artisans du bâtiment » in « Artisans du
    bâtiment : devis… »); the whole title when it has no such part."""
    return title.split(":", 1)[0] if ":" in title else title


def _division(code: str, parent: dict[str, str | None]) -> str | None:
    while code:
        if len(code) == 2 and code.isdigit():
            return code
        code = parent.get(code)
    return None


class SectorWords:
    def __init__(self, labels: dict[str, str], parent: dict[str, str | None], extra: dict):
        lexicon = lexicon_data()
        ignored = (
            set(STOP_WORDS) | {fold(w) for w in lexicon.get("mots_vides_metier", [])}
        ) | NOT_ACTIVITIES
        self.family_keys = {
            family: frozenset(_key(w) for term in entry["termes"] for w in words(term["texte"]))
            for family, entry in lexicon["familles"].items()
        }
        spread: dict[str, int] = {}
        for keys in self.family_keys.values():
            for key in keys:
                spread[key] = spread.get(key, 0) + 1
        task_words = {key for key, n in spread.items() if n > MAX_FAMILIES}
        named: dict[str, set[str]] = {}

        def add(text: str, division: str | None) -> None:
            if division is None:
                return
            for word in words(text):
                if len(word) < MIN_LENGTH or word in ignored:
                    continue
                named.setdefault(_key(word), set()).add(division)

        for code, label in labels.items():
            add(label, _division(code, parent))
        for code, entry in extra.get("divisions", {}).items():
            add(entry["activite"], code)
        for code, entry in extra.get("precisions", {}).items():
            add(entry["activite"], _division(code, parent))
        # Everyday words for an activity that the NAF labels lack (« BTP », « éleveurs »):
        # reviewed, tied to their divisions; short acronyms count only from this list.
        self.short_words = set()
        for code, texts in extra.get("mots_activite", {}).items():
            if code.startswith("_"):
                continue
            for text in texts:
                for word in words(text):
                    if word in ignored:
                        continue
                    if len(word) < MIN_LENGTH:
                        self.short_words.add(word)
                    named.setdefault(_key(word), set()).add(code)
        self.ignored = ignored
        self.named = {
            key: frozenset(divisions)
            for key, divisions in named.items()
            if len(divisions) <= MAX_DIVISIONS and key not in task_words
        }
        self.parent = parent

    @classmethod
    def load(cls) -> "SectorWords":
        labels, parent = {}, {}
        with open(REFERENTIELS_DIR / "naf_rev2_all_levels.csv", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                labels[row["code"]] = row["libelle"]
                parent[row["code"]] = row["parent"] or None
        with open(DATA_DIR / "secteurs.json", encoding="utf-8") as handle:
            extra = json.load(handle)
        return cls(labels, parent, extra)

    def fit(self, text: str, naf_chain: tuple[str, ...], families=()) -> Fit:
        """How a text (a training's title: its head, see `head`) fits the company of this NAF
        chain; the words of the text's own use-case families (`families`, their lexicon terms)
        say what is done, not for whom, and name no activity."""
        own = next((c for c in naf_chain if len(c) == 2 and c.isdigit()), None)
        task = set().union(*(self.family_keys.get(f, frozenset()) for f in families))
        others = []
        for word in words(head(text)):
            short = len(word) < MIN_LENGTH and word not in self.short_words
            if short or word in self.ignored or _key(word) in task:
                continue
            divisions = self.named.get(_key(word))
            if not divisions:
                continue
            if own in divisions:
                return Fit(OWN)
            others.append(word)
        return Fit(OTHER, tuple(dict.fromkeys(others))) if others else Fit(GENERIC)


@lru_cache(maxsize=1)
def sector_words() -> SectorWords:
    return SectorWords.load()


def fit(text: str, naf_chain: tuple[str, ...], families=()) -> Fit:
    return sector_words().fit(text, naf_chain, families)
