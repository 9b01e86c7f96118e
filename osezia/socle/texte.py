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


_ARTICLE = re.compile(r"^(les|le|la)\s+(.+)$|^(l)['’]\s*(.+)$", re.IGNORECASE | re.DOTALL)
_VOWEL_START = re.compile(r"^[aeiouàâäéèêëîïôöùûüœæ]", re.IGNORECASE)


def de(nom: str) -> str:
    """« de » before an organisation's name, contracted or elided as French writes it:
    « Le Fournil de Gwen » → « du Fournil de Gwen », « Les Jardins » → « des Jardins »,
    « La Forge » → « de la Forge », « L'Atelier » → « de l'Atelier », « Atelier Roux » →
    « d'Atelier Roux », « Morel SA » → « de Morel SA ». (No elision before « h », which may be
    aspirated: « de Hachette ».)"""
    nom = (nom or "").strip()
    match = _ARTICLE.match(nom)
    if match:
        article, rest = (
            (match.group(1), match.group(2)) if match.group(1) else ("l'", match.group(4))
        )
        article = article.lower()
        if article == "le":
            return f"du {rest}"
        if article == "les":
            return f"des {rest}"
        return f"de {article} {rest}" if article == "la" else f"de l'{rest}"
    if _VOWEL_START.match(nom):
        return f"d'{nom}"
    return f"de {nom}"
