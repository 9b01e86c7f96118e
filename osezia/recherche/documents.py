"""What every module's index documents share (read by the `indexation` module of each)."""

from functools import lru_cache

from osezia.langue.texte import family_terms
from osezia.referentiels import codes


@lru_cache(maxsize=1)
def family_vocabulary() -> dict[str, str]:
    """For each use-case family: its labels and the words leaders use for it (from the
    reviewed lexicon), so that a search finds a document by words its text does not use."""
    labels = {f["code"]: f for f in codes.entries("famille")}
    vocabulary = {}
    for code, terms in family_terms().items():
        vocabulary[code] = " ; ".join([labels[code]["libelle"], labels[code]["court"], *terms])
    return vocabulary


def vocabulary_of(familles) -> list[str]:
    """The family vocabulary of these families (unknown codes give nothing)."""
    vocabulary = family_vocabulary()
    return [vocabulary[f] for f in familles if f in vocabulary]
