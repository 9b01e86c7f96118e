"""Text helpers shared by every module (pure Python, no Django)."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case and strip accents: « Boulangerie-Pâtisserie » → « boulangerie-patisserie »."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("œ", "oe").replace("æ", "ae").lower()


def search_key(text: str) -> str:
    """A folded form where every run of punctuation becomes one space, for substring search."""
    return " ".join(_NON_ALNUM.sub(" ", fold(text)).split())
