"""Trainings: checking and storing them with their organisation, actions and sessions (LHEO
import, demo, API), their normalized form and the LHEO export."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from osezia.referentiels.models import FamilleCasUsage
from osezia.referentiels.queries import departement_regions
from osezia.socle.ecriture import insert_rows

from .. import lheo, preparation
from ..models import (
    Action,
    Formation,
    Inscription,
    OrganismeFormation,
    Session,
)
from ..preparation import infer_families  # noqa: F401 (part of the services' API)
from .enrolments import fill_from_waiting_list

logger = logging.getLogger("osezia.academie.services")


def family_codes() -> set[str]:
    return set(FamilleCasUsage.objects.values_list("code", flat=True))


def check(
    data: dict, path: str = "/formation", regions=None, families=None
) -> tuple[dict, list[tuple[str, str]]]:
    """The checked training and its errors; an import passes the départements' regions and
    the family codes it read once (`regions`, `families`)."""
    regions = departement_regions() if regions is None else regions
    families = family_codes() if families is None else families
    return preparation.check(data, path, regions, families)


_with_keys = preparation.with_keys


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


def _action_values(data: dict, order: int) -> dict:
    """An action's stored fields (beyond its training and reference), from the checked data."""
    lieu = data["lieu"] or {}
    return {
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
    }


