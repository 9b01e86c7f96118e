"""Provider organisations: registration (or a claim when the SIREN is known), members."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from osezia.socle.texte import de

from ..models import Fournisseur
from ..permissions import can_moderate
from .versions import logger


def parse_siren(value: str) -> str:
    """A SIREN from a SIREN or SIRET typed by a person; ValidationError in French."""
    from osezia.entreprises.identifiants import InvalidIdentifier, parse_siren_or_siret

    try:
        return parse_siren_or_siret(value).siren
    except InvalidIdentifier as exc:
        raise ValidationError({"siren": str(exc)}) from exc


@transaction.atomic
def register_provider(user, nom: str, siren: str, message: str = ""):
    """A person registers their provider organisation.

    When the SIREN is new to the platform, the organisation is created with this person as its
    first member and returned (a `Fournisseur`). When it already exists (imported by operators,
    or with members), nobody becomes a member by typing its SIREN: a pending claim is sent to
    the operators and returned instead (a `DemandeRattachement`)."""
    from osezia.comptes.models import Role, TypeOrganisation
    from osezia.comptes.services import grant_role, submit_claim

    siren = parse_siren(siren)
    if not (nom or "").strip():
        raise ValidationError({"nom": "Indiquez le nom de l'organisation."})
    existing = Fournisseur.objects.filter(siren=siren).first()
    if existing is not None:
        return submit_claim(user, TypeOrganisation.FOURNISSEUR, existing.pk, message)
    try:
        with transaction.atomic():
            fournisseur = Fournisseur.objects.create(siren=siren, nom=nom.strip()[:255])
    except IntegrityError:  # registered at the same moment by someone else: ask operators
        existing = Fournisseur.objects.get(siren=siren)
        return submit_claim(user, TypeOrganisation.FOURNISSEUR, existing.pk, message)
    fournisseur.membres.add(user)
    grant_role(user, Role.FOURNISSEUR)
    return fournisseur


@transaction.atomic
def add_member(fournisseur: Fournisseur, user) -> None:
    """Make a person a member of a provider organisation, with the provider role: the one
    write of `Fournisseur.membres` (claims accepted by operators, operators' page, demo)."""
    from osezia.comptes.models import Role
    from osezia.comptes.services import grant_role

    fournisseur.membres.add(user)
    grant_role(user, Role.FOURNISSEUR)


def verified_account(email: str):
    """The active account whose confirmed address is `email` (any case), or None."""
    from allauth.account.models import EmailAddress

    found = (
        EmailAddress.objects.filter(email__iexact=(email or "").strip(), verified=True)
        .select_related("user")
        .first()
    )
    return found.user if found is not None and found.user.is_active else None


@transaction.atomic
def add_member_by_email(fournisseur: Fournisseur, email: str, operator):
    """An operator adds an existing person, by the confirmed address of their account, to a
    provider organisation. PermissionDenied for anyone but an operator; a French
    ValidationError on `email` when no active account has this confirmed address or when the
    person is a member already."""
    if not can_moderate(operator):
        raise PermissionDenied("Seuls les opérateurs ajoutent des membres à un fournisseur.")
    fournisseur = Fournisseur.objects.select_for_update().get(pk=fournisseur.pk)
    user = verified_account(email)
    if user is None:
        raise ValidationError(
            {"email": "Aucun compte actif n'a confirmé cette adresse électronique."}
        )
    if fournisseur.membres.filter(pk=user.pk).exists():
        raise ValidationError({"email": f"Cette personne est déjà membre {de(fournisseur.nom)}."})
    add_member(fournisseur, user)
    logger.info(
        "user %s added to provider %s by operator %s", user.pk, fournisseur.siren, operator.pk
    )
    return user
