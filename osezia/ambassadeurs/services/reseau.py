"""Ambassadors' profiles: applications decided by operators, the networks' CSV import
(idempotent by `id_externe`), the public directory and its map counts."""

import csv
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q

from osezia.comptes.models import Role
from osezia.comptes.services import grant_role, notify_operators, send_email_later
from osezia.referentiels import codes
from osezia.referentiels.models import Naf, Region
from osezia.referentiels.naf import normalize_code
from osezia.socle.regles import MESSAGE, InvalidExternalId, external_id, forbidden_characters

from ..models import MAX_CAPACITE, MAX_PRESENTATION, Ambassadeur
from . import routage_db

HEADER = [
    "id_externe",
    "prenom",
    "nom",
    "email",
    "type_ambassadeur",
    "reseau",
    "regions",
    "naf",
    "capacite_mensuelle",
]


class ImportFileError(Exception):
    """The file itself cannot be read (French message)."""


# Checking a profile ---------------------------------------------------------------------------


def _codes_list(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def check_profile(data: dict) -> dict:
    """The fields of a profile, checked (French messages per field): prenom, nom, email,
    type_ambassadeur, reseau, regions (codes), naf (codes at any level), capacite_mensuelle."""
    errors: dict[str, str] = {}
    clean: dict = {}
    for name, label in (("prenom", "prénom"), ("nom", "nom")):
        value = str(data.get(name) or "").strip()
        if not value:
            errors[name] = f"{label} obligatoire."
        elif len(value) > 100 or forbidden_characters(value):
            errors[name] = f"{label} invalide (100 caractères au plus, sans caractère de contrôle)."
        clean[name] = value
    email = str(data.get("email") or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = f"adresse électronique invalide : « {email[:60]} »."
    clean["email"] = email.lower()
    for name in ("type_ambassadeur", "reseau"):
        value = str(data.get(name) or "").strip().upper()
        if not codes.is_code(name, value):
            errors[name] = (
                f"{name} inconnu : « {value[:40]} » (valeurs possibles : "
                f"{', '.join(codes.codes(name))})."
            )
        clean[name] = value
    regions = data.get("regions") or []
    known_regions = set(Region.objects.values_list("code", flat=True))
    unknown = [r for r in regions if r not in known_regions]
    if unknown:
        errors["regions"] = f"région(s) inconnue(s) : {', '.join(unknown[:5])} (codes INSEE)."
    clean["regions"] = sorted(set(regions))
    nafs = [normalize_code(n) for n in data.get("naf") or []]
    known_naf = set(Naf.objects.filter(pk__in=nafs).values_list("code", flat=True))
    unknown = [n for n in nafs if n not in known_naf]
    if unknown:
        errors["naf"] = f"code(s) NAF inconnu(s) : {', '.join(u[:10] for u in unknown[:5])}."
    clean["naf"] = sorted(set(nafs))
    capacity = data.get("capacite_mensuelle")
    try:
        capacity = int(str(capacity).strip())
    except (TypeError, ValueError):
        capacity = None
    if capacity is None or not 1 <= capacity <= MAX_CAPACITE:
        errors["capacite_mensuelle"] = (
            f"capacité mensuelle invalide : un nombre entier de 1 à {MAX_CAPACITE}."
        )
    clean["capacite_mensuelle"] = capacity
    for name, limit in (("presentation", MAX_PRESENTATION), ("langues", 200), ("structure", 200)):
        if name in data:
            value = str(data.get(name) or "").strip()
            if forbidden_characters(value, multiline=name == "presentation"):
                errors[name] = MESSAGE
            elif len(value) > limit:
                errors[name] = f"{limit} caractères au plus."
            clean[name] = value
    if errors:
        raise ValidationError(errors)
    return clean


def _save(ambassador: Ambassadeur, clean: dict) -> Ambassadeur:
    for name in ("prenom", "nom", "email", "type_ambassadeur", "reseau", "capacite_mensuelle"):
        setattr(ambassador, name, clean[name])
    for name in ("presentation", "langues", "structure"):
        if name in clean:
            setattr(ambassador, name, clean[name] or ("français" if name == "langues" else ""))
    ambassador.save()
    ambassador.regions.set(clean["regions"])
    ambassador.naf.set(clean["naf"])
    return ambassador


@transaction.atomic
def register(ident: str, data: dict, statut: str = Ambassadeur.Statut.ACTIF, utilisateur=None):
    """Create an ambassador (a network's trusted list, the demo), or None when `ident` exists
    already (kept as it is)."""
    ident = external_id(ident)
    if Ambassadeur.objects.filter(id_externe=ident).exists():
        return None
    clean = check_profile(data)
    ambassador = Ambassadeur(id_externe=ident, statut=statut, utilisateur=utilisateur)
    _save(ambassador, clean)
    if utilisateur is not None and statut == Ambassadeur.Statut.ACTIF:
        grant_role(utilisateur, Role.AMBASSADEUR)
    return ambassador


# Applications ---------------------------------------------------------------------------------


def _new_id() -> str:
    return f"AMB-{secrets.token_hex(4).upper()}"


@transaction.atomic
def apply(user, data: dict) -> Ambassadeur:
    """A person applies to become an ambassador; operators decide."""
    existing = Ambassadeur.objects.filter(utilisateur=user).first()
    if existing is not None and existing.statut != Ambassadeur.Statut.REFUSE:
        raise ValidationError("Vous avez déjà un profil d'ambassadeur ou une candidature en cours.")
    clean = check_profile({**data, "email": user.email})
    ambassador = existing or Ambassadeur(id_externe=_new_id(), utilisateur=user)
    ambassador.statut = Ambassadeur.Statut.CANDIDATURE
    ambassador.motif_refus = ""
    _save(ambassador, clean)
    notify_operators(
        "Nouvelle candidature d'ambassadeur IA",
        f"{ambassador.nom_complet} ({ambassador.get_reseau_display()}) demande à devenir "
        "ambassadeur IA : la candidature attend votre décision.\n",
    )
    return ambassador


@transaction.atomic
def decide_application(ambassador: Ambassadeur, operator, accept: bool, motif: str = ""):
    ambassador = Ambassadeur.objects.select_for_update().get(pk=ambassador.pk)
    if ambassador.statut != Ambassadeur.Statut.CANDIDATURE:
        raise ValidationError("Cette candidature a déjà été décidée.")
    motif = (motif or "").strip()
    if not accept and len(motif) < 5:
        raise ValidationError({"motif": "Un refus dit sa raison (quelques mots)."})
    if forbidden_characters(motif, multiline=True) or len(motif) > 500:
        raise ValidationError({"motif": "Raison invalide (500 caractères au plus)."})
    ambassador.statut = Ambassadeur.Statut.ACTIF if accept else Ambassadeur.Statut.REFUSE
    ambassador.motif_refus = "" if accept else motif
    ambassador.decide_par = operator
    ambassador.save()
    if accept and ambassador.utilisateur is not None:
        grant_role(ambassador.utilisateur, Role.AMBASSADEUR)
    send_email_later(
        "Votre candidature d'ambassadeur IA",
        f"Bonjour {ambassador.prenom},\n\n"
        + (
            "Votre candidature est acceptée : votre profil figure dans l'annuaire et les "
            "demandes des entreprises peuvent vous être confiées."
            if accept
            else f"Votre candidature n'est pas retenue : {motif}"
        )
        + "\n",
        [ambassador.email],
    )
    return ambassador


# The networks' import ---------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_rows(path: Path) -> list[tuple[int, dict]]:
    """(line number, row) for each line after the header; `ImportFileError` on a file that is
    not this CSV."""
    rows = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise ImportFileError("Fichier vide : l'en-tête est attendu.")
            if [h.strip() for h in header] != HEADER:
                raise ImportFileError(f"En-tête attendu : {','.join(HEADER)}")
            for row in reader:
                if any(cell.strip() for cell in row):
                    rows.append((reader.line_num, row))
    except OSError as exc:
        raise ImportFileError(f"Fichier illisible : {path} ({exc.strerror}).") from exc
    except UnicodeDecodeError as exc:
        raise ImportFileError("Le fichier n'est pas en UTF-8.") from exc
    except csv.Error as exc:
        raise ImportFileError(f"CSV illisible : {exc}") from exc
    return rows


def _line_error(errors: dict) -> str:
    return " ; ".join(f"{' '.join(m) if isinstance(m, list) else m}" for m in errors.values())


@transaction.atomic
def import_ambassadeurs(path: Path, progress=None) -> ImportReport:
    """Create or update (by `id_externe`) the ambassadors of a network's CSV file; a bad line
    is reported with its number and reason, the good ones are imported (all in one
    transaction). Imported ambassadors are active; an existing one keeps its status."""
    report = ImportReport()
    seen: dict[str, int] = {}
    for number, row in read_rows(path):
        if progress:
            progress()
        if len(row) != len(HEADER):
            report.errors.append((number, f"{len(row)} colonne(s) au lieu de {len(HEADER)}."))
            continue
        data = dict(zip(HEADER, (cell.strip() for cell in row), strict=True))
        try:
            ident = external_id(data["id_externe"])
        except InvalidExternalId as exc:
            report.errors.append((number, f"id_externe : {exc}."))
            continue
        if ident in seen:
            report.errors.append(
                (number, f"id_externe « {ident} » déjà présent ligne {seen[ident]}.")
            )
            continue
        try:
            clean = check_profile(
                {**data, "regions": _codes_list(data["regions"]), "naf": _codes_list(data["naf"])}
            )
        except ValidationError as exc:
            report.errors.append((number, _line_error(exc.message_dict)))
            continue
        seen[ident] = number
        ambassador = Ambassadeur.objects.filter(id_externe=ident).first()
        if ambassador is None:
            ambassador = Ambassadeur(id_externe=ident, statut=Ambassadeur.Statut.ACTIF)
            report.created += 1
        elif _same(ambassador, clean):
            report.unchanged += 1
            continue
        else:
            report.updated += 1
        _save(ambassador, clean)
    return report


def _same(ambassador: Ambassadeur, clean: dict) -> bool:
    """Whether importing this line again would change nothing of the ambassador."""
    fields = ("prenom", "nom", "email", "type_ambassadeur", "reseau", "capacite_mensuelle")
    if any(getattr(ambassador, name) != clean[name] for name in fields):
        return False

    def keys(values) -> set:
        return {getattr(value, "pk", value) for value in values}

    return set(ambassador.regions.values_list("pk", flat=True)) == keys(clean["regions"]) and set(
        ambassador.naf.values_list("pk", flat=True)
    ) == keys(clean["naf"])


# The directory ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filtres:
    region: str = ""
    departement: str = ""
    naf: str = ""
    type_ambassadeur: str = ""
    reseau: str = ""


def directory(filtres: Filtres):
    """The active ambassadors who cover the filters (an ambassador of every region covers each
    region, one of every sector each sector), in name order."""
    queryset = Ambassadeur.objects.filter(statut=Ambassadeur.Statut.ACTIF)
    region = filtres.region
    if filtres.departement:
        region = routage_db.region_of(filtres.departement) or "—"
    if region:
        queryset = queryset.filter(Q(regions__isnull=True) | Q(regions=region))
    if filtres.naf:
        chain = routage_db.chain(normalize_code(filtres.naf))
        queryset = queryset.filter(Q(naf__isnull=True) | Q(naf__in=chain))
    if filtres.type_ambassadeur:
        queryset = queryset.filter(type_ambassadeur=filtres.type_ambassadeur)
    if filtres.reseau:
        queryset = queryset.filter(reseau=filtres.reseau)
    if region or filtres.naf:
        queryset = Ambassadeur.objects.filter(pk__in=queryset.values("pk"))
    return queryset.order_by("nom", "prenom", "id_externe")


def counts_by_region(filtres: Filtres) -> dict[str, int]:
    """Region code → active ambassadors who cover it (with the other filters)."""
    base = directory(
        Filtres(naf=filtres.naf, type_ambassadeur=filtres.type_ambassadeur, reseau=filtres.reseau)
    )
    covered = routage_db.coverage(base)
    return {
        code: sum(1 for regions, _ in covered.values() if not regions or code in regions)
        for code in Region.objects.values_list("code", flat=True)
    }
