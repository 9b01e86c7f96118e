from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from osezia.comptes.api import DemandeOut
from osezia.comptes.services import claim_notice
from osezia.socle.api_security import session_auth
from osezia.socle.pagination import Pagination
from osezia.socle.validation import MAX_EFFECTIF, MAX_MONTANT_EUR, texte

from . import permissions, services, taille
from .identifiants import InvalidIdentifier
from .models import Entreprise

router = Router(tags=["Entreprises"])


class TailleIn(Schema):
    effectif: int = Field(..., ge=0, le=MAX_EFFECTIF, description="Nombre de personnes")
    chiffre_affaires_eur: int | None = Field(
        None, ge=0, le=MAX_MONTANT_EUR, description="Chiffre d'affaires annuel en euros"
    )
    total_bilan_eur: int | None = Field(
        None, ge=0, le=MAX_MONTANT_EUR, description="Total de bilan en euros"
    )


class TailleOut(Schema):
    categorie_taille: str
    estimation: bool


class VerificationOut(Schema):
    valide: bool
    siren: str | None
    siret: str | None = None
    detail: str


class EntrepriseIn(Schema):
    siret: texte(20, description="SIRET (14 chiffres) ou SIREN (9 chiffres)")
    denomination: texte(
        255,
        description="Déclaratif ; ignoré quand le connecteur au répertoire des entreprises est "
        "actif (le nom est alors celui du répertoire)",
    ) = ""
    naf: texte(
        20,
        description="Sous-classe NAF rév. 2 (10.71C, aussi écrit « 1071C » ou « 10.71 c ») ; "
        "ignorée quand le connecteur au répertoire des entreprises est actif",
    ) = ""
    effectif: int = Field(..., ge=0, le=MAX_EFFECTIF)
    departement: texte(3)
    chiffre_affaires_eur: int | None = Field(None, ge=0, le=MAX_MONTANT_EUR)
    total_bilan_eur: int | None = Field(None, ge=0, le=MAX_MONTANT_EUR)
    adresse: texte(255) = ""
    code_postal: texte(5) = ""
    commune: texte(120) = ""
    description: texte(services.MAX_DESCRIPTION, multiline=True) = ""

    def to_data(self) -> services.DonneesEntreprise:
        return services.DonneesEntreprise(
            identifiant=self.siret,
            denomination=self.denomination,
            naf=self.naf,
            effectif=self.effectif,
            departement=self.departement,
            chiffre_affaires_eur=self.chiffre_affaires_eur,
            total_bilan_eur=self.total_bilan_eur,
            adresse=self.adresse,
            code_postal=self.code_postal,
            commune=self.commune,
            description=self.description,
        )


class EntrepriseOut(Schema):
    siren: str
    siret: str
    denomination: str
    naf: str = Field(..., alias="naf_id")
    effectif: int
    chiffre_affaires_eur: int | None
    total_bilan_eur: int | None
    categorie_taille: str
    estimation: bool = Field(..., alias="taille_estimee")
    departement: str = Field(..., alias="departement_id")
    region: str = Field(..., alias="region_id")
    commune: str
    description: str


@router.get(
    "/categorie-taille", response=TailleOut, summary="Catégorie de taille (décret 2008-1354)"
)
def categorie_taille(request, filters: Query[TailleIn]):
    """TPE, PME, ETI or GE from the headcount and, when known, turnover and balance-sheet total.
    `estimation` is true when a missing figure could change the category."""
    try:
        result = services.compute_size(
            filters.effectif, filters.chiffre_affaires_eur, filters.total_bilan_eur
        )
    except taille.InvalidFigures as exc:
        raise ValidationError({exc.field: str(exc)}) from exc
    return {"categorie_taille": result.categorie, "estimation": result.estimation}


@router.get(
    "/verification-siret/{siret}", response=VerificationOut, summary="Vérifier un SIRET ou un SIREN"
)
def verification_siret(request, siret: texte(40)):
    try:
        parsed = services.check_identifier(siret)
    except InvalidIdentifier as exc:
        return {"valide": False, "siren": None, "siret": None, "detail": str(exc)}
    kind = "SIRET" if parsed.siret else "SIREN"
    return {
        "valide": True,
        "siren": parsed.siren,
        "siret": parsed.siret,
        "detail": f"Numéro {kind} valide.",
    }


@router.get("", response=list[EntrepriseOut], auth=session_auth, summary="Mes entreprises")
@paginate(Pagination, page_size=20)
def list_entreprises(request):
    """The companies the caller is a member of (all of them for an operator)."""
    return permissions.visible_entreprises(request.auth).order_by("denomination")


