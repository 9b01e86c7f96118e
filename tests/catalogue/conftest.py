import copy

import pytest
from stdnum import luhn


def siren(n: int) -> str:
    base = f"{60000000 + n:08d}"
    return base + luhn.calc_check_digit(base)


LINE = {
    "id_externe": "devis-express",
    "nom": "Devis Express",
    "fournisseur": {"nom": "Essai Logiciels (fictif)", "siren": siren(1)},
    "resume": "Des devis de travaux rédigés en deux minutes pour les artisans.",
    "description": "Dictez vos relevés de chantier : l'outil rédige et chiffre le devis avec votre bibliothèque de prix.",
    "familles": ["VENTE", "REDACTION"],
    "secteurs": ["43"],
    "tailles": ["TPE", "PME"],
    "tarif": {"modele": "abonnement", "min_eur_mois": 29, "max_eur_mois": 99},
    "deploiement": ["saas"],
    "hebergement": "france",
    "risque_ia_act": "minimal",
    "langues": ["fr"],
    "site_web": "https://devis-express.example.fr",
    "contact": {"email": "contact@devis-express.example.fr", "telephone": ""},
}


@pytest.fixture
def line():
    return copy.deepcopy(LINE)


def make_line(**overrides):
    data = copy.deepcopy(LINE)
    data.update(overrides)
    return data
