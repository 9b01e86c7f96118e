"""Self-diagnostic use cases: questionnaire versions, quick assessment, the step-by-step
diagnostic, results, peers, history, re-scoring. The bridge between the ORM and the pure
`scoring` and `engine` modules."""

import json
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Avg, Count, OuterRef, Subquery
from django.utils import timezone

from osezia.entreprises import taille
from osezia.entreprises.models import Entreprise
from osezia.referentiels.queries import departement_regions, naf_index

from . import scoring
from .engine import Company, Engine, default_knowledge
from .models import Diagnostic, Questionnaire
from .questionnaire import Questionnaire as QuestionnaireData

DATA_DIR = Path(__file__).resolve().parent / "data"
MAX_DESCRIPTION = 5000
PEERS_MINIMUM = 5


# Questionnaire versions ---------------------------------------------------------------


@transaction.atomic
def load_questionnaire(data: dict, publish: bool = True, apps=None) -> Questionnaire:
    """Store one questionnaire version from its JSON form; an existing version is left as is.
    Takes an `apps` registry so that the data migration can call it with historical models."""
    from django.apps import apps as global_apps

    registry = apps or global_apps
    QuestionnaireModel = registry.get_model("diagnostics", "Questionnaire")
    EtapeModel = registry.get_model("diagnostics", "Etape")
    QuestionModel = registry.get_model("diagnostics", "Question")
    OptionModel = registry.get_model("diagnostics", "Option")
    existing = QuestionnaireModel.objects.filter(version=data["version"]).first()
    if existing:
        return existing
    parsed = QuestionnaireData.from_dict(data)  # validates the structure
    questionnaire = QuestionnaireModel.objects.create(
        version=parsed.version, titre=parsed.titre, introduction=parsed.introduction, publie=publish
    )
    etapes = {}
    for ordre, etape in enumerate(parsed.etapes):
        etapes[etape.code] = EtapeModel.objects.create(
            questionnaire=questionnaire,
            code=etape.code,
            titre=etape.titre,
            description=etape.description,
            ordre=ordre,
        )
    for ordre, q in enumerate(parsed.questions):
        question = QuestionModel.objects.create(
            questionnaire=questionnaire,
            etape=etapes[q.etape],
            code=q.code,
            dimension_id=q.dimension,
            type=q.type,
            libelle=q.libelle,
            aide=q.aide,
            obligatoire=q.obligatoire,
            max_choix=q.max_choix,
            familles_usage=list(q.familles_usage),
            ordre=ordre,
        )
        OptionModel.objects.bulk_create(
            OptionModel(
                question=question,
                code=o.code,
                libelle=o.libelle,
                points=o.points,
                familles=o.familles,
                exclusif=o.exclusif,
                ordre=i,
            )
            for i, o in enumerate(q.options)
        )
    return questionnaire


def load_questionnaire_file(
    path: Path = DATA_DIR / "questionnaire_v1.json", publish: bool = True, apps=None
):
    with open(path, encoding="utf-8") as handle:
        return load_questionnaire(json.load(handle), publish=publish, apps=apps)


CURRENT_TTL_SECONDS = 30
_current: dict = {}


def current_questionnaire() -> Questionnaire:
    """The latest published version. Kept 30 s in the process (the quick assessment asks for
    it on every request); publishing a version clears it here, other processes follow within
    30 s."""
    cached = _current.get("value")
    if cached is not None and time.monotonic() - _current["at"] < CURRENT_TTL_SECONDS:
        return cached
    questionnaire = Questionnaire.objects.filter(publie=True).order_by("-version").first()
    if questionnaire is None:
        raise ValidationError("Aucun questionnaire n'est publié.")
    _current.update(value=questionnaire, at=time.monotonic())
    return questionnaire


def forget_current_questionnaire(**kwargs) -> None:
    _current.clear()


