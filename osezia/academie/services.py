"""The Académie's use cases: storing trainings (LHEO import, demo, API), enrolments with
seats never oversold and a waiting list, completions, certificates, learning paths and the
« professionnels formés » counter kept incrementally."""

import hashlib
import math
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Prefetch, Q, Sum
from django.utils import timezone

from osezia.referentiels.models import FamilleCasUsage
from osezia.referentiels.queries import departement_regions
from osezia.socle.regles import MESSAGE, forbidden_characters
from osezia.socle.texte import fold

from . import format as fmt
from . import lheo
from .models import (
    Action,
    ApprenantForme,
    CompteurFormes,
    EtapeParcours,
    Formation,
    Inscription,
    OrganismeFormation,
    Parcours,
    ProfilApprenant,
    Session,
    SuiviParcours,
    TentativeQuiz,
    Tutoriel,
    random_code,
)
from .permissions import can_manage_session

PARIS = ZoneInfo("Europe/Paris")
SLICES = 8  # each counter key is spread over this many rows
QUIZ_PASS_RATIO = 2 / 3
# Quiz rules (docs/academie.md): at most 3 graded attempts per tutorial per rolling hour, and
# 30 seconds at least between two attempts.
QUIZ_MAX_ATTEMPTS = 3
QUIZ_WINDOW = timedelta(hours=1)
QUIZ_MIN_DELAY = timedelta(seconds=30)
OBJECTIF_2030 = 15_000_000


# Trainings ---------------------------------------------------------------------------------


def family_codes() -> set[str]:
    return set(FamilleCasUsage.objects.values_list("code", flat=True))


def infer_families(text: str, limit: int = 2) -> list[str]:
    """The use-case families a training's text speaks of (the diagnostic's reviewed lexicon)."""
    from osezia.diagnostics.engine import default_knowledge

    analysis = default_knowledge().lexicon.analyse(text)
    ranked = sorted(analysis.matches, key=lambda f: -analysis.signal(f))
    return [f for f in ranked if analysis.signal(f) >= 0.5][:limit]


def check(data: dict, path: str = "/formation") -> tuple[dict, list[tuple[str, str]]]:
    cleaned, errors = fmt.check_formation(data, departement_regions(), family_codes(), path)
    if not errors and not data.get("familles") and not data.get("familles_fournies"):
        cleaned["familles"] = infer_families(
            " ; ".join([cleaned["intitule"], cleaned["objectifs"], cleaned["contenu"]])
        )
    return cleaned, errors


def _key(*parts) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode(), usedforsecurity=False).hexdigest()[:12]


def _with_keys(cleaned: dict) -> dict:
    """Give every training, action and session an identifier, stable across re-imports."""
    org = cleaned["organisme"]
    if not cleaned["reference"]:
        cleaned["reference"] = f"F-{_key(org['siret'], fold(cleaned['intitule']))}"
    for index, action in enumerate(cleaned["actions"], 1):
        action["reference"] = action["reference"] or f"{cleaned['reference']}-A{index}"
        seen = set()
        for session in action["sessions"]:
            if not session["reference"]:
                base = f"S{session['debut'] or 'permanente'}"
                if session["fin"]:
                    base += f"-{session['fin']}"
                reference, n = base, 1
                while reference in seen:
                    n += 1
                    reference = f"{base}-{n}"
                session["reference"] = reference
            seen.add(session["reference"])
    return cleaned


# The training's own descriptive fields (beyond its identifier, organisation and actions)
FORMATION_FIELDS = (
    "intitule",
    "objectifs",
    "resultats_attendus",
    "contenu",
    "certifiante",
    "code_rncp",
    "code_rs",
    "niveau_entree",
    "familles",
)


@dataclass
class Saved:
    formation: Formation
    created: bool
    notes: list[str] = field(default_factory=list)


