"""The ambassadors' API under /api/v1/ambassadeurs (contract of docs/ambassadeurs.md): the
public directory (never an e-mail address) and company requests, routed as on the site."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from pydantic import StrictInt

from osezia.referentiels import codes
from osezia.referentiels.models import Naf, Region
from osezia.referentiels.naf import normalize_code
from osezia.socle.api_security import session_auth
from osezia.socle.pagination import PageOut, PageParams, page_answer, page_size
from osezia.socle.ratelimit import consume_request

from . import permissions
from .models import Ambassadeur, SourceDemande
from .services import demandes, reseau

router = Router(tags=["Ambassadeurs IA"])


class AmbassadeurItem(Schema):
    id_externe: str
    prenom: str
    nom: str
    type_ambassadeur: str
    reseau: str
    regions: list[str] = Field(description="Codes INSEE des régions couvertes (vide : toutes)")
    naf: list[str] = Field(description="Codes NAF couverts, à tout niveau (vide : tous)")


class AmbassadeursPage(PageOut):
    items: list[AmbassadeurItem]


class Filtres(PageParams):
    region: str = Field("", max_length=3, description="Code INSEE de région")
    naf: str = Field("", max_length=10, description="Code NAF, à tout niveau")
    type_ambassadeur: str = Field(
        "", max_length=20, description=codes.phrase("type_ambassadeur", "code")
    )
    reseau: str = Field("", max_length=30, description=codes.phrase("reseau", "code"))


def _check(filtres: Filtres) -> reseau.Filtres:
    errors = {}
    if filtres.region and not Region.objects.filter(pk=filtres.region).exists():
        errors["region"] = f"région inconnue : « {filtres.region} »."
    naf = normalize_code(filtres.naf) if filtres.naf else ""
    if naf and not Naf.objects.filter(pk=naf).exists():
        errors["naf"] = f"code NAF inconnu : « {naf} »."
    for name in ("type_ambassadeur", "reseau"):
        value = getattr(filtres, name)
        if value and not codes.is_code(name, value):
            errors[name] = f"valeur inconnue ; valeurs possibles : {', '.join(codes.codes(name))}."
    if errors:
        raise ValidationError(errors)
    return reseau.Filtres(
        region=filtres.region,
        naf=naf,
        type_ambassadeur=filtres.type_ambassadeur,
        reseau=filtres.reseau,
    )


def _item(ambassador: Ambassadeur) -> dict:
    return {
        "id_externe": ambassador.id_externe,
        "prenom": ambassador.prenom,
        "nom": ambassador.nom,
        "type_ambassadeur": ambassador.type_ambassadeur,
        "reseau": ambassador.reseau,
        "regions": sorted(r.code for r in ambassador.regions.all()),
        "naf": sorted(n.code for n in ambassador.naf.all()),
    }


@router.get("", response=AmbassadeursPage, summary="L'annuaire public des ambassadeurs actifs")
def annuaire(request, filtres: Query[Filtres]):
    found = reseau.directory(_check(filtres)).prefetch_related(
        Prefetch("regions", queryset=Region.objects.only("code")),
        Prefetch("naf", queryset=Naf.objects.only("code")),
    )
    size = page_size(filtres.page_size)
    start = (filtres.page - 1) * size
    rows = [_item(a) for a in found[start : start + size]]
    return page_answer(rows, found.count(), filtres.page, size)


class DemandeIn(Schema):
    siret: str | None = Field(None, description="SIRET de l'établissement (facultatif)")
    naf: str = Field(description="Code NAF de l'entreprise (par exemple 10.71C)")
    departement: str = Field(description="Code INSEE du département (35, 2A, 971…)")
    # Strict: the same rule as `import_demandes` (a number, not "6" nor true).
    effectif: StrictInt | None = Field(None, description="Nombre de personnes")
    message: str = Field("", description="Ce que l'entreprise attend (2 000 caractères au plus)")
    email: str = Field(description="Adresse électronique où l'ambassadeur répond")


class AmbassadeurRef(Schema):
    id_externe: str
    type_ambassadeur: str
    reseau: str


class DemandeOut(Schema):
    id: int
    ambassadeur: AmbassadeurRef | None = Field(
        description="Vide quand aucun ambassadeur actif ne couvre l'entreprise (statut en_attente)"
    )
    statut: str
    echeance_premier_contact: str | None = Field(
        description="Date AAAA-MM-JJ du premier contact au plus tard"
    )


@router.post(
    "/demandes",
    response={201: DemandeOut},
    summary="« Être accompagné par un ambassadeur » : la demande est routée aussitôt",
)
def create_demande(request, payload: DemandeIn):
    consume_request(request, "ambassadeurs-demande", demandes.REQUESTS_PER_HOUR, 3600)
    demande = demandes.create_request(payload.dict(), source=SourceDemande.API)
    return Status(201, demandes.answer(demande))


# The requests one may see: an ambassador those confided to them, a company member those of
# their companies (or sent by them), an operator all (`permissions.visible_requests`).


class DemandeSuivie(DemandeOut):
    naf: str
    departement: str
    entreprise: str | None = Field(description="Raison sociale quand la demande vient d'un compte")
    cree_le: str = Field(description="Date et heure ISO 8601")


class DemandesPage(PageOut):
    items: list[DemandeSuivie]


def _followed(demande) -> dict:
    return {
        **demandes.answer(demande),
        "naf": demande.naf_id,
        "departement": demande.departement_id,
        "entreprise": demande.entreprise.denomination if demande.entreprise_id else None,
        "cree_le": demande.cree_le.isoformat(),
    }


def _visible(request, pk: int):
    found = (
        permissions.visible_requests(request.user)
        .select_related("ambassadeur", "entreprise")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


@router.get(
    "/demandes",
    response=DemandesPage,
    auth=session_auth,
    summary="Mes demandes (ambassadeur : celles qui me sont confiées ; entreprise : les siennes)",
)
def mes_demandes(request, pages: Query[PageParams]):
    found = (
        permissions.visible_requests(request.user)
        .select_related("ambassadeur", "entreprise")
        .order_by("-cree_le", "-pk")
    )
    size = page_size(pages.page_size)
    start = (pages.page - 1) * size
    rows = [_followed(d) for d in found[start : start + size]]
    return page_answer(rows, found.count(), pages.page, size)


@router.get(
    "/demandes/{pk}", response=DemandeSuivie, auth=session_auth, summary="Une de mes demandes"
)
def une_demande(request, pk: int):
    return _followed(_visible(request, pk))


class StatutIn(Schema):
    statut: str = Field(
        max_length=20,
        description="Le nouveau statut : "
        + ", ".join(sorted({s for after in demandes.TRANSITIONS.values() for s in after})),
    )
    motif: str = Field("", max_length=500, description="Raison (obligatoire pour pas_pour_moi)")


@router.post(
    "/demandes/{pk}/statut",
    response={200: DemandeSuivie, 403: dict},
    auth=session_auth,
    summary="Faire avancer une demande (son ambassadeur ou un opérateur)",
)
def faire_avancer(request, pk: int, payload: StatutIn):
    demande = _visible(request, pk)
    if not permissions.can_act_on(request.user, demande):
        return Status(
            403,
            {"detail": "Seul l'ambassadeur à qui la demande est confiée peut la faire avancer."},
        )
    demandes.change_status(demande, request.user, payload.statut, payload.motif)
    return _followed(_visible(request, pk))