@lru_cache(maxsize=32)
def _as_data(questionnaire_id: int, version: int) -> QuestionnaireData:
    questionnaire = Questionnaire.objects.prefetch_related(
        "etapes", "questions__options", "questions__etape"
    ).get(pk=questionnaire_id)
    return QuestionnaireData.from_dict(
        {
            "version": questionnaire.version,
            "titre": questionnaire.titre,
            "introduction": questionnaire.introduction,
            "etapes": [
                {"code": e.code, "titre": e.titre, "description": e.description}
                for e in questionnaire.etapes.all()
            ],
            "questions": [
                {
                    "code": q.code,
                    "etape": q.etape.code,
                    "dimension": q.dimension_id,
                    "type": q.type,
                    "libelle": q.libelle,
                    "aide": q.aide,
                    "obligatoire": q.obligatoire,
                    "max_choix": q.max_choix,
                    "familles_usage": q.familles_usage,
                    "options": [
                        {
                            "code": o.code,
                            "libelle": o.libelle,
                            "points": o.points,
                            "familles": o.familles,
                            "exclusif": o.exclusif,
                        }
                        for o in q.options.all()
                    ],
                }
                for q in questionnaire.questions.all()
            ],
        }
    )


def questionnaire_data(questionnaire: Questionnaire) -> QuestionnaireData:
    """The pure form of a stored version (cached: a version answered once never changes)."""
    return _as_data(questionnaire.pk, questionnaire.version)


# Profile ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profil:
    naf: str
    effectif: int
    chiffre_affaires_eur: int | None
    departement: str | None
    description: str
    taille: taille.SizeResult


def validate_profile(
    naf: str,
    effectif,
    chiffre_affaires_eur=None,
    departement: str | None = None,
    description: str = "",
) -> Profil:
    """Check a company profile against the reference data (read from the per-process index:
    no query on the hot path of the quick assessment)."""
    errors: dict[str, str] = {}
    naf_code = (naf or "").strip().upper()
    if naf_code not in naf_index():
        errors["naf"] = f"« {naf} » n'est pas un code NAF rév. 2 connu (par exemple 10.71C)."
    departement_code = None
    if departement not in (None, ""):
        departement_code = str(departement).strip().upper()
        if departement_code not in departement_regions():
            errors["departement"] = f"« {departement} » n'est pas un code de département connu."
    size = None
    try:
        size = taille.size_category(effectif, chiffre_affaires_eur)
    except taille.InvalidFigures as exc:
        errors[exc.field] = str(exc)
    if description and len(description) > MAX_DESCRIPTION:
        errors["description"] = f"La description ne doit pas dépasser {MAX_DESCRIPTION} caractères."
    if errors:
        raise ValidationError(errors)
    return Profil(
        naf_code,
        effectif,
        chiffre_affaires_eur,
        departement_code,
        (description or "").strip(),
        size,
    )


def _validate_answers(data: QuestionnaireData, raw: dict | None) -> scoring.Answers:
    try:
        return scoring.validate_answers(data, raw)
    except scoring.InvalidAnswers as exc:
        raise ValidationError({"reponses": exc.errors}) from exc


# Evaluation ---------------------------------------------------------------------------


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
    answers = _validate_answers(data, reponses)
    result = evaluate(
        data,
        profil.naf,
        profil.taille.categorie,
        profil.departement,
        profil.description,
        answers,
    )
    return {
        "categorie_taille": profil.taille.categorie,
        "estimation_taille": profil.taille.estimation,
        "questionnaire_version": questionnaire.version,
        "maturite": _maturity_dict(result.maturite),
        "cas_usage": result.cas_usage,
    }


def _maturity_dict(maturite: scoring.Maturity | None) -> dict | None:
    if maturite is None:
        return None
    return {"global": maturite.overall, "niveau": maturite.level, "dimensions": maturite.dimensions}


# The step-by-step diagnostic ------------------------------------------------------------


@transaction.atomic
def start(profil: Profil, auteur=None, entreprise: Entreprise | None = None) -> Diagnostic:
    return Diagnostic.objects.create(
        jeton=secrets.token_urlsafe(32),
        questionnaire=current_questionnaire(),
        entreprise=entreprise,
        auteur=auteur if auteur is not None and auteur.is_authenticated else None,
        naf_id=profil.naf,
        effectif=profil.effectif,
        chiffre_affaires_cents=None
        if profil.chiffre_affaires_eur is None
        else profil.chiffre_affaires_eur * 100,
        categorie_taille=profil.taille.categorie,
        departement_id=profil.departement,
        description=profil.description,
    )


def profile_of(entreprise: Entreprise) -> Profil:
    return validate_profile(
        entreprise.naf_id,
        entreprise.effectif,
        entreprise.chiffre_affaires_eur,
        entreprise.departement_id,
        entreprise.description,
    )