@transaction.atomic
def save_formation(
    cleaned: dict, source: str = "saisie", schedule_index_task: bool = True
) -> Saved:
    """Create or update one checked training with its organisation, actions and sessions, in
    one transaction. Actions and sessions that left the offer are deleted, or closed when
    learners are enrolled in them (nothing of theirs is lost)."""
    cleaned = _with_keys(cleaned)
    notes: list[str] = []
    org_data = cleaned["organisme"]
    organisme, _ = OrganismeFormation.objects.update_or_create(
        siret=org_data["siret"], defaults={k: v for k, v in org_data.items() if k != "siret"}
    )
    formation = Formation.objects.select_for_update().filter(reference=cleaned["reference"]).first()
    if formation and formation.organisme_id != organisme.pk:
        raise ValidationError(
            f"l'identifiant « {cleaned['reference']} » est déjà celui d'une formation d'un autre organisme"
        )
    created = formation is None
    formation = formation or Formation(reference=cleaned["reference"])
    for name in (*FORMATION_FIELDS, "url", "lheo"):
        setattr(formation, name, cleaned[name])
    formation.organisme = organisme
    formation.source = source
    if created:
        formation.publiee = True  # a re-import never republishes what an operator withdrew
    formation.save()
    kept_actions = []
    for order, data in enumerate(cleaned["actions"]):
        lieu = data["lieu"] or {}
        action, _ = Action.objects.update_or_create(
            formation=formation,
            reference=data["reference"],
            defaults={
                "ordre": order,
                "publics": data["publics"],
                "codes_public_lheo": data["codes_public_lheo"],
                "modalite": data["modalite"],
                "adresse": lieu.get("adresse", ""),
                "code_postal": lieu.get("code_postal", ""),
                "ville": lieu.get("ville", ""),
                "departement_id": lieu.get("departement"),
                "region_id": lieu.get("region"),
                "duree_heures": data["duree_heures"],
                "prix_ttc_centimes": data["prix_ttc_centimes"],
                "financements": data["financements"],
                "codes_financeurs_lheo": data["codes_financeurs_lheo"],
                "rythme": data["rythme"],
                "conditions": data["conditions"],
            },
        )
        kept_actions.append(action.pk)
        kept_sessions = []
        for item in data["sessions"]:
            session = (
                Session.objects.select_for_update()
                .filter(action=action, reference=item["reference"])
                .first()
            ) or Session(action=action, reference=item["reference"])
            places = item["places"]
            if places is not None and places < session.places_prises:
                notes.append(
                    f"session {item['reference']} : {session.places_prises} inscrits pour "
                    f"{places} places annoncées, places portées à {session.places_prises}"
                )
                places = session.places_prises
            session.debut, session.fin = item["debut"], item["fin"]
            session.places = places
            session.etat_recrutement = item["etat_recrutement"]
            session.save()
            kept_sessions.append(session.pk)
            _fill_from_waiting_list(session)
        _retire(Session.objects.filter(action=action).exclude(pk__in=kept_sessions))
    for action in formation.actions.exclude(pk__in=kept_actions):
        _retire(action.sessions.all())
        if not action.sessions.exists():
            action.delete()
    schedule_index([formation.reference], schedule=schedule_index_task)
    return Saved(formation, created, notes)


def _retire(sessions) -> None:
    """Sessions no longer offered: deleted, or closed to recruitment when anyone enrolled."""
    enrolled = sessions.filter(inscriptions__isnull=False).distinct()
    enrolled.update(etat_recrutement="2")
    sessions.exclude(pk__in=enrolled.values("pk")).delete()


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rejected: int = 0
    keys: list[str] = field(default_factory=list)
    index_problem: str | None = None  # why the search index is not up to date, if it is not

    @property
    def read(self) -> int:
        return self.created + self.updated + self.rejected


APPLY_EVERY = 500  # an import applies the search change log every so many trainings


