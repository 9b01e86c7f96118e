"""Membership claims: a person asks to join an organisation that already exists; operators
decide. Thin: the workflow lives in `comptes.services`."""

from datetime import datetime

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from osezia.socle.api_security import session_auth
from osezia.socle.pagination import Pagination

from . import services
from .models import DemandeRattachement, TypeOrganisation
from .permissions import is_operator

router = Router(tags=["Comptes"])

KINDS = ", ".join(TypeOrganisation.values)
DECISIONS = ("accepter", "refuser")


class DemandeIn(Schema):
    type_organisation: str = Field(..., description=f"L'un de : {KINDS}")
    identifiant: str = Field(
        ..., max_length=20, description="SIREN (entreprise, fournisseur) ou SIRET (organisme)"
    )
    message: str = Field(
        "",
        max_length=services.MAX_MESSAGE,
        description="Votre fonction dans l'organisation, ce qui permet de la vérifier",
    )

    @field_validator("type_organisation")
    @classmethod
    def known_kind(cls, value: str) -> str:
        if value not in TypeOrganisation.values:
            raise ValueError(f"doit valoir {KINDS.replace(', ', ' ou ')}")
        return value


class DemandeOut(Schema):
    id: int
    type_organisation: str
    identifiant: str
    nom_organisation: str
    message: str
    statut: str
    motif_refus: str
    cree_le: datetime
    decide_le: datetime | None


class DemandeOperateurOut(DemandeOut):
    demandeur_email: str
    demandeur_nom: str

    @staticmethod
    def resolve_demandeur_email(obj) -> str:
        return obj.demandeur.email

    @staticmethod
    def resolve_demandeur_nom(obj) -> str:
        return obj.demandeur.get_full_name()


class DecisionIn(Schema):
    decision: str = Field(..., description="accepter ou refuser")
    motif: str = Field("", max_length=services.MAX_MESSAGE, description="Obligatoire pour refuser")

    @field_validator("decision")
    @classmethod
    def known_decision(cls, value: str) -> str:
        if value not in DECISIONS:
            raise ValueError("doit valoir accepter ou refuser")
        return value


class StatutFiltre(Schema):
    statut: str = Field(
        DemandeRattachement.Statut.EN_ATTENTE,
        description="en_attente (défaut), acceptee ou refusee",
    )

    @field_validator("statut")
    @classmethod
    def known_status(cls, value: str) -> str:
        if value not in DemandeRattachement.Statut.values:
            raise ValueError("doit valoir en_attente, acceptee ou refusee")
        return value


@router.post(
    "/demandes-rattachement",
    response={201: DemandeOut},
    auth=session_auth,
    summary="Demander à rejoindre une organisation déjà inscrite",
)
def create_claim(request, payload: DemandeIn):
    """The operators check the request (they may ask for a Kbis or a professional e-mail) and
    accept or refuse it; the answer comes by e-mail. Sending the same request again while it
    is pending returns it unchanged. At most 5 new requests per account and per day (429)."""
    demande = services.request_membership(
        request.auth, payload.type_organisation, payload.identifiant, payload.message
    )
    return Status(201, demande)


@router.get(
    "/demandes-rattachement",
    response=list[DemandeOut],
    auth=session_auth,
    summary="Mes demandes de rattachement",
)
@paginate(Pagination, page_size=20)
def my_claims(request):
    return services.claims_of(request.auth)


def _operator(request):
    if not is_operator(request.auth):
        raise Http404
    return request.auth


@router.get(
    "/operateur/demandes-rattachement",
    response=list[DemandeOperateurOut],
    auth=session_auth,
    summary="Demandes de rattachement à traiter (opérateurs)",
)
@paginate(Pagination, page_size=20)
def operator_claims(request, filtre: Query[StatutFiltre]):
    _operator(request)
    return (
        DemandeRattachement.objects.filter(statut=filtre.statut)
        .select_related("demandeur")
        .order_by("cree_le", "pk")
    )


@router.post(
    "/operateur/demandes-rattachement/{demande_id}/decision",
    response=DemandeOperateurOut,
    auth=session_auth,
    summary="Accepter ou refuser une demande de rattachement (opérateurs)",
)
def decide_claim(request, demande_id: int, payload: DecisionIn):
    operator = _operator(request)
    demande = DemandeRattachement.objects.filter(pk=demande_id).first()
    if demande is None:
        raise Http404
    if payload.decision == "accepter":
        return services.accept_claim(demande, operator)
    return services.refuse_claim(demande, operator, payload.motif)
