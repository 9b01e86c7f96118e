"""Learning paths: storing them, following one, a learner's progress, and the completion of a
path (certificate code, counted as trained)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from .. import format as fmt
from ..models import (
    EtapeParcours,
    Formation,
    Inscription,
    Parcours,
    SuiviParcours,
    Tutoriel,
)
from .certificates import new_code
from .counters import count_trained
from .profiles import require_profile


def start_path(user, parcours: Parcours) -> SuiviParcours:
    """Follow a path (its completion counts the person as trained: the profile is needed)."""
    require_profile(user)
    with transaction.atomic():
        suivi, _ = SuiviParcours.objects.get_or_create(apprenant=user, parcours=parcours)
        advance_paths(user.pk, timezone.now())
    suivi.refresh_from_db()
    return suivi


def completed_steps(user_id: int) -> tuple[set[int], set[int]]:
    """The tutorials and trainings this learner completed."""
    done = Inscription.objects.filter(apprenant_id=user_id, statut=Inscription.Statut.TERMINEE)
    tutorials = set(done.filter(tutoriel__isnull=False).values_list("tutoriel_id", flat=True))
    trainings = set(
        done.filter(session__isnull=False).values_list("session__action__formation_id", flat=True)
    )
    return tutorials, trainings


@dataclass
class StepState:
    etape: EtapeParcours
    faite: bool


@dataclass
class PathProgress:
    """Where a learner stands on a path: each step, done or not."""

    parcours: Parcours
    steps: list[StepState]
    suivi: SuiviParcours | None = None

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.faite)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _step_done(step: EtapeParcours, tutorials: set[int], trainings: set[int]) -> bool:
    if step.tutoriel_id:
        return step.tutoriel_id in tutorials
    return bool(step.formation_id and step.formation_id in trainings)


def progress(parcours: Parcours, tutorials: set[int], trainings: set[int]) -> tuple[int, int]:
    """(steps done, steps) of a path, given the learner's completed tutorials and trainings."""
    steps = list(parcours.etapes.all())
    return sum(1 for s in steps if _step_done(s, tutorials, trainings)), len(steps)


def follow_of(user, parcours: Parcours) -> SuiviParcours | None:
    """This learner's follow-up of the path (None for a visitor or a path not started)."""
    if not (user and user.is_authenticated):
        return None
    return SuiviParcours.objects.filter(apprenant=user, parcours=parcours).first()


def path_progress(user, parcours: Parcours, completed=None, suivi=None) -> PathProgress:
    """Each step of the path, done or not by this person (nothing done for a visitor).
    `completed` is `completed_steps(user.pk)` when the caller already has it."""
    tutorials, trainings = set(), set()
    if user is not None and user.is_authenticated:
        tutorials, trainings = completed or completed_steps(user.pk)
    steps = [StepState(e, _step_done(e, tutorials, trainings)) for e in parcours.etapes.all()]
    return PathProgress(parcours, steps, suivi)


def followed_paths(user) -> list[PathProgress]:
    """The paths this learner follows, with their progress (a few queries, whatever their
    number)."""
    completed = completed_steps(user.pk)
    suivis = (
        SuiviParcours.objects.filter(apprenant=user)
        .select_related("parcours")
        .prefetch_related("parcours__etapes")
        .order_by("commence_le", "pk")
    )
    return [path_progress(user, s.parcours, completed, s) for s in suivis]


def advance_paths(user_id: int, when) -> None:
    open_paths = (
        SuiviParcours.objects.select_for_update()
        .filter(apprenant_id=user_id, termine_le__isnull=True)
        .select_related("parcours")
    )
    if not open_paths:
        return
    tutorials, trainings = completed_steps(user_id)
    for suivi in open_paths.prefetch_related("parcours__etapes"):
        done, total = progress(suivi.parcours, tutorials, trainings)
        if total and done == total:
            suivi.termine_le = when
            suivi.code_verification = new_code()
            suivi.save(update_fields=["termine_le", "code_verification"])
            count_trained(user_id, when, None)


def published_paths(public: str | None = None):
    """Published paths with their steps, for one audience (checked) or all."""
    paths = Parcours.objects.filter(publie=True).prefetch_related(
        Prefetch(
            "etapes",
            queryset=EtapeParcours.objects.select_related("tutoriel", "formation").order_by(
                "ordre"
            ),
        )
    )
    if public:
        if public not in fmt.PUBLICS:
            raise ValidationError(
                {
                    "public": f"public inconnu « {public} » (valeurs possibles : {', '.join(fmt.PUBLICS)})"
                }
            )
        paths = paths.filter(public=public)
    return paths


@transaction.atomic
def save_parcours(data: dict) -> Parcours:
    """A path and its ordered steps (`{"tutoriel": slug}` or `{"formation": reference}`)."""
    errors = []
    if data.get("public") not in fmt.PUBLICS:
        errors.append(f"public inconnu « {data.get('public')} »")
    steps = []
    for i, step in enumerate(data.get("etapes") or [], 1):
        if "tutoriel" in step:
            kind, target = "tutoriel", Tutoriel.objects.filter(slug=step["tutoriel"]).first()
        else:
            kind = "formation"
            target = Formation.objects.filter(reference=step.get("formation")).first()
        if target is None:
            errors.append(f"étape {i} : {kind} « {step.get(kind)} » introuvable")
        else:
            steps.append({kind: target})
    if not steps and not errors:
        errors.append("un parcours compte au moins une étape")
    if not str(data.get("titre") or "").strip():
        errors.append("titre obligatoire")
    if errors:
        raise ValidationError(errors)
    parcours, _ = Parcours.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "titre": data["titre"].strip()[:200],
            "description": str(data.get("description") or "").strip(),
            "public": data["public"],
            "ordre": int(data.get("ordre") or 0),
        },
    )
    parcours.etapes.all().delete()
    EtapeParcours.objects.bulk_create(
        EtapeParcours(parcours=parcours, ordre=i, **step) for i, step in enumerate(steps, 1)
    )
    return parcours