def import_trainings(items: Iterable[lheo.Lu], source: str, dry_run=False, progress=None):
    """Store each valid training whole (one transaction each); report each invalid one with
    the path of every element in cause, and store nothing of it. Each training's change is
    logged for the search index in its transaction, and the log is applied every
    `APPLY_EVERY` trainings: an import killed half-way leaves the log to finish the job, and
    the end of the import finishes it (`recherche.finish_after_import`; `report.index_problem`
    says when it could not)."""
    from osezia.recherche import services as recherche

    report = ImportReport()
    seen: dict[str, str] = {}
    for item in items:
        errors = list(item.errors)
        cleaned, problems = check(item.data, item.path)
        errors += problems
        if not problems:
            reference = _with_keys(cleaned)["reference"]
            if reference in seen:
                errors.append(
                    (item.path, f"même identifiant « {reference} » que {seen[reference]}")
                )
            seen.setdefault(reference, item.path)
        if errors:
            report.rejected += 1
            report.errors += errors
        elif not dry_run:
            try:
                saved = save_formation(cleaned, source, schedule_index_task=False)
            except ValidationError as error:
                report.rejected += 1
                report.errors += [(item.path, m) for m in error.messages]
            else:
                report.notes += item.notes + cleaned["remarques"]
                report.notes += [f"{item.path} : {n}" for n in saved.notes]
                report.keys.append(saved.formation.reference)
                if len(report.keys) % APPLY_EVERY == 0:
                    recherche.apply_or_schedule()
                if saved.created:
                    report.created += 1
                else:
                    report.updated += 1
        else:
            report.notes += item.notes + cleaned["remarques"]
            report.created += 1
        if progress:
            progress(1)
    if not dry_run:
        report.index_problem = recherche.finish_after_import()
    return report


def import_lheo(source, dry_run: bool = False, progress=None) -> ImportReport:
    return import_trainings(lheo.read(source), "lheo", dry_run, progress)


def normalized(formation: Formation) -> dict:
    """A stored training as the normalized dict of `format.py` (export, round trips)."""
    org = formation.organisme
    return {
        "reference": formation.reference,
        **{name: getattr(formation, name) for name in (*FORMATION_FIELDS, "url", "lheo")},
        "organisme": {
            name: getattr(org, name)
            for name in (
                "siret",
                "numero_activite",
                "nom",
                "raison_sociale",
                "adresse",
                "code_postal",
                "ville",
                "courriel",
                "telephone",
            )
        },
        "actions": [
            {
                "reference": a.reference,
                "publics": a.publics,
                "codes_public_lheo": a.codes_public_lheo,
                "modalite": a.modalite,
                "lieu": {
                    "adresse": a.adresse,
                    "code_postal": a.code_postal,
                    "ville": a.ville,
                    "departement": a.departement_id,
                    "region": a.region_id,
                }
                if a.departement_id
                else None,
                "duree_heures": a.duree_heures,
                "prix_ttc_centimes": a.prix_ttc_centimes,
                "financements": a.financements,
                "codes_financeurs_lheo": a.codes_financeurs_lheo,
                "rythme": a.rythme,
                "conditions": a.conditions,
                "sessions": [
                    {
                        "reference": s.reference,
                        "debut": s.debut,
                        "fin": s.fin,
                        "places": s.places,
                        "etat_recrutement": s.etat_recrutement,
                    }
                    for s in a.sessions.all()
                ],
            }
            for a in formation.actions.all()
        ],
    }


def with_details(queryset):
    return queryset.select_related("organisme").prefetch_related(
        Prefetch(
            "actions",
            queryset=Action.objects.order_by("ordre").prefetch_related(
                Prefetch("sessions", queryset=Session.objects.order_by("debut", "id"))
            ),
        )
    )


def export_lheo(stream, queryset=None, progress=None) -> int:
    queryset = queryset if queryset is not None else Formation.objects.filter(publiee=True)

    def formations():
        for formation in with_details(queryset.order_by("reference")).iterator(chunk_size=500):
            if progress:
                progress(1)
            yield normalized(formation)

    return lheo.write(formations(), stream)


def schedule_index(keys: list[str], doc_type: str = "formation", schedule: bool = True) -> None:
    """Log in the current transaction that these trainings (or tutorials) must be brought up
    to date in the search index; the worker applies the log after the commit (a lost task
    is repaired by the next run of the applier)."""
    from osezia.recherche import services as recherche

    recherche.mark_changed(doc_type, keys, schedule=schedule)


def next_session(action: Action, today: date | None = None) -> Session | None:
    """The first session still to start and open to recruitment (or a permanent entry)."""
    today = today or timezone.localdate()
    upcoming = [
        s
        for s in action.sessions.all()
        if s.etat_recrutement == "1" and (s.debut is None or s.debut >= today)
    ]
    dated = [s for s in upcoming if s.debut]
    return min(dated, key=lambda s: s.debut) if dated else (upcoming[0] if upcoming else None)