class DemandeEnvoyee(Schema):
    detail: str
    demande: DemandeOut


@router.post(
    "",
    response={201: EntrepriseOut, 202: DemandeEnvoyee},
    auth=session_auth,
    summary="Inscrire une entreprise",
)
def create_entreprise(request, payload: EntrepriseIn):
    """201 with the company when its SIREN is new: the caller becomes its admin. When the
    company is already registered, nobody joins it by typing its SIREN: 202 with the claim
    sent to the operators, who check it and answer by e-mail (the company is unchanged)."""
    outcome = services.create_entreprise(request.auth, payload.to_data(), request=request)
    if isinstance(outcome, Entreprise):
        return Status(201, outcome)
    return Status(202, {"detail": claim_notice(outcome.type_organisation), "demande": outcome})


class InvitationIn(Schema):
    email: str = Field(..., max_length=254, description="Adresse électronique de la personne")


class Message(Schema):
    detail: str


class InvitationOut(Schema):
    id: int
    siren: str = Field(..., alias="entreprise.siren")
    denomination: str = Field(..., alias="entreprise.denomination")
    cree_le: datetime
    expire_le: datetime = Field(..., description="Au-delà, l'invitation ne peut plus être acceptée")

    @staticmethod
    def resolve_expire_le(obj) -> datetime:
        return obj.cree_le + services.INVITATION_VALIDITY


class ReponseIn(Schema):
    accepter: bool = Field(..., description="true pour rejoindre l'entreprise, false pour décliner")


@router.get(
    "/invitations",
    response=list[InvitationOut],
    auth=session_auth,
    summary="Mes invitations à rejoindre une entreprise",
)
@paginate(Pagination, page_size=20)
def my_invitations(request):
    """Pending invitations sent to one of the caller's verified e-mail addresses."""
    return services.invitations_for(request.auth)


@router.post(
    "/invitations/{invitation_id}/reponse",
    response=Message,
    auth=session_auth,
    summary="Accepter ou décliner une invitation",
)
def answer_invitation(request, invitation_id: int, payload: ReponseIn):
    invitation = services.answer_invitation(request.auth, invitation_id, payload.accepter)
    if payload.accepter:
        return {"detail": f"Vous êtes membre de l'entreprise {invitation.entreprise.denomination}."}
    return {"detail": "L'invitation est déclinée."}


def _visible(request, siren: str) -> Entreprise:
    entreprise = Entreprise.objects.filter(siren=siren).first()
    if entreprise is None or not permissions.can_view(request.auth, entreprise):
        raise Http404
    return entreprise


@router.get("/{siren}", response=EntrepriseOut, auth=session_auth, summary="Une entreprise")
def get_entreprise(request, siren: texte(20)):
    return _visible(request, siren)


@router.post(
    "/{siren}/membres",
    response={202: Message},
    auth=session_auth,
    summary="Inviter une personne à rejoindre l'entreprise (administrateur)",
)
def invite_member(request, siren: texte(20), payload: InvitationIn):
    """The answer is the same whether or not an account uses the address: the person receives
    an e-mail and joins when they accept. At most 20 invitations per account and per day."""
    entreprise = _visible(request, siren)
    if not permissions.can_manage_members(request.auth, entreprise):
        raise Http404
    answer = services.invite_member(entreprise, payload.email, request.auth)
    return Status(202, {"detail": answer})


@router.delete(
    "/{siren}/invitations/{invitation_id}",
    response=Message,
    auth=session_auth,
    summary="Annuler une invitation en attente (administrateur)",
)
def cancel_invitation(request, siren: texte(20), invitation_id: int):
    """The invitation can no longer be accepted. 404 for anyone but the company's admin and
    the operators, and for an invitation of another company; 422 when it was already answered
    or cancelled."""
    entreprise = _visible(request, siren)
    invitation = services.cancel_invitation(entreprise, invitation_id, request.auth)
    return {"detail": f"L'invitation envoyée à {invitation.email} est annulée."}


@router.put(
    "/{siren}", response=EntrepriseOut, auth=session_auth, summary="Modifier une entreprise"
)
def update_entreprise(request, siren: texte(20), payload: EntrepriseIn):
    entreprise = _visible(request, siren)
    if not permissions.can_edit(request.auth, entreprise):
        raise Http404
    return services.update_entreprise(entreprise, payload.to_data())
