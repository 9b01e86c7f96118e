"""Providers' API tokens: creation (the secret shown once), revocation with its history,
authentication."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from osezia.socle.regles import forbidden_characters

from ..models import Fournisseur, JetonAPI
from ..permissions import can_revoke_tokens
from .versions import logger


def create_token(fournisseur: Fournisseur, user, nom: str) -> str:
    """A new token; its secret is shown once and only its hash is kept."""
    if forbidden_characters(nom or ""):
        nom = ""  # a label only: control characters are never stored, the default name is used
    secret = "osz_" + secrets.token_urlsafe(32)
    JetonAPI.objects.create(
        fournisseur=fournisseur,
        utilisateur=user,
        nom=nom[:100] or "Jeton",
        prefixe=secret[:10],
        empreinte=JetonAPI.hash(secret),
    )
    return secret


@transaction.atomic
def revoke_token(fournisseur: Fournisseur, token_id: int, by) -> JetonAPI:
    """Revoke one of this provider's tokens at once, recording who and when (`revoque_par`,
    `revoque_le`, shown to operators). A member of the provider or an operator may;
    PermissionDenied for anyone else; `JetonAPI.DoesNotExist` when the provider has no
    such token; a French ValidationError when it is revoked already."""
    if not can_revoke_tokens(by, fournisseur):
        raise PermissionDenied(
            "Seuls les membres du fournisseur et les opérateurs révoquent ses jetons."
        )
    token = JetonAPI.objects.select_for_update().get(pk=token_id, fournisseur=fournisseur)
    if token.revoque:
        raise ValidationError("Ce jeton est déjà révoqué.")
    token.revoque, token.revoque_le, token.revoque_par = True, timezone.now(), by
    token.save(update_fields=["revoque", "revoque_le", "revoque_par"])
    logger.info(
        "API token %s (%s…) of provider %s revoked by user %s",
        token.pk,
        token.prefixe,
        fournisseur.siren,
        getattr(by, "pk", None),
    )
    return token


def authenticate_token(secret: str) -> JetonAPI | None:
    token = (
        JetonAPI.objects.select_related("fournisseur", "utilisateur")
        .filter(empreinte=JetonAPI.hash(secret or ""), revoque=False)
        .first()
    )
    if (
        token is None
        or not token.utilisateur.is_active
        or not token.fournisseur.membres.filter(pk=token.utilisateur_id).exists()
    ):
        return None
    JetonAPI.objects.filter(pk=token.pk).update(utilise_le=timezone.now())
    return token