# Learners, enrolments and completions ------------------------------------------------------


def set_profile(
    user, public: str, departement: str, prenom: str | None = None, nom: str | None = None
) -> ProfilApprenant:
    """The learner's audience and place (and, when given, the name their certificates bear)."""
    from osezia.comptes.models import Role
    from osezia.comptes.services import grant_role

    errors = {}
    for key, value in (("prenom", prenom), ("nom", nom), ("departement", departement)):
        if forbidden_characters(value or ""):
            errors[key] = MESSAGE
    if errors:
        raise ValidationError(errors)
    prenom, nom = (prenom or "").strip(), (nom or "").strip()
    if len(prenom) > 150 or len(nom) > 150:
        errors["nom"] = "150 caractères au plus"
    if public not in fmt.PUBLICS:
        errors["public"] = "choisissez l'un des quatre publics"
    region = departement_regions().get(departement)
    if region is None:
        errors["departement"] = f"département inconnu « {departement} »"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        profile, created = ProfilApprenant.objects.update_or_create(
            utilisateur=user,
            defaults={"public": public, "departement_id": departement, "region_id": region},
        )
        if prenom or nom:
            user.first_name, user.last_name = prenom or user.first_name, nom or user.last_name
            user.save(update_fields=["first_name", "last_name"])
        grant_role(user, Role.APPRENANT)
    return profile


def _require_profile(user) -> ProfilApprenant:
    profile = ProfilApprenant.objects.filter(utilisateur=user).first()
    if profile is None:
        raise ValidationError("indiquez d'abord votre public et votre département")
    return profile


def enrol(user, session_id: int) -> Inscription:
    """Enrol the user: a seat if one is left (taken by a conditional update, so concurrent
    enrolments never oversell), otherwise a place on the waiting list."""
    _require_profile(user)
    with transaction.atomic():
        session = Session.objects.select_related("action__formation").get(pk=session_id)
        if not session.action.formation.publiee:
            raise Session.DoesNotExist
        if session.etat_recrutement != "1":
            raise ValidationError("les inscriptions à cette session ne sont pas ouvertes")
        if has_begun(session):
            raise ValidationError("cette session a déjà commencé")
        if (
            Inscription.objects.filter(apprenant=user, session=session)
            .exclude(statut=Inscription.Statut.ANNULEE)
            .exists()
        ):
            raise ValidationError("vous êtes déjà inscrit·e à cette session")
        statut = Inscription.Statut.ATTENTE
        if _take_seat(session.pk):
            statut = Inscription.Statut.INSCRIT
        try:
            with transaction.atomic():
                return Inscription.objects.create(apprenant=user, session=session, statut=statut)
        except IntegrityError as error:
            raise ValidationError("vous êtes déjà inscrit·e à cette session") from error


def _take_seat(session_id: int) -> bool:
    unlimited = Session.objects.filter(pk=session_id, places__isnull=True).update(
        places_prises=F("places_prises") + 1
    )
    if unlimited:
        return True
    return bool(
        Session.objects.filter(pk=session_id, places_prises__lt=F("places")).update(
            places_prises=F("places_prises") + 1
        )
    )


def cancel(user, inscription: Inscription) -> Inscription:
    """The learner (or a manager of the session) cancels; a freed seat goes to the first
    person on the waiting list, in the same transaction."""
    if inscription.apprenant_id != user.pk and not can_manage_session(user, inscription.session):
        raise PermissionDenied
    with transaction.atomic():
        inscription = Inscription.objects.select_for_update().get(pk=inscription.pk)
        if inscription.session_id is None or inscription.statut not in (
            Inscription.Statut.INSCRIT,
            Inscription.Statut.ATTENTE,
        ):
            raise ValidationError("cette inscription ne peut plus être annulée")
        _cancel_locked(inscription)
    return inscription


def _cancel_locked(inscription: Inscription) -> None:
    """Cancel a (locked) active enrolment; its seat, if it held one, goes to the first person
    waiting."""
    had_seat = inscription.statut == Inscription.Statut.INSCRIT
    inscription.statut = Inscription.Statut.ANNULEE
    inscription.save(update_fields=["statut"])
    if had_seat:
        Session.objects.filter(pk=inscription.session_id).update(
            places_prises=F("places_prises") - 1
        )
        _promote_waiting(inscription.session_id)