@transaction.atomic
def save_step(
    diagnostic: Diagnostic, etape_index: int, raw: dict, advance: bool = True
) -> Diagnostic:
    """Record the answers of one step; with `advance`, every required question must be answered."""
    if diagnostic.statut == Diagnostic.Statut.TERMINE:
        raise ValidationError(
            "Ce diagnostic est terminé : commencez-en un nouveau pour le refaire."
        )
    data = questionnaire_data(diagnostic.questionnaire)
    etape = data.etapes[etape_index]
    codes = {q.code for q in data.questions_of(etape.code)}
    step_raw = {code: value for code, value in raw.items() if code in codes}
    answers = _validate_answers(data, step_raw)
    if advance:
        missing = scoring.missing_required(data, answers, etape.code)
        if missing:
            raise ValidationError(
                dict.fromkeys(missing, "Répondez à cette question pour continuer.")
            )
    merged = {k: v for k, v in diagnostic.reponses.items() if k not in codes}
    merged.update({code: list(values) for code, values in answers.items()})
    diagnostic.reponses = merged
    if advance:
        diagnostic.etape_courante = max(
            diagnostic.etape_courante, min(etape_index + 1, len(data.etapes))
        )
    diagnostic.save(update_fields=["reponses", "etape_courante"])
    return diagnostic


def _store_results(diagnostic: Diagnostic, result: Resultat) -> None:
    if result.maturite:
        diagnostic.score_global = result.maturite.overall
        diagnostic.niveau = result.maturite.level
        for dimension, field in Diagnostic.DIMENSION_FIELDS.items():
            setattr(diagnostic, field, result.maturite.dimensions[dimension])
    diagnostic.cas_usage = result.cas_usage


def _answers_of(diagnostic: Diagnostic) -> scoring.Answers:
    return {code: tuple(values) for code, values in diagnostic.reponses.items()}


def evaluate_diagnostic(diagnostic: Diagnostic, engine: Engine | None = None) -> Resultat:
    """Scoring and use cases of a stored diagnostic, against its own questionnaire version."""
    return evaluate(
        questionnaire_data(diagnostic.questionnaire),
        diagnostic.naf_id,
        diagnostic.categorie_taille,
        diagnostic.departement_id,
        diagnostic.description,
        _answers_of(diagnostic),
        engine,
    )


@transaction.atomic
def complete(diagnostic: Diagnostic) -> Diagnostic:
    data = questionnaire_data(diagnostic.questionnaire)
    answers = _answers_of(diagnostic)
    missing = scoring.missing_required(data, answers)
    if missing:
        raise ValidationError(f"{len(missing)} question(s) obligatoire(s) sans réponse.")
    result = evaluate_diagnostic(diagnostic)
    _store_results(diagnostic, result)
    diagnostic.statut = Diagnostic.Statut.TERMINE
    diagnostic.termine_le = timezone.now()
    diagnostic.save()
    return diagnostic


@transaction.atomic
def submit(
    auteur, entreprise: Entreprise, reponses: dict, description: str | None = None
) -> Diagnostic:
    """A whole diagnostic in one call (API): the company's profile, all the answers."""
    profil = profile_of(entreprise)
    if description is not None:
        profil = validate_profile(
            entreprise.naf_id,
            entreprise.effectif,
            entreprise.chiffre_affaires_eur,
            entreprise.departement_id,
            description,
        )
    diagnostic = start(profil, auteur, entreprise)
    data = questionnaire_data(diagnostic.questionnaire)
    answers = _validate_answers(data, reponses)
    missing = scoring.missing_required(data, answers)
    if missing:
        raise ValidationError(
            {"reponses": [f"Questions obligatoires sans réponse : {', '.join(missing)}."]}
        )
    diagnostic.reponses = {code: list(values) for code, values in answers.items()}
    return complete(diagnostic)


@transaction.atomic
def attach(diagnostic: Diagnostic, entreprise: Entreprise, user) -> Diagnostic:
    """Keep an anonymous diagnostic in the company the person has just registered."""
    if diagnostic.entreprise_id and diagnostic.entreprise_id != entreprise.pk:
        raise ValidationError("Ce diagnostic appartient déjà à une autre entreprise.")
    diagnostic.entreprise = entreprise
    diagnostic.auteur = diagnostic.auteur or user
    diagnostic.save(update_fields=["entreprise", "auteur"])
    return diagnostic


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


