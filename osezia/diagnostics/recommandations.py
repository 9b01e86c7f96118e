"""The recommendations hub: for a company and its diagnostic, ask every module what it offers.

Each module answers through one small interface: a `recommandations.py` in its app with a
`Fournisseur` whose `recommander(contexte)` returns `Recommandation`s. A module not built yet
answers nothing, and the results page says so plainly.
"""

import importlib
import logging
from dataclasses import dataclass, field

from osezia.recherche.services import SearchUnavailable

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Contexte:
    naf: str
    naf_chain: tuple[str, ...]
    section: str
    categorie_taille: str
    departement: str | None
    region: str | None
    cas_usage: tuple[dict, ...]
    public: str = "DIRIGEANT"
    entreprise_id: int | None = None
    budget_max_eur_mois: int | None = None  # the leader's stated monthly budget, if any
    hebergements: tuple[str, ...] = ()  # accepted hosting (france, ue, hors_ue); empty: any


@dataclass(frozen=True)
class Recommandation:
    titre: str
    description: str
    famille: str | None = None
    url: str | None = None
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Module:
    code: str
    titre: str
    chemin: str  # the module that answers
    a_venir: str  # what the page says while the module is not built


MODULES = (
    Module(
        "catalogue",
        "Solutions prêtes à déployer",
        "osezia.catalogue.recommandations",
        "Le catalogue de solutions n'est pas encore ouvert : les solutions de chaque famille de cas d'usage y figureront.",
    ),
    Module(
        "academie",
        "Formations de l'Académie de l'IA",
        "osezia.academie.recommandations",
        "L'Académie de l'IA n'est pas encore ouverte sur la plateforme : les formations adaptées à votre public y figureront.",
    ),
    Module(
        "financements",
        "Financements et programmes",
        "osezia.programmes.recommandations",
        "Les financements ne sont pas encore disponibles.",
    ),
    Module(
        "ambassadeurs",
        "Votre ambassadeur IA",
        "osezia.ambassadeurs.recommandations",
        "Le réseau des ambassadeurs IA n'est pas encore ouvert sur la plateforme : l'ambassadeur de votre région y figurera.",
    ),
    Module(
        "evenements",
        "Prochaine rencontre d'affaires",
        "osezia.evenements.recommandations",
        "Les rencontres d'affaires ne sont pas encore ouvertes sur la plateforme : la prochaine près de chez vous y figurera.",
    ),
)


@dataclass(frozen=True)
class Reponse:
    module: Module
    disponible: bool
    recommandations: list[Recommandation]
    momentanement_indisponible: bool = False  # the module answers from a search index that is down


def _provider(module: Module):
    try:
        return importlib.import_module(module.chemin).Fournisseur()
    except ModuleNotFoundError:
        return None


def recommend(contexte: Contexte) -> list[Reponse]:
    answers = []
    for module in MODULES:
        provider = _provider(module)
        if provider is None:
            answers.append(Reponse(module, False, []))
            continue
        try:
            answers.append(Reponse(module, True, list(provider.recommander(contexte))))
        except SearchUnavailable:
            # The results stay readable without the suggestions that need the search index.
            logger.warning("Recommandations « %s » sans l'index de recherche", module.code)
            answers.append(Reponse(module, True, [], momentanement_indisponible=True))
    return answers


def context_for(
    diagnostic, budget_max_eur_mois: int | None = None, hebergements: tuple[str, ...] = ()
) -> Contexte:
    naf = diagnostic.naf
    chain = tuple(n.code for n in naf.ancetres())
    departement = diagnostic.departement
    return Contexte(
        naf=naf.code,
        naf_chain=chain,
        section=naf.section,
        categorie_taille=diagnostic.categorie_taille,
        departement=departement.code if departement else None,
        region=departement.region_id if departement else None,
        cas_usage=tuple(diagnostic.cas_usage),
        entreprise_id=diagnostic.entreprise_id,
        budget_max_eur_mois=budget_max_eur_mois,
        hebergements=hebergements,
    )