def _promote_waiting(session_id: int) -> None:
    waiting = (
        Inscription.objects.select_for_update()
        .filter(session_id=session_id, statut=Inscription.Statut.ATTENTE)
        .order_by("cree_le", "pk")
        .first()
    )
    if waiting and _take_seat(session_id):
        waiting.statut = Inscription.Statut.INSCRIT
        waiting.save(update_fields=["statut"])


def _fill_from_waiting_list(session: Session) -> None:
    """Seats added to a session go to the people waiting, in order."""
    free = None if session.places is None else session.places - session.places_prises
    waiting = Inscription.objects.filter(session=session, statut=Inscription.Statut.ATTENTE)
    for _ in range(waiting.count() if free is None else min(free, waiting.count())):
        _promote_waiting(session.pk)


def new_code() -> str:
    return random_code(3)


def complete_session(user, inscription: Inscription) -> Inscription:
    """The training organisation (or an operator) records that the learner completed."""
    if not can_manage_session(user, inscription.session):
        raise PermissionDenied
    with transaction.atomic():
        inscription = (
            Inscription.objects.select_for_update(of=("self",))
            .select_related("session")
            .get(pk=inscription.pk)
        )
        _require_started(inscription.session)
        if inscription.statut != Inscription.Statut.INSCRIT:
            raise ValidationError("seule une inscription confirmée peut être validée")
        _complete(inscription, validated_by=user)
    return inscription


def has_begun(session: Session) -> bool:
    """A dated session whose first day has passed: enrolment is closed."""
    return bool(session.debut and session.debut < timezone.localdate())


def completion_open(session: Session) -> bool:
    """Completions are recorded from the session's first day (at once for a permanent one)."""
    return not session.debut or session.debut <= timezone.localdate()


def _require_started(session: Session) -> None:
    if not completion_open(session):
        raise ValidationError(
            "la session n'a pas encore commencé : l'achèvement se valide à partir du "
            f"{session.debut:%d/%m/%Y}"
        )


def record_attendance(user, session: Session, email: str, code: str) -> Inscription:
    """The training organisation records that a learner followed a session that has started
    without enrolling on the platform. The learner gives the organisation their e-mail and
    their learner code (shown in their space): without both, nothing happens, and the answer
    does not tell whether an account exists. The person takes a seat like any participant."""
    if not can_manage_session(user, session):
        raise PermissionDenied
    _require_started(session)
    if forbidden_characters(email or "") or forbidden_characters(code or ""):
        # Never looked up (PostgreSQL refuses NUL): the same answer as an unknown person.
        raise ValidationError(
            "aucun apprenant ne correspond à cette adresse et à ce code d'apprenant"
        )
    profile = (
        ProfilApprenant.objects.select_related("utilisateur")
        .filter(
            utilisateur__email__iexact=(email or "").strip(),
            code_apprenant=(code or "").strip().upper(),
        )
        .first()
    )
    if profile is None:
        raise ValidationError(
            "aucun apprenant ne correspond à cette adresse et à ce code d'apprenant"
        )
    learner = profile.utilisateur
    try:
        with transaction.atomic():
            Session.objects.select_for_update().filter(pk=session.pk).first()
            inscription = (
                Inscription.objects.select_for_update()
                .filter(apprenant=learner, session=session)
                .exclude(statut=Inscription.Statut.ANNULEE)
                .first()
            )
            if inscription and inscription.statut == Inscription.Statut.TERMINEE:
                raise ValidationError("cet achèvement est déjà enregistré")
            needs_seat = inscription is None or inscription.statut == Inscription.Statut.ATTENTE
            if needs_seat and not _take_seat(session.pk):
                raise ValidationError("la session est complète : toutes ses places sont prises")
            if inscription is None:
                inscription = Inscription.objects.create(
                    apprenant=learner, session=session, statut=Inscription.Statut.INSCRIT
                )
            _complete(inscription, validated_by=user)
    except IntegrityError as error:
        raise ValidationError("cet achèvement est déjà enregistré") from error
    return inscription


