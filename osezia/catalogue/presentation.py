"""A solution's content as people read it: every code of `referentiels.codes` turned into its
French label, prices written in French. Pages (solution, comparison, moderation, provider
space) and e-mails show these texts, never the stored codes."""

from osezia.referentiels import codes

from .format import euros

# The history's actions (EvenementSolution.action), as read in the history table.
ACTIONS = {
    "creation": "Création",
    "modification": "Modification",
    "soumission": "Soumission à la modération",
    "publication": "Publication",
    "refus": "Refus",
    "retrait": "Retrait du catalogue",
    "import": "Import par un opérateur",
}


def _label(kind: str, code: str, short: bool = False) -> str:
    try:
        return codes.label(kind, code, short=short)
    except KeyError:  # a code retired from the lists since: shown as stored
        return code


def _labels(kind: str, values, short: bool = False) -> list[str]:
    return [_label(kind, v, short) for v in values or []]


def price(content: dict) -> str:
    """« Abonnement : de 29 € à 99 € par mois », « Sur devis », « Licence : à partir de 50 € par
    mois »."""
    model = _label("modele_tarif", content.get("tarif_modele") or "")
    low, high = content.get("tarif_min_eur_mois"), content.get("tarif_max_eur_mois")
    if low is not None and high is not None:
        amount = euros(low) if low == high else f"de {euros(low)} à {euros(high)}"
    elif low is not None:
        amount = f"à partir de {euros(low)}"
    elif high is not None:
        amount = f"jusqu'à {euros(high)}"
    else:
        return model
    return f"{model} : {amount} par mois"


def action(code: str) -> str:
    return ACTIONS.get(code, code)


def describe(content: dict) -> dict:
    """The labels of a version's content, for a template (`d.prix`, `d.familles`…)."""
    return {
        "prix": price(content),
        "familles": _labels("famille", content.get("familles"), short=True),
        "tailles": _labels("taille", content.get("tailles")),
        "deploiement": _labels("deploiement", content.get("deploiement")),
        "hebergement": _label("hebergement", content.get("hebergement") or ""),
        "risque_ia_act": _label("risque_ia_act", content.get("risque_ia_act") or ""),
        "certifications": list(content.get("certifications") or []),
        "modeles_ia": list(content.get("modeles_ia") or []),
        "langues": list(content.get("langues") or []),
        "rgpd_dpa": "oui" if content.get("rgpd_dpa") else "non",
    }
