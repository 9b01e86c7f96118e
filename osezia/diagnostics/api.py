from typing import Annotated
from uuid import UUID

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from osezia.entreprises import permissions as entreprise_permissions
from osezia.entreprises.models import Entreprise
from osezia.socle.api_security import session_auth
from osezia.socle.pagination import Pagination
from osezia.socle.validation import MAX_EFFECTIF, MAX_MONTANT_EUR, texte

from . import permissions, services
from .models import Diagnostic

router = Router(tags=["Diagnostics"])


class OptionOut(Schema):
    code: str
    libelle: str
    points: int
    familles: dict[str, float]
    exclusif: bool


class QuestionOut(Schema):
    code: str
    etape: str
    dimension: str | None
    type: str
    libelle: str
    aide: str
    obligatoire: bool
    max_choix: int | None
    familles_usage: list[str]
    options: list[OptionOut]


class EtapeOut(Schema):
    code: str
    titre: str
    description: str


class QuestionnaireOut(Schema):
    version: int
    titre: str
    introduction: str
    etapes: list[EtapeOut]
    questions: list[QuestionOut]


# Answers: {question code: option code or list of option codes}, bounded (a questionnaire has
# a few dozen questions of a few options each).
Code = texte(60)
Reponses = Annotated[
    dict[Code, Code | Annotated[list[Code], Field(max_length=50)]], Field(max_length=200)
]


class RapideIn(Schema):
    naf: texte(
        20,
        description="Code NAF rév. 2 (sous-classe de préférence, ex. 10.71C, aussi écrit « 1071C » ou « 10.71 c »)",
    )
    effectif: int = Field(..., ge=0, le=MAX_EFFECTIF)
    chiffre_affaires_eur: int | None = Field(None, ge=0, le=MAX_MONTANT_EUR)
    departement: texte(3) | None = None
    description: texte(
        services.MAX_DESCRIPTION,
        multiline=True,
        description="Ce que fait l'entreprise et ce qui lui prend du temps (5 000 caractères au plus)",
    ) = ""
    reponses: Reponses | None = Field(
        None, description="{code de question: code d'option ou liste de codes}"
    )


class MaturiteOut(Schema):
    # `global` is a Python keyword: the field is global_ and is written "global" (by_alias).
    global_: int = Field(..., validation_alias="global", serialization_alias="global")
    niveau: str
    dimensions: dict[str, int]


class CasUsageOut(Schema):
    famille: str
    libelle: str
    score: float
    valeur: int
    faisabilite: int
    priorite: str
    justification: str


class RapideOut(Schema):
    categorie_taille: str
    estimation_taille: bool
    questionnaire_version: int
    maturite: MaturiteOut | None
    cas_usage: list[CasUsageOut]


class DiagnosticIn(Schema):
    entreprise: texte(20, description="SIREN de l'entreprise (vous devez en être membre)")
    description: texte(services.MAX_DESCRIPTION, multiline=True) | None = None
    reponses: Reponses


class DiagnosticOut(Schema):
    id: UUID
    entreprise: str | None
    statut: str
    questionnaire_version: int
    categorie_taille: str
    naf: str
    termine_le: str | None
    maturite: MaturiteOut | None
    cas_usage: list[CasUsageOut]

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_naf(obj):
        return obj.naf_id

    @staticmethod
    def resolve_entreprise(obj):
        return obj.entreprise.siren if obj.entreprise_id else None

    @staticmethod
    def resolve_questionnaire_version(obj):
        return obj.questionnaire.version

    @staticmethod
    def resolve_termine_le(obj):
        return obj.termine_le.isoformat() if obj.termine_le else None

    @staticmethod
    def resolve_maturite(obj):
        if obj.score_global is None:
            return None
        return {"global": obj.score_global, "niveau": obj.niveau, "dimensions": obj.dimensions}


@router.get("/questionnaire", response=QuestionnaireOut, summary="Le questionnaire en vigueur")
def questionnaire(request):
    return services.questionnaire_data(services.current_questionnaire()).to_dict()


@router.post(
    "/rapide",
    response=RapideOut,
    by_alias=True,
    summary="Diagnostic rapide, sans compte (rien n'est enregistré)",
)
def rapide(request, payload: RapideIn):
    """Size category, maturity (null without answers) and the 23 use-case families, best first."""
    return services.quick_assessment(
        payload.naf,
        payload.effectif,
        payload.chiffre_affaires_eur,
        payload.departement,
        payload.description,
        payload.reponses,
    )


def _own_company(request, siren: str) -> Entreprise:
    entreprise = Entreprise.objects.filter(siren=siren).first()
    if entreprise is None or not permissions.can_diagnose(request.auth, entreprise):
        raise Http404
    return entreprise


@router.post(
    "",
    response={201: DiagnosticOut},
    by_alias=True,
    auth=session_auth,
    summary="Enregistrer un diagnostic de mon entreprise",
)
def create(request, payload: DiagnosticIn):
    entreprise = _own_company(request, payload.entreprise)
    diagnostic = services.submit(request.auth, entreprise, payload.reponses, payload.description)
    return Status(201, diagnostic)


@router.get(
    "",
    response=list[DiagnosticOut],
    auth=session_auth,
    by_alias=True,
    summary="Les diagnostics de mes entreprises",
)
@paginate(Pagination, page_size=20)
def list_diagnostics(request, entreprise: texte(20) | None = None):
    visible = entreprise_permissions.visible_entreprises(request.auth)
    queryset = Diagnostic.objects.filter(entreprise__in=visible, statut=Diagnostic.Statut.TERMINE)
    if entreprise:
        queryset = queryset.filter(entreprise__siren=entreprise)
    return queryset.select_related("entreprise", "questionnaire").order_by("-termine_le")


@router.get(
    "/{uuid}", response=DiagnosticOut, auth=session_auth, by_alias=True, summary="Un diagnostic"
)
def get(request, uuid: UUID):
    diagnostic = (
        Diagnostic.objects.select_related("entreprise", "questionnaire").filter(uuid=uuid).first()
    )
    if (
        diagnostic is None
        or diagnostic.entreprise_id is None
        or not entreprise_permissions.can_view(request.auth, diagnostic.entreprise)
    ):
        raise Http404
    return diagnostic