def _complete(inscription: Inscription, validated_by=None, score=None) -> None:
    now = timezone.now()
    inscription.statut = Inscription.Statut.TERMINEE
    inscription.termine_le = now
    inscription.valide_par = validated_by
    inscription.score_quiz = score
    inscription.code_verification = new_code()
    inscription.save()
    if inscription.session_id:
        session = inscription.session
        _count_trained(inscription.apprenant_id, now, session.action.region_id)
    _advance_paths(inscription.apprenant_id, now)


def start_tutorial(user, tutoriel: Tutoriel) -> Inscription:
    inscription, _ = Inscription.objects.get_or_create(
        apprenant=user, tutoriel=tutoriel, defaults={"statut": Inscription.Statut.INSCRIT}
    )
    return inscription


@dataclass
class QuizResult:
    correct: int
    total: int
    passed: bool
    inscription: Inscription | None
    attempts_left: int = 0  # in the current rolling hour, after this one


class QuizAttemptRefused(ValidationError):  # noqa: N818 - a ValidationError, like the others
    """An answer sent before the quiz rules allow another attempt (not graded, not stored)."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} seconde{'s' if seconds > 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


def _recent_attempts(user_id: int, tutoriel_id: int, now) -> list:
    """When this learner's attempts of the last rolling window were made, newest first."""
    return list(
        TentativeQuiz.objects.filter(
            apprenant_id=user_id, tutoriel_id=tutoriel_id, cree_le__gt=now - QUIZ_WINDOW
        )
        .order_by("-cree_le")
        .values_list("cree_le", flat=True)[:QUIZ_MAX_ATTEMPTS]
    )


def quiz_wait(user, tutoriel: Tutoriel, now=None) -> tuple[int, str]:
    """(seconds before this learner may answer this quiz again, French reason); (0, "") now."""
    now = now or timezone.now()
    recent = _recent_attempts(user.pk, tutoriel.pk, now)
    if len(recent) >= QUIZ_MAX_ATTEMPTS:
        wait = math.ceil((recent[QUIZ_MAX_ATTEMPTS - 1] + QUIZ_WINDOW - now).total_seconds())
        if wait > 0:
            return wait, (
                f"vous avez déjà répondu {QUIZ_MAX_ATTEMPTS} fois à ce quiz en moins d'une heure : "
                f"vous pourrez réessayer dans {_duration(wait)}"
            )
    if recent:
        wait = math.ceil((recent[0] + QUIZ_MIN_DELAY - now).total_seconds())
        if wait > 0:
            return wait, (
                "prenez le temps de relire le tutoriel : vous pourrez répondre de nouveau dans "
                f"{_duration(wait)}"
            )
    return 0, ""


def submit_quiz(user, tutoriel: Tutoriel, answers: list[int | None]) -> QuizResult:
    """The learner answers the tutorial's quiz; two answers out of three complete it.

    Every graded answer is stored as a `TentativeQuiz`. At most `QUIZ_MAX_ATTEMPTS` per rolling
    `QUIZ_WINDOW` and `QUIZ_MIN_DELAY` between two: an answer sent earlier is refused
    (`QuizAttemptRefused`, with the wait), neither graded nor stored. The tutorial is completed
    (certificate code) only by a passed attempt stored within these rules."""
    questions = tutoriel.quiz
    if len(answers) != len(questions):
        raise ValidationError(f"répondez aux {len(questions)} questions")
    with transaction.atomic():
        inscription = start_tutorial(user, tutoriel)
        # The learner's row for this tutorial is the lock: two answers sent at once are
        # counted one after the other.
        inscription = Inscription.objects.select_for_update().get(pk=inscription.pk)
        now = timezone.now()
        wait, reason = quiz_wait(user, tutoriel, now)
        if wait:
            raise QuizAttemptRefused(reason, wait)
        correct = sum(1 for q, a in zip(questions, answers, strict=True) if a == q["reponse"])
        passed = correct >= len(questions) * QUIZ_PASS_RATIO
        TentativeQuiz.objects.create(
            apprenant=user,
            tutoriel=tutoriel,
            cree_le=now,
            bonnes_reponses=correct,
            questions=len(questions),
            reussie=passed,
        )
        if passed and inscription.statut != Inscription.Statut.TERMINEE:
            _complete(inscription, score=correct)
        left = QUIZ_MAX_ATTEMPTS - len(_recent_attempts(user.pk, tutoriel.pk, now))
    return QuizResult(correct, len(questions), passed, inscription, left)


