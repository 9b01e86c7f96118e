from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Body, Field, Query, Router, Schema, Status
from ninja.security import HttpBearer

from osezia.api.pagination import MAX_PAGE

from . import search, services
from .models import Solution

router = Router(tags=["Catalogue"])


class SolutionItem(Schema):
    id_externe: str
    nom: str
    resume: str
    familles: list[str]
    secteurs: list[str]
    tailles: list[str]
    hebergement: str
    deploiement: list[str]
    risque_ia_act: str
    tarif: str
    prix_min_eur_mois: int | None
    score: float
    extrait: str = Field(
        "", description="Extrait de la description, termes trouvés en <b>gras</b> (HTML échappé)"
    )


class SolutionPage(Schema):
    count: int
    items: list[SolutionItem]


class SearchParams(Schema):
    q: str | None = Field(
        None, max_length=search.MAX_QUERY, description="Texte libre (fautes et accents tolérés)"
    )
    famille: list[str] = Field(default_factory=list)
    secteur: str | None = Field(None, max_length=6, description="Code NAF, à tout niveau")
    taille: list[str] = Field(default_factory=list)
    tarif: list[str] = Field(default_factory=list)
    hebergement: list[str] = Field(default_factory=list)
    deploiement: list[str] = Field(default_factory=list)
    risque_ia_act: list[str] = Field(default_factory=list)
    tri: str | None = Field(None, description="pertinence (défaut avec q), nom, prix, recent")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1)
    extraits: bool = Field(
        False, description="Ajouter un extrait surligné de la description à chaque résultat"
    )


@router.get("/solutions", response=SolutionPage, summary="Chercher dans le catalogue")
def list_solutions(request, params: Query[SearchParams]):
    """Published solutions only, best first when `q` is given; several values of one filter
    are alternatives (OR); `secteur` also matches solutions for its parents and every sector."""
    query = search.parse(
        params.q,
        params.secteur,
        params.tri,
        famille=params.famille,
        taille=params.taille,
        tarif=params.tarif,
        hebergement=params.hebergement,
        deploiement=params.deploiement,
        risque_ia_act=params.risque_ia_act,
    )
    size = min(params.page_size, 100)
    results = search.run(
        query, page=params.page, page_size=size, snippets=params.extraits and bool(query.q)
    )
    return {"count": results.count, "items": [search.item(hit) for hit in results.hits]}


class Reference(Schema):
    client: str
    resultat: str


class SolutionDetail(Schema):
    id_externe: str
    nom: str
    fournisseur: dict
    resume: str
    description: str
    familles: list[str]
    secteurs: list[str]
    tailles: list[str]
    tarif: dict
    deploiement: list[str]
    hebergement: str
    risque_ia_act: str
    langues: list[str]
    site_web: str
    certifications: list[str]
    rgpd_dpa: bool
    modeles_ia: list[str]
    references: list[Reference]
    contact: dict


@router.get("/solutions/{id_externe}", response=SolutionDetail, summary="Une solution publiée")
def get_solution(request, id_externe: str):
    solution = (
        Solution.objects.select_related("fournisseur", "version_publiee")
        .filter(id_externe=id_externe)
        .first()
    )
    if solution is None or not solution.est_publiee:
        raise Http404
    from .format import to_line

    return to_line(
        solution.id_externe,
        solution.fournisseur.nom,
        solution.fournisseur.siren,
        solution.version_publiee.contenu,
    )


class ProviderToken(HttpBearer):
    """`Authorization: Bearer <jeton>`: a token created in the provider space."""

    def authenticate(self, request, token):
        found = services.authenticate_token(token)
        if found is None:
            return None
        request.fournisseur = found.fournisseur
        return found.utilisateur


class SubmissionOut(Schema):
    id_externe: str
    statut: str
    version: int
    publiee: bool
    motif_refus: str = ""
    vues: int = 0
    contacts: int = 0


def _submission(solution: Solution) -> dict:
    version = solution.version_en_cours or solution.version_publiee
    return {
        "id_externe": solution.id_externe,
        "statut": version.statut if version else "brouillon",
        "version": version.numero if version else 0,
        "publiee": solution.est_publiee,
        "motif_refus": version.motif_refus if version else "",
        "vues": solution.vues,
        "contacts": solution.contacts,
    }


@router.get(
    "/fournisseur/solutions",
    response=list[SubmissionOut],
    auth=ProviderToken(),
    summary="Mes solutions (fournisseur)",
)
def provider_solutions(request):
    solutions = Solution.objects.filter(fournisseur=request.fournisseur).select_related(
        "version_en_cours", "version_publiee"
    )
    return [_submission(s) for s in solutions]


@router.post(
    "/fournisseur/solutions",
    response={201: SubmissionOut},
    auth=ProviderToken(),
    summary="Proposer une solution (modérée)",
)
def provider_create(request, payload: Body[dict]):
    """Body: one solution in the import format. It is submitted for moderation; it appears in
    the catalogue once an operator publishes it."""
    if Solution.objects.filter(id_externe=str(payload.get("id_externe", ""))).exists():
        raise ValidationError({"id_externe": "existe déjà : modifiez-la avec PUT"})
    solution = services.save_draft(
        request.fournisseur, payload, request.auth, source="api", submit_now=True
    )
    return Status(201, _submission(solution))


@router.put(
    "/fournisseur/solutions/{id_externe}",
    response=SubmissionOut,
    auth=ProviderToken(),
    summary="Modifier une de mes solutions (modérée)",
)
def provider_update(request, id_externe: str, payload: Body[dict]):
    solution = Solution.objects.filter(id_externe=id_externe).first()
    if solution is None or solution.fournisseur_id != request.fournisseur.pk:
        raise Http404
    if payload.get("id_externe", id_externe) != id_externe:
        raise ValidationError({"id_externe": "ne peut pas changer"})
    try:
        solution = services.save_draft(
            request.fournisseur,
            {**payload, "id_externe": id_externe},
            request.auth,
            source="api",
            submit_now=True,
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    return _submission(solution)
