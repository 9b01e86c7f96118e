"""Questionnaire versions: loading a version from its JSON form, the version in force, the pure
form of a stored version (cached), copying a version for operators to edit.

Both caches follow every edit of a questionnaire, a step, a question or an option (the admin
included): the process that saves clears them at once, and bumps a stamp in the shared cache
that the other processes read at most every `CURRENT_TTL_SECONDS`."""

import json
import secrets
import time
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Questionnaire
from ..questionnaire import Questionnaire as QuestionnaireData

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
CURRENT_TTL_SECONDS = 30
STAMP_KEY = "diagnostics:questionnaires:stamp"


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
        # bulk_create sends no signal: the caches are cleared explicitly below.
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
    if apps is None:
        questionnaire_changed()
    return questionnaire


def load_questionnaire_file(
    path: Path = DATA_DIR / "questionnaire_v1.json", publish: bool = True, apps=None
):
    with open(path, encoding="utf-8") as handle:
        return load_questionnaire(json.load(handle), publish=publish, apps=apps)


# Caches ---------------------------------------------------------------------------------

_current: dict = {}
_stamp: dict = {}


def _shared_stamp() -> str:
    """The stamp of the last questionnaire edit on the platform, read from the shared cache at
    most every CURRENT_TTL_SECONDS by this process; a changed stamp empties its caches."""
    now = time.monotonic()
    if "value" in _stamp and now - _stamp["at"] < CURRENT_TTL_SECONDS:
        return _stamp["value"]
    value = cache.get(STAMP_KEY) or ""
    if "value" in _stamp and value != _stamp["value"]:
        _forget_local()
    _stamp.update(value=value, at=now)
    return value


def _forget_local() -> None:
    _current.clear()
    _as_data.cache_clear()


def forget_current_questionnaire(**kwargs) -> None:
    """Empty this process's caches (the version in force and the pure forms)."""
    _forget_local()
    _stamp.clear()


def questionnaire_changed(**kwargs) -> None:
    """A questionnaire, step, question or option was saved or deleted: this process forgets at
    once, again when the transaction commits (a request may have read the old rows meanwhile),
    and the other processes through the shared stamp."""
    _forget_local()

    def bump():
        cache.set(STAMP_KEY, secrets.token_hex(8), timeout=None)
        forget_current_questionnaire()

    transaction.on_commit(bump)


def current_questionnaire() -> Questionnaire:
    """The latest published version. Kept in the process (the quick assessment asks for it on
    every request) until a questionnaire edit, which other processes follow within
    CURRENT_TTL_SECONDS."""
    _shared_stamp()
    cached = _current.get("value")
    if cached is not None and time.monotonic() - _current["at"] < CURRENT_TTL_SECONDS:
        return cached
    questionnaire = Questionnaire.objects.filter(publie=True).order_by("-version").first()
    if questionnaire is None:
        raise ValidationError("Aucun questionnaire n'est publié.")
    _current.update(value=questionnaire, at=time.monotonic())
    return questionnaire


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
    """The pure form of a stored version (cached until a questionnaire edit)."""
    _shared_stamp()
    return _as_data(questionnaire.pk, questionnaire.version)


@transaction.atomic
def copy_as_new_version(questionnaire: Questionnaire) -> Questionnaire:
    """An unpublished copy under the next version number, for operators to edit."""
    data = questionnaire_data(questionnaire).to_dict()
    data["version"] = (
        Questionnaire.objects.order_by("-version").values_list("version", flat=True).first() or 0
    ) + 1
    return load_questionnaire(data, publish=False)