def start_path(user, parcours: Parcours) -> SuiviParcours:
    """Follow a path (its completion counts the person as trained: the profile is needed)."""
    _require_profile(user)
    with transaction.atomic():
        suivi, _ = SuiviParcours.objects.get_or_create(apprenant=user, parcours=parcours)
        _advance_paths(user.pk, timezone.now())
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


def progress(parcours: Parcours, tutorials: set[int], trainings: set[int]) -> tuple[int, int]:
    steps = list(parcours.etapes.all())
    done = sum(
        1
        for s in steps
        if (s.tutoriel_id and s.tutoriel_id in tutorials)
        or (s.formation_id and s.formation_id in trainings)
    )
    return done, len(steps)


def _advance_paths(user_id: int, when) -> None:
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
            _count_trained(user_id, when, None)


# The « professionnels formés » counter -----------------------------------------------------


def _count_trained(user_id: int, when, place_region: str | None) -> bool:
    """Count this person once, at their first completed training or path: one row in
    ApprenantForme and one increment per counter key, in the caller's transaction."""
    profile = ProfilApprenant.objects.filter(utilisateur_id=user_id).first()
    public = profile.public if profile else "NC"
    region = (profile.region_id if profile else None) or place_region or "NC"
    month = timezone.localtime(when, PARIS).strftime("%Y-%m")
    try:
        with transaction.atomic():
            ApprenantForme.objects.create(
                utilisateur_id=user_id, public=public, region=region, mois=month, forme_le=when
            )
    except IntegrityError:
        return False  # already counted
    for dimension, key in (("total", ""), ("public", public), ("region", region), ("mois", month)):
        _increment(dimension, key)
    return True


def _increment(dimension: str, key: str, amount: int = 1) -> None:
    slice_ = random.randrange(SLICES)
    rows = CompteurFormes.objects.filter(dimension=dimension, cle=key, tranche=slice_)
    if rows.update(valeur=F("valeur") + amount):
        return
    try:
        with transaction.atomic():
            CompteurFormes.objects.create(
                dimension=dimension, cle=key, tranche=slice_, valeur=amount
            )
    except IntegrityError:
        rows.update(valeur=F("valeur") + amount)


def counters() -> dict:
    """The counter for the observatory and the API: a few dozen small rows, summed."""
    totals: dict[str, dict[str, int]] = defaultdict(dict)
    for dimension, key, value in (
        CompteurFormes.objects.values_list("dimension", "cle")
        .annotate(total=Sum("valeur"))
        .values_list("dimension", "cle", "total")
    ):
        totals[dimension][key] = int(value)
    par_public = {p: totals["public"].get(p, 0) for p in fmt.PUBLICS}
    if totals["public"].get("NC"):
        par_public["NC"] = totals["public"]["NC"]
    return {
        "professionnels_formes": totals["total"].get("", 0),
        "par_public": par_public,
        "par_region": dict(sorted(totals["region"].items())),
        "par_mois": dict(sorted(totals["mois"].items())),
        "objectif_2030": OBJECTIF_2030,
    }


@transaction.atomic
def recount() -> dict:
    """Rebuild the counters from the trained persons (after a restore, or to check them)."""
    CompteurFormes.objects.all().delete()
    rows = []
    for dimension, field_name in (("public", "public"), ("region", "region"), ("mois", "mois")):
        for key, count in (
            ApprenantForme.objects.values_list(field_name)
            .annotate(n=Count("utilisateur"))
            .values_list(field_name, "n")
        ):
            rows.append(CompteurFormes(dimension=dimension, cle=key, tranche=0, valeur=count))
    total = ApprenantForme.objects.count()
    rows.append(CompteurFormes(dimension="total", cle="", tranche=0, valeur=total))
    CompteurFormes.objects.bulk_create(rows)
    return counters()


# Certificates ------------------------------------------------------------------------------


