"""Trainings: checking and storing them with their organisation, actions and sessions (LHEO
import, demo, API), their normalized form and the LHEO export."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from osezia.referentiels.models import FamilleCasUsage
from osezia.referentiels.queries import departement_regions
from osezia.socle.texte import fold

from .. import format as fmt
from .. import lheo
from ..models import (
    Action,
    Formation,
    OrganismeFormation,
    Session,
)
from .enrolments import fill_from_waiting_list


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
            fill_from_waiting_list(session)
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
    enrolled.update(etat_recrutement=Session.EtatRecrutement.FERME)
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


def published_formation(reference: str) -> Formation | None:
    """A published training with its actions and sessions (None when unknown or withdrawn)."""
    return with_details(Formation.objects.filter(reference=reference, publiee=True)).first()


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
        if s.etat_recrutement == Session.EtatRecrutement.OUVERT
        and (s.debut is None or s.debut >= today)
    ]
    dated = [s for s in upcoming if s.debut]
    return min(dated, key=lambda s: s.debut) if dated else (upcoming[0] if upcoming else None)
