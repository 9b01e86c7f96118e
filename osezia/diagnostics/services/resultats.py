"""Scoring and use cases of a profile and its answers (the quick assessment, a stored
diagnostic), and reading completed diagnostics: history, comparison, peers."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, OuterRef, Subquery

from osezia.entreprises.models import Entreprise

from .. import recommandations, scoring
from ..engine import Company, Engine, default_knowledge
from ..models import Diagnostic
from ..questionnaire import Questionnaire as QuestionnaireData
from .profils import validate_profile
from .questionnaires import current_questionnaire, questionnaire_data

PEERS_MINIMUM = 5
UNKNOWN = "inconnu"  # key of a ready-tools cache once the catalogue could not answer


def validate_answers(data: QuestionnaireData, raw: dict | None) -> scoring.Answers:
    try:
        return scoring.validate_answers(data, raw)
    except scoring.InvalidAnswers as exc:
        errors = dict(exc.by_question)
        if exc.general:
            errors["reponses"] = exc.general
        raise ValidationError(errors) from exc


@dataclass(frozen=True)
class Resultat:
    maturite: scoring.Maturity | None
    cas_usage: list[dict]


def evaluate(
    data: QuestionnaireData,
    profil_naf: str,
    size: str,
    departement: str | None,
    description: str,
    answers: scoring.Answers,
    engine: Engine | None = None,
    ready_tools: dict[str, int] | None = None,
) -> Resultat:
    maturite = scoring.maturity(data, answers)
    company = Company(
        naf=profil_naf,
        size=size,
        department=departement,
        description=description,
        maturity=maturite.dimensions if maturite else None,
        priorities=scoring.priority_signals(data, answers),
        usages=scoring.usage_stages(data, answers),
        usage_labels=scoring.usage_labels(data, answers),
        ready_tools=ready_tools,
    )
    ranked = (engine or Engine(default_knowledge())).evaluate(company)
    return Resultat(maturite, [u.as_dict() for u in ranked])


def quick_assessment(
    naf, effectif, chiffre_affaires_eur=None, departement=None, description="", reponses=None
) -> dict:
    """The anonymous one-shot assessment of the API: nothing is stored."""
    profil = validate_profile(naf, effectif, chiffre_affaires_eur, departement, description)
    questionnaire = current_questionnaire()
    data = questionnaire_data(questionnaire)
    answers = validate_answers(data, reponses)
    result = evaluate(
        data,
        profil.naf,
        profil.taille.categorie,
        profil.departement,
        profil.description,
        answers,
        ready_tools=recommandations.ready_tools(profil.taille.categorie, naf_chain(profil.naf)),
    )
    return {
        "categorie_taille": profil.taille.categorie,
        "estimation_taille": profil.taille.estimation,
        "questionnaire_version": questionnaire.version,
        "maturite": _maturity_dict(result.maturite),
        "cas_usage": result.cas_usage,
    }


def naf_chain(code: str) -> tuple[str, ...]:
    """The code and its parents, most specific first (from the per-process NAF index)."""
    return tuple(default_knowledge().chain(code))


def _maturity_dict(maturite: scoring.Maturity | None) -> dict | None:
    if maturite is None:
        return None
    return {"global": maturite.overall, "niveau": maturite.level, "dimensions": maturite.dimensions}


def answers_of(diagnostic: Diagnostic) -> scoring.Answers:
    return {code: tuple(values) for code, values in diagnostic.reponses.items()}


def evaluate_diagnostic(
    diagnostic: Diagnostic, engine: Engine | None = None, ready_cache: dict | None = None
) -> Resultat:
    """Scoring and use cases of a stored diagnostic, against its own questionnaire version.
    `ready_cache` keeps the catalogue's ready-to-use counts by (size, sector) across calls (a
    re-scoring run asks the index once per pair)."""
    chain = naf_chain(diagnostic.naf_id)
    key = (diagnostic.categorie_taille, chain)
    if ready_cache is not None and (key in ready_cache or UNKNOWN in ready_cache):
        ready = ready_cache.get(key)
    else:
        ready = recommandations.ready_tools(diagnostic.categorie_taille, chain)
        if ready_cache is not None:
            # Unknown once (no catalogue, index down): unknown for the rest of the run.
            ready_cache[UNKNOWN if ready is None else key] = ready
    return evaluate(
        questionnaire_data(diagnostic.questionnaire),
        diagnostic.naf_id,
        diagnostic.categorie_taille,
        diagnostic.departement_id,
        diagnostic.description,
        answers_of(diagnostic),
        engine,
        ready_tools=ready,
    )


def store_results(diagnostic: Diagnostic, result: Resultat) -> None:
    if result.maturite:
        diagnostic.score_global = result.maturite.overall
        diagnostic.niveau = result.maturite.level
        for dimension, field in Diagnostic.DIMENSION_FIELDS.items():
            setattr(diagnostic, field, result.maturite.dimensions[dimension])
    diagnostic.cas_usage = result.cas_usage


# Reading ------------------------------------------------------------------------------


def history(entreprise: Entreprise):
    return Diagnostic.objects.filter(
        entreprise=entreprise, statut=Diagnostic.Statut.TERMINE
    ).order_by("-termine_le")


def compare(before: Diagnostic, after: Diagnostic) -> dict:
    """What changed between two completed diagnostics of a company."""
    dims = []
    for dimension, field in Diagnostic.DIMENSION_FIELDS.items():
        a, b = getattr(before, field), getattr(after, field)
        dims.append(
            {
                "dimension": dimension,
                "avant": a,
                "apres": b,
                "ecart": None if a is None or b is None else b - a,
            }
        )
    top_before = [u["famille"] for u in before.cas_usage[:5]]
    top_after = [u["famille"] for u in after.cas_usage[:5]]
    return {
        "dimensions": dims,
        "global": {
            "avant": before.score_global,
            "apres": after.score_global,
            "ecart": None
            if before.score_global is None or after.score_global is None
            else after.score_global - before.score_global,
        },
        "niveau": {"avant": before.niveau, "apres": after.niveau},
        "entrees": [f for f in top_after if f not in top_before],
        "sorties": [f for f in top_before if f not in top_after],
    }


def peers(diagnostic: Diagnostic) -> dict | None:
    """Averages of the other companies of the same size and NAF section (latest completed
    diagnostic of each), only when at least PEERS_MINIMUM exist: no single company shows."""
    section = diagnostic.naf.section
    latest = (
        Diagnostic.objects.filter(
            entreprise=OuterRef("entreprise"),
            statut=Diagnostic.Statut.TERMINE,
            score_global__isnull=False,
        )
        .order_by("-termine_le")
        .values("pk")[:1]
    )
    queryset = Diagnostic.objects.filter(
        statut=Diagnostic.Statut.TERMINE,
        score_global__isnull=False,
        entreprise__isnull=False,
        categorie_taille=diagnostic.categorie_taille,
        naf__section=section,
        pk=Subquery(latest),
    )
    if diagnostic.entreprise_id:
        queryset = queryset.exclude(entreprise_id=diagnostic.entreprise_id)
    aggregates = queryset.aggregate(
        n=Count("pk"),
        score_global=Avg("score_global"),
        **{field: Avg(field) for field in Diagnostic.DIMENSION_FIELDS.values()},
    )
    if aggregates["n"] < PEERS_MINIMUM:
        return None
    return {
        "nombre": aggregates["n"],
        "section": section,
        "categorie_taille": diagnostic.categorie_taille,
        "global": round(aggregates["score_global"]),
        "dimensions": {d: round(aggregates[f]) for d, f in Diagnostic.DIMENSION_FIELDS.items()},
    }