@dataclass
class Attestation:
    code: str
    nom: str
    intitule: str
    nature: str  # formation, tutoriel, parcours
    organisme: str
    termine_le: object
    duree_heures: int | None
    debut: date | None = None
    fin: date | None = None
    proprietaire_id: int | None = None
    managers: tuple = ()


def holder_name(person) -> str:
    """The name a certificate bears; never the e-mail address, which the public check shows."""
    return f"{person.first_name} {person.last_name}".strip() or "Titulaire (nom non renseigné)"


def find_attestation(code: str) -> Attestation | None:
    code = (code or "").strip().upper()
    if len(code) == 12 and "-" not in code:
        code = f"{code[:4]}-{code[4:8]}-{code[8:]}"
    inscription = (
        Inscription.objects.filter(code_verification=code, statut=Inscription.Statut.TERMINEE)
        .select_related("apprenant", "session__action__formation__organisme", "tutoriel")
        .first()
    )
    if inscription:
        person = inscription.apprenant
        name = holder_name(person)
        if inscription.session_id:
            action = inscription.session.action
            return Attestation(
                code,
                name,
                action.formation.intitule,
                "formation",
                action.formation.organisme.nom,
                inscription.termine_le,
                action.duree_heures,
                inscription.session.debut,
                inscription.session.fin,
                person.pk,
                (action.formation.organisme_id,),
            )
        return Attestation(
            code,
            name,
            inscription.tutoriel.titre,
            "tutoriel",
            "Académie de l'IA",
            inscription.termine_le,
            None,
            proprietaire_id=person.pk,
        )
    suivi = (
        SuiviParcours.objects.filter(code_verification=code, termine_le__isnull=False)
        .select_related("apprenant", "parcours")
        .first()
    )
    if suivi:
        person = suivi.apprenant
        name = holder_name(person)
        return Attestation(
            code,
            name,
            suivi.parcours.titre,
            "parcours",
            "Académie de l'IA",
            suivi.termine_le,
            None,
            proprietaire_id=person.pk,
        )
    return None


# Read side ---------------------------------------------------------------------------------


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


def session_participants(session: Session):
    return (
        session.inscriptions.exclude(statut=Inscription.Statut.ANNULEE)
        .select_related("apprenant")
        .order_by("statut", "cree_le")
    )


def managed_sessions(user):
    """The sessions of the organisations this user belongs to (or all, for an operator)."""
    from osezia.comptes.permissions import is_operator

    sessions = Session.objects.select_related("action__formation__organisme")
    if not is_operator(user):
        sessions = sessions.filter(action__formation__organisme__membres=user)
    since = timezone.localdate() - timedelta(days=365)
    return sessions.filter(Q(debut__isnull=True) | Q(debut__gte=since))


# Tutorials and paths -----------------------------------------------------------------------


@transaction.atomic
def save_tutoriel(data: dict) -> Tutoriel:
    cleaned, errors = fmt.check_tutoriel(data, family_codes())
    if errors:
        raise ValidationError([f"{path} : {message}" for path, message in errors])
    tutoriel, _ = Tutoriel.objects.update_or_create(
        slug=cleaned["slug"], defaults={k: v for k, v in cleaned.items() if k != "slug"}
    )
    schedule_index([tutoriel.slug], "tutoriel")
    return tutoriel


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


def release_enrolments(user) -> int:
    """Before an account is deleted: its seats are freed (the people waiting get them); its
    completions stay counted, anonymously."""
    released = 0
    with transaction.atomic():
        for inscription in Inscription.objects.select_for_update().filter(
            apprenant=user,
            session__isnull=False,
            statut__in=[Inscription.Statut.INSCRIT, Inscription.Statut.ATTENTE],
        ):
            _cancel_locked(inscription)
            released += 1
        # Completed enrolments go with the account: seats taken keep matching the enrolments.
        done = Inscription.objects.filter(
            apprenant=user, session__isnull=False, statut=Inscription.Statut.TERMINEE
        )
        for session_id in done.values_list("session_id", flat=True):
            Session.objects.filter(pk=session_id).update(places_prises=F("places_prises") - 1)
    return released


# Organisation members ----------------------------------------------------------------------


@transaction.atomic
def add_member(organisme: OrganismeFormation, user) -> None:
    """Make a person a member of a training organisation (after an operator's decision)."""
    organisme.membres.add(user)
