"""The recommendations hub: for a company and its diagnostic, ask every module what it offers.

`diagnostics` sits below the modules in the import order, so it never imports them: each
module registers, from its `AppConfig.ready()`, one `SourceRecommandation` (its
`recommandations.py`), whose `recommander(contexte)` returns `Recommandation`s. The hub
announces the sections the plan promises (`RUBRIQUES`, in the order of the results page); a
section whose module has registered is open, any other says plainly that it is not open yet.
A module the hub does not announce gets its own section after those, under its own title.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

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
    niveau: str | None = None  # the diagnostic's maturity level code, None without answers
    effectif: int | None = None  # the company's headcount


@dataclass(frozen=True)
class Recommandation:
    titre: str
    description: str
    famille: str | None = None
    url: str | None = None
    details: dict = field(default_factory=dict)


class SourceRecommandation(Protocol):
    """What a module registers: the code of its section, its title, and its answer."""

    code: str
    titre: str

    def recommander(self, contexte: Contexte) -> Iterable[Recommandation]: ...


@dataclass(frozen=True)
class Rubrique:
    """A section the plan announces on the results page."""

    code: str
    titre: str  # shown while not open; an open section shows its source's title
    promesse: str  # what it will show once its module is open


RUBRIQUES = (
    Rubrique(
        "catalogue",
        "Solutions prêtes à déployer",
        "les solutions de chaque famille de cas d'usage y figureront",
    ),
    Rubrique(
        "academie",
        "Formations de l'Académie de l'IA",
        "les formations adaptées à votre public y figureront",
    ),
    Rubrique(
        "financements",
        "Financements et programmes",
        "les financements auxquels votre entreprise peut prétendre y figureront",
    ),
    Rubrique("ambassadeurs", "Votre ambassadeur IA", "l'ambassadeur de votre région y figurera"),
    Rubrique(
        "evenements",
        "Prochaine rencontre d'affaires",
        "la prochaine rencontre près de chez vous y figurera",
    ),
)

_SOURCES: dict[str, SourceRecommandation] = {}


def register(source: SourceRecommandation) -> None:
    """Called by a module from its `AppConfig.ready()`. The same module registering again
    replaces its source; another module cannot take a section already answered."""
    if not source.code or not source.titre:
        raise ValueError("Une source de recommandations a un code et un titre.")
    current = _SOURCES.get(source.code)
    if current is not None and type(current) is not type(source):
        raise ValueError(f"La rubrique « {source.code} » a déjà sa source : {type(current)!r}.")
    _SOURCES[source.code] = source


def registered() -> dict[str, SourceRecommandation]:
    return dict(_SOURCES)


@dataclass(frozen=True)
class Module:
    """A section of the answer, as the results page shows it."""

    code: str
    titre: str
    a_venir: str = ""  # what the page says while no module answers; empty once open


def not_open_text(rubrique: Rubrique) -> str:
    return f"Ce module n'est pas encore ouvert sur la plateforme : {rubrique.promesse}."


@dataclass(frozen=True)
class Reponse:
    module: Module
    disponible: bool
    recommandations: list[Recommandation]
    momentanement_indisponible: bool = False  # the module answers from a search index that is down


def _ask(source: SourceRecommandation, module: Module, contexte: Contexte) -> Reponse:
    try:
        return Reponse(module, True, list(source.recommander(contexte)))
    except SearchUnavailable:
        # The results stay readable without the suggestions that need the search index.
        logger.warning("Recommandations « %s » sans l'index de recherche", module.code)
        return Reponse(module, True, [], momentanement_indisponible=True)


def recommend(contexte: Contexte) -> list[Reponse]:
    sources = registered()
    answers = []
    for rubrique in RUBRIQUES:
        source = sources.pop(rubrique.code, None)
        if source is None:
            module = Module(rubrique.code, rubrique.titre, not_open_text(rubrique))
            answers.append(Reponse(module, False, []))
        else:
            answers.append(_ask(source, Module(rubrique.code, source.titre), contexte))
    for source in sources.values():
        answers.append(_ask(source, Module(source.code, source.titre), contexte))
    return answers


def ready_tools(size: str, naf_chain: tuple[str, ...]) -> dict[str, int] | None:
    """How many published ready-to-use solutions each family has for this size and sector, as
    the module answering the « catalogue » section counts them (its source's optional
    `solutions_pretes(taille, secteur_chain)`); None when no module knows (no catalogue
    registered, or its search index is down): the engine then falls back on the families'
    complexity. Used by the engine's priority rule (docs/diagnostic.md)."""
    source = _SOURCES.get("catalogue")
    count = getattr(source, "solutions_pretes", None)
    if count is None:
        return None
    try:
        return dict(count(size, tuple(naf_chain)))
    except SearchUnavailable:
        logger.warning("Solutions prêtes à l'emploi inconnues : index de recherche indisponible")
        return None


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
        niveau=diagnostic.niveau or None,
        effectif=diagnostic.effectif,
    )
