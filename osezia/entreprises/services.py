"""Company use cases: validation, creation, edition, membership, size category."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count

from osezia.comptes.models import Adhesion, Role, Utilisateur
from osezia.comptes.services import grant_role
from osezia.referentiels.models import CategorieTaille, Departement, Naf, NiveauNaf

from . import recherche_entreprises, taille
from .identifiants import Identifiant, InvalidIdentifier, parse_siren_or_siret
from .models import Entreprise

MAX_DESCRIPTION = 5000


@dataclass
class DonneesEntreprise:
    """What a person gives to register or edit a company (money in euros)."""

    identifiant: str
    denomination: str
    naf: str
    effectif: int | None
    departement: str
    chiffre_affaires_eur: int | None = None
    total_bilan_eur: int | None = None
    adresse: str = ""
    code_postal: str = ""
    commune: str = ""
    description: str = ""


@dataclass(frozen=True)
class DonneesValidees:
    identifiant: Identifiant
    denomination: str
    naf: Naf
    effectif: int
    departement: Departement
    chiffre_affaires_eur: int | None
    total_bilan_eur: int | None
    taille: taille.SizeResult
    adresse: str
    code_postal: str
    commune: str
    description: str


def check_identifier(value: str) -> Identifiant:
    """A valid SIREN/SIRET, or InvalidIdentifier with a French reason."""
    return parse_siren_or_siret(value)


def compute_size(effectif, chiffre_affaires_eur=None, total_bilan_eur=None) -> taille.SizeResult:
    return taille.size_category(effectif, chiffre_affaires_eur, total_bilan_eur)


def find_sous_classe(code: str) -> Naf | None:
    code = (code or "").strip().upper()
    return Naf.objects.filter(code=code, niveau=NiveauNaf.SOUS_CLASSE).first()


def validate(data: DonneesEntreprise) -> DonneesValidees:
    """Check every field; raise ValidationError with one French message per wrong field."""
    errors: dict[str, str] = {}
    identifiant = None
    try:
        identifiant = check_identifier(data.identifiant)
    except InvalidIdentifier as exc:
        errors["identifiant"] = str(exc)
    denomination = (data.denomination or "").strip()
    if not denomination:
        errors["denomination"] = "Indiquez le nom de l'entreprise."
    naf = find_sous_classe(data.naf)
    if naf is None:
        errors["naf"] = (
            f"« {data.naf} » n'est pas une sous-classe de la NAF rév. 2 (par exemple 10.71C)."
        )
    departement = Departement.objects.filter(code=(data.departement or "").strip().upper()).first()
    if departement is None:
        errors["departement"] = f"« {data.departement} » n'est pas un code de département connu."
    size = None
    try:
        size = compute_size(data.effectif, data.chiffre_affaires_eur, data.total_bilan_eur)
    except taille.InvalidFigures as exc:
        errors[exc.field] = str(exc)
    code_postal = (data.code_postal or "").strip()
    if code_postal and not (len(code_postal) == 5 and code_postal.isdigit()):
        errors["code_postal"] = "Le code postal compte 5 chiffres."
    if len(data.description or "") > MAX_DESCRIPTION:
        errors["description"] = f"La description ne doit pas dépasser {MAX_DESCRIPTION} caractères."
    if errors:
        raise ValidationError(errors)
    return DonneesValidees(
        identifiant=identifiant,
        denomination=denomination,
        naf=naf,
        effectif=data.effectif,
        departement=departement,
        chiffre_affaires_eur=data.chiffre_affaires_eur,
        total_bilan_eur=data.total_bilan_eur,
        taille=size,
        adresse=(data.adresse or "").strip(),
        code_postal=code_postal,
        commune=(data.commune or "").strip(),
        description=(data.description or "").strip(),
    )


def _cents(euros: int | None) -> int | None:
    return None if euros is None else int(euros) * 100


def _apply(entreprise: Entreprise, valid: DonneesValidees) -> None:
    entreprise.denomination = valid.denomination
    entreprise.siret = valid.identifiant.siret or entreprise.siret or ""
    entreprise.naf = valid.naf
    entreprise.effectif = valid.effectif
    entreprise.chiffre_affaires_cents = _cents(valid.chiffre_affaires_eur)
    entreprise.total_bilan_cents = _cents(valid.total_bilan_eur)
    entreprise.categorie_taille = valid.taille.categorie
    entreprise.taille_estimee = valid.taille.estimation
    entreprise.departement = valid.departement
    entreprise.region_id = valid.departement.region_id
    entreprise.adresse = valid.adresse
    entreprise.code_postal = valid.code_postal
    entreprise.commune = valid.commune
    entreprise.description = valid.description


ALREADY_REGISTERED = (
    "Cette entreprise est déjà inscrite sur la plateforme : demandez à son administrateur "
    "de vous ajouter à ses membres."
)


@transaction.atomic
def create_entreprise(user: Utilisateur | None, data: DonneesEntreprise) -> Entreprise:
    """Register a company; its creator becomes its admin member (none when `user` is None,
    for a company an operator registers on its behalf)."""
    valid = validate(data)
    if Entreprise.objects.filter(siren=valid.identifiant.siren).exists():
        raise ValidationError({"identifiant": ALREADY_REGISTERED})
    entreprise = Entreprise(siren=valid.identifiant.siren)
    _apply(entreprise, valid)
    try:
        with transaction.atomic():
            entreprise.save()
    except IntegrityError as exc:  # a concurrent registration of the same SIREN
        raise ValidationError({"identifiant": ALREADY_REGISTERED}) from exc
    if user is not None:
        Adhesion.objects.create(utilisateur=user, entreprise=entreprise, est_admin=True)
        grant_role(user, Role.ENTREPRISE)
    return entreprise


@transaction.atomic
def update_entreprise(entreprise: Entreprise, data: DonneesEntreprise) -> Entreprise:
    """Edit a company; its SIREN never changes (a SIRET of another company is refused)."""
    valid = validate(data)
    if valid.identifiant.siren != entreprise.siren:
        raise ValidationError(
            {"identifiant": "Le SIRET doit appartenir à cette entreprise (même SIREN)."}
        )
    _apply(entreprise, valid)
    entreprise.save()
    return entreprise


@transaction.atomic
def add_member(entreprise: Entreprise, email: str) -> Adhesion:
    user = Utilisateur.objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise ValidationError(
            {
                "email": "Aucun compte n'utilise cette adresse : la personne doit d'abord créer son compte."
            }
        )
    adhesion, created = Adhesion.objects.get_or_create(utilisateur=user, entreprise=entreprise)
    if not created:
        raise ValidationError({"email": "Cette personne est déjà membre de l'entreprise."})
    grant_role(user, Role.ENTREPRISE)
    return adhesion


@transaction.atomic
def remove_member(entreprise: Entreprise, adhesion_id: int) -> None:
    adhesion = Adhesion.objects.filter(entreprise=entreprise, pk=adhesion_id).first()
    if adhesion is None:
        raise ValidationError({"membre": "Ce membre n'appartient pas à l'entreprise."})
    if adhesion.est_admin:
        raise ValidationError(
            {"membre": "L'administrateur de l'entreprise ne peut pas être retiré."}
        )
    adhesion.delete()


def lookup_register(identifiant: str) -> recherche_entreprises.FicheEntreprise | None:
    """What the public register says of a SIRET, when an operator enabled the connector."""
    if not settings.RECHERCHE_ENTREPRISES_ENABLED:
        return None
    return recherche_entreprises.lookup(
        identifiant,
        settings.RECHERCHE_ENTREPRISES_URL,
        timeout=settings.RECHERCHE_ENTREPRISES_TIMEOUT,
    )


def count_by_size() -> list[dict]:
    """Registered companies per size category, with the plan's 2030 target for each."""
    from osezia.core import plan

    counts = dict(
        Entreprise.objects.values_list("categorie_taille").annotate(n=Count("id")).order_by()
    )
    targets = {
        "TPE": plan.TARGETS_PCT["TPE"],
        "PME": plan.TARGETS_PCT["PME_ETI"],
        "ETI": plan.TARGETS_PCT["PME_ETI"],
        "GE": plan.TARGETS_PCT["GE"],
    }
    return [
        {
            "code": c.code,
            "libelle": c.libelle,
            "count": counts.get(c.code, 0),
            "target": targets[c.code],
        }
        for c in CategorieTaille.objects.all()
    ]