# Re-scoring ---------------------------------------------------------------------------


def completed_pk_ranges(parts: int) -> list[tuple[int, int]]:
    """Split the completed diagnostics into `parts` contiguous primary-key ranges of about
    the same size, for re-scoring them in parallel processes."""
    pks = (
        Diagnostic.objects.filter(statut=Diagnostic.Statut.TERMINE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    total = pks.count()
    if total == 0:
        return []
    bounds = []
    for i in range(parts):
        start = pks[i * total // parts] if i * total // parts < total else None
        if start is not None:
            bounds.append(start)
    ranges = []
    for i, low in enumerate(bounds):
        high = bounds[i + 1] - 1 if i + 1 < len(bounds) else pks.reverse()[0]
        if high >= low:
            ranges.append((low, high))
    return ranges


def _write_results(columns: list[str], rows: list[list]) -> None:
    """Write one batch of re-scored rows (values in `columns` order, then the id) in one
    transaction: on PostgreSQL one UPDATE … FROM (VALUES …), on SQLite one UPDATE per row
    through executemany (both far faster than bulk_update's CASE expressions)."""
    quote = connection.ops.quote_name
    table = quote(Diagnostic._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            casts = [
                "jsonb",
                "integer",
                "text",
                *["integer"] * len(Diagnostic.DIMENSION_FIELDS),
                "timestamptz",
                "bigint",
            ]
            placeholder = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
            names = ", ".join(quote(c) for c in [*columns, "id"])
            assignments = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns)
            sql = (
                f"UPDATE {table} AS t SET {assignments} "  # noqa: S608 — names come from the model
                f"FROM (VALUES {', '.join([placeholder] * len(rows))}) AS v({names}) "
                f"WHERE t.{quote('id')} = v.{quote('id')}"
            )
            cursor.execute(sql, [value for row in rows for value in row])
        else:
            assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
            sql = f"UPDATE {table} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
            cursor.executemany(sql, rows)


def rescore_all(
    batch_size: int = 2000, progress=None, pk_range: tuple[int, int] | None = None
) -> int:
    """Re-run scoring and the engine on every completed diagnostic (after a knowledge or
    engine update), in batches by primary key, each batch written in one transaction.
    `pk_range` (inclusive) limits it to one slice, for parallel processes."""
    engine = Engine(default_knowledge())
    done = 0
    base = Diagnostic.objects.filter(statut=Diagnostic.Statut.TERMINE).order_by("pk")
    last_pk = 0
    if pk_range:
        base = base.filter(pk__lte=pk_range[1])
        last_pk = pk_range[0] - 1
    columns = [
        "cas_usage",
        "score_global",
        "niveau",
        *Diagnostic.DIMENSION_FIELDS.values(),
        "recalcule_le",
    ]
    json_field = Diagnostic._meta.get_field("cas_usage")
    while True:
        batch = list(
            base.filter(pk__gt=last_pk)
            .select_related("questionnaire")
            .only(
                "pk",
                "naf_id",
                "categorie_taille",
                "departement_id",
                "description",
                "reponses",
                "questionnaire__version",
            )[:batch_size]
        )
        if not batch:
            return done
        now = timezone.now()
        rows = []
        for diagnostic in batch:
            result = evaluate_diagnostic(diagnostic, engine)
            maturite = result.maturite
            dimensions = [
                maturite.dimensions[d] if maturite else None for d in Diagnostic.DIMENSION_FIELDS
            ]
            rows.append(
                [
                    json_field.get_db_prep_save(result.cas_usage, connection),
                    maturite.overall if maturite else None,
                    maturite.level if maturite else "",
                    *dimensions,
                    now,
                    diagnostic.pk,
                ]
            )
        _write_results(columns, rows)
        done += len(batch)
        last_pk = batch[-1].pk
        if progress:
            progress(len(batch))


@transaction.atomic
def copy_as_new_version(questionnaire: Questionnaire) -> Questionnaire:
    """An unpublished copy under the next version number, for operators to edit."""
    data = questionnaire_data(questionnaire).to_dict()
    data["version"] = (
        Questionnaire.objects.order_by("-version").values_list("version", flat=True).first() or 0
    ) + 1
    return load_questionnaire(data, publish=False)