ORGANISME_FIELDS = (
    "numero_activite",
    "nom",
    "raison_sociale",
    "adresse",
    "code_postal",
    "ville",
    "courriel",
    "telephone",
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
        action, _ = Action.objects.update_or_create(
            formation=formation,
            reference=data["reference"],
            defaults=_action_values(data, order),
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
    unchanged: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rejected: int = 0
    keys: list[str] = field(default_factory=list)
    index_problem: str | None = None  # why the search index is not up to date, if it is not

    @property
    def read(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected


BATCH = 200  # trainings checked, then read and written together


def import_trainings(
    items: Iterable[lheo.Lu | preparation.Prepared], source: str, dry_run=False, progress=None
):
    """Store each valid training whole; report each invalid one with the path of every
    element in cause, and store nothing of it. A training identical to what is stored writes
    nothing (`unchanged`).

    Trainings go by batches of `BATCH`: each is checked first, then the batch's trainings,
    actions and sessions are read in one query each and the batch is written in one
    transaction: the new trainings with bulk writes (organisations, trainings, actions,
    sessions, the index's change log), the changed ones through `save_formation` (which
    retires what left the offer and keeps enrolments). If that transaction fails, each
    training of the batch is stored alone, in its own transaction, so that one refused by
    the database is reported and the others kept. The search index is brought up to date at
    the end (`recherche.finish_after_import`; `report.index_problem` says when it could
    not); an import killed half-way leaves the committed batches' changes in the log."""
    from osezia.recherche import services as recherche

    report = ImportReport()
    regions, families = departement_regions(), family_codes()
    errors: list[tuple[int, str, str]] = []  # (position, path, message), in the file's order
    seen: dict[str, str] = {}
    batch: list[tuple[lheo.Lu, dict]] = []
    for item in items:
        if isinstance(item, lheo.Lu):
            item = preparation.prepare(item, regions, families)
        cleaned, problems_all = item.cleaned, item.errors
        if not problems_all:
            reference = cleaned["reference"]
            if reference in seen:
                problems_all.append(
                    (item.path, f"même identifiant « {reference} » que {seen[reference]}")
                )
            seen.setdefault(reference, item.path)
        if problems_all:
            report.rejected += 1
            errors += [(item.position, path, message) for path, message in problems_all]
        elif dry_run:
            report.notes += item.notes + cleaned["remarques"]
            report.created += 1
        else:
            batch.append((item, cleaned))
            if len(batch) >= BATCH:
                _import_batch(batch, source, report, errors)
                batch = []
        if progress:
            progress(1)
    _import_batch(batch, source, report, errors)
    errors.sort(key=lambda error: error[0])
    report.errors = [(path, message) for _, path, message in errors]
    if not dry_run:
        report.index_problem = recherche.finish_after_import()
    return report


def _import_batch(batch, source: str, report: ImportReport, errors: list) -> None:
    if not batch:
        return
    try:
        with transaction.atomic():
            outcomes = _store_batch(batch, source)
    except (DatabaseError, ValidationError):
        outcomes = []
        for _, cleaned in batch:
            try:
                saved = save_formation(cleaned, source, schedule_index_task=False)
            except ValidationError as error:
                outcomes.append((list(error.messages), []))
            except DatabaseError as error:
                logger.warning("Formation refusée par la base de données : %s", error)
                outcomes.append((["enregistrement refusé par la base de données"], []))
            else:
                outcomes.append(("created" if saved.created else "updated", saved.notes))
    for (item, cleaned), (outcome, notes) in zip(batch, outcomes, strict=True):
        if isinstance(outcome, list):
            report.rejected += 1
            errors.extend((item.position, item.path, message) for message in outcome)
            continue
        report.notes += item.notes + cleaned["remarques"]
        report.notes += [f"{item.path} : {n}" for n in notes]
        setattr(report, outcome, getattr(report, outcome) + 1)
        if outcome != "unchanged":
            report.keys.append(cleaned["reference"])


def _store_batch(batch, source: str) -> list[tuple]:
    """Each training's (outcome, notes) — outcome `created`, `updated`, `unchanged` or the
    list of its errors —, written in the caller's transaction."""
    references = [cleaned["reference"] for _, cleaned in batch]
    stored = {
        f.reference: f
        for f in Formation.objects.select_for_update(of=("self",))
        .select_related("organisme")
        .filter(reference__in=references)
    }
    actions: dict[int, list[Action]] = {}
    sessions: dict[int, list[Session]] = {}
    enrolled: set[int] = set()
    if stored:
        for action in Action.objects.filter(formation__in=stored.values()):
            actions.setdefault(action.formation_id, []).append(action)
        for session in Session.objects.filter(action__formation__in=stored.values()):
            sessions.setdefault(session.action_id, []).append(session)
        enrolled = set(
            Inscription.objects.filter(session__action__formation__in=stored.values())
            .values_list("session_id", flat=True)
            .distinct()
        )
    outcomes: list[tuple] = []
    new: list[int] = []
    changed: list[int] = []
    for position, (_, cleaned) in enumerate(batch):
        formation = stored.get(cleaned["reference"])
        if formation is None:
            new.append(position)
            outcomes.append(("created", []))
        elif formation.organisme.siret != cleaned["organisme"]["siret"]:
            outcomes.append(
                (
                    [
                        f"l'identifiant « {cleaned['reference']} » est déjà celui d'une "
                        "formation d'un autre organisme"
                    ],
                    [],
                )
            )
        elif _unchanged(formation, cleaned, source, actions, sessions, enrolled):
            outcomes.append(("unchanged", []))
        else:
            outcomes.append(None)
            changed.append(position)
    organisations, stale = _organisations(
        batch[position][1]["organisme"]
        for position, outcome in enumerate(outcomes)
        if not isinstance(outcome[0] if outcome else None, list)
    )
    _create([batch[position][1] for position in new], source, organisations)
    for position in changed:  # a changed training: retirements, waiting lists, notes…
        saved = save_formation(batch[position][1], source, schedule_index_task=False)
        outcomes[position] = ("updated", saved.notes)
    keys = [batch[position][1]["reference"] for position in new + changed]
    if stale:  # an organisation's name is in its trainings' documents
        keys += Formation.objects.filter(organisme__in=stale).values_list("reference", flat=True)
    schedule_index(keys, schedule=False)
    return outcomes


def _organisations(items: Iterable[dict]) -> tuple[dict[str, OrganismeFormation], list]:
    """The organisations of these trainings, created or brought up to date (the last
    training of the batch naming one gives its details, as when stored one by one), and
    those whose details changed."""
    wanted = {org["siret"]: org for org in items}
    found = {o.siret: o for o in OrganismeFormation.objects.filter(siret__in=list(wanted))}
    missing = [
        OrganismeFormation(siret=siret, **{k: org[k] for k in ORGANISME_FIELDS})
        for siret, org in wanted.items()
        if siret not in found
    ]
    if missing:
        OrganismeFormation.objects.bulk_create(missing)
        found.update(
            (o.siret, o)
            for o in OrganismeFormation.objects.filter(siret__in=[m.siret for m in missing])
        )
    stale = []
    for siret, org in wanted.items():
        organisme = found[siret]
        if any(getattr(organisme, k) != org[k] for k in ORGANISME_FIELDS):
            for k in ORGANISME_FIELDS:
                setattr(organisme, k, org[k])
            stale.append(organisme)
    if stale:
        OrganismeFormation.objects.bulk_update(stale, ORGANISME_FIELDS)
    return found, stale


def _session_target(item: dict, session: Session | None) -> dict:
    places = item["places"]
    if session is not None and places is not None and places < session.places_prises:
        places = session.places_prises  # as `save_formation` does: never below the enrolled
    return {
        "debut": item["debut"],
        "fin": item["fin"],
        "places": places,
        "etat_recrutement": item["etat_recrutement"],
    }


def _retired(session: Session, enrolled: set[int]) -> bool:
    """A session that left the offer and was kept, closed, for its learners."""
    return session.pk in enrolled and session.etat_recrutement == Session.EtatRecrutement.FERME


def _unchanged(formation, cleaned, source, actions, sessions, enrolled) -> bool:
    """Whether storing this training again would change nothing."""
    if formation.source != source or any(
        getattr(formation, name) != cleaned[name] for name in (*FORMATION_FIELDS, "url", "lheo")
    ):
        return False
    by_reference = {a.reference: a for a in actions.get(formation.pk, [])}
    wanted = {a["reference"] for a in cleaned["actions"]}
    for action in by_reference.values():
        if action.reference not in wanted and not all(
            _retired(s, enrolled) for s in sessions.get(action.pk, [])
        ):
            return False
    for order, data in enumerate(cleaned["actions"]):
        action = by_reference.get(data["reference"])
        if action is None or any(
            getattr(action, k) != v for k, v in _action_values(data, order).items()
        ):
            return False
        current = {s.reference: s for s in sessions.get(action.pk, [])}
        items = {item["reference"]: item for item in data["sessions"]}
        for reference, session in current.items():
            if reference not in items and not _retired(session, enrolled):
                return False
        for reference, item in items.items():
            session = current.get(reference)
            if session is None or any(
                getattr(session, k) != v for k, v in _session_target(item, session).items()
            ):
                return False
    return True


def _create(new: list[dict], source: str, organisations) -> None:
    """New trainings with their actions and sessions, one insert of many rows per table
    (`socle.ecriture.insert_rows`), the new keys read back by reference."""
    if not new:
        return
    insert_rows(
        Formation,
        (
            {
                "reference": cleaned["reference"],
                "organisme_id": organisations[cleaned["organisme"]["siret"]].pk,
                "source": source,
                "publiee": True,
                **{name: cleaned[name] for name in (*FORMATION_FIELDS, "url", "lheo")},
            }
            for cleaned in new
        ),
    )
    formations = dict(
        Formation.objects.filter(reference__in=[c["reference"] for c in new]).values_list(
            "reference", "pk"
        )
    )
    insert_rows(
        Action,
        (
            {
                "formation_id": formations[cleaned["reference"]],
                "reference": data["reference"],
                **_action_values(data, order),
            }
            for cleaned in new
            for order, data in enumerate(cleaned["actions"])
        ),
    )
    actions = {
        (f, r): pk
        for f, r, pk in Action.objects.filter(formation_id__in=formations.values()).values_list(
            "formation_id", "reference", "pk"
        )
    }
    insert_rows(
        Session,
        (
            {
                "action_id": actions[formations[cleaned["reference"]], data["reference"]],
                "reference": item["reference"],
                **_session_target(item, None),
            }
            for cleaned in new
            for data in cleaned["actions"]
            for item in data["sessions"]
        ),
    )


def import_lheo(source, dry_run: bool = False, progress=None, workers: int = 0) -> ImportReport:
    """Import an LHEO file; with `workers` ≥ 2, its trainings are parsed and checked by that
    many processes while this one stores them (`preparation.prepared`)."""
    items = preparation.prepared(source, departement_regions(), family_codes(), workers)
    return import_trainings(items, "lheo", dry_run, progress)


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
