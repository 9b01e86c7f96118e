from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import HttpBearer

from osezia.socle.pagination import PageOut, PageParams, Pagination, Rows
from osezia.socle.regles import MAX_EXTERNAL_ID
from osezia.socle.validation import IdentifiantExterne, PrixEurMois, texte

from . import format as fmt
from . import permissions, search
from .models import Solution, VersionSolution
from .services import published, solutions, tokens

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


class SolutionPage(PageOut):
    facets: dict[str, dict[str, int]] = Field(
        default_factory=dict,
        description="Pour chaque filtre, le nombre de résultats par valeur (`secteur` : par "
        "section NAF, `*` pour les solutions de tous secteurs)",
    )
    items: list[SolutionItem]


class SearchParams(PageParams):
    q: texte(search.MAX_QUERY) | None = Field(
        None, description="Texte libre (fautes et accents tolérés)"
    )
    famille: list[str] = Field(default_factory=list, max_length=50)
    secteur: texte(6) | None = Field(None, description="Code NAF, à tout niveau")
    taille: list[str] = Field(default_factory=list, max_length=50)
    tarif: list[str] = Field(default_factory=list, max_length=50)
    hebergement: list[str] = Field(default_factory=list, max_length=50)
    deploiement: list[str] = Field(default_factory=list, max_length=50)
    risque_ia_act: list[str] = Field(default_factory=list, max_length=50)
    tri: texte(20) | None = Field(
        None, description=", ".join(search.SPEC.sorts) + " (pertinence par défaut)"
    )
    extraits: bool = Field(
        False, description="Ajouter un extrait surligné de la description à chaque résultat"
    )
    facettes: bool = Field(
        False, description="Ajouter le nombre de résultats par valeur de chaque filtre (`facets`)"
    )


@router.get("/solutions", response=SolutionPage, summary="Chercher dans le catalogue")
def list_solutions(request, params: Query[SearchParams]):
    """Published solutions only, best first when `q` is given; several values of one filter
    are alternatives (OR); `secteur` also matches solutions for its parents and every sector.
    The same search as the catalogue page; with `facettes=true`, the same facet counts."""
    query = search.read(params.model_dump(exclude={"facettes"}))
    page = search.run(query, facets=params.facettes, snippets=params.extraits and bool(query.q))
    return page.answer([search.item(hit) for hit in page.hits], facets=params.facettes)


class Reference(Schema):
    client: str
    resultat: str


# The exchange format (catalogue/format.py) as request bodies: the same field names, every
# text and list bounded. `format.validate_line` still checks the codes, the SIREN, the NAF
# codes, prices and the AI Act with its French messages.
Famille = Literal[fmt.FAMILLES]
Taille = Literal[fmt.TAILLES]
Deploiement = Literal[fmt.DEPLOIEMENTS]
Certification = Literal[fmt.CERTIFICATIONS]


class FournisseurIn(Schema):
    nom: texte(fmt.MAX_FOURNISSEUR_NOM, min_length=1)
    siren: texte(20, description="SIREN (9 chiffres) ou SIRET de l'organisation du jeton")


class TarifIn(Schema):
    modele: Literal[fmt.MODELES_TARIF]
    min_eur_mois: PrixEurMois | None = None
    max_eur_mois: PrixEurMois | None = None


class ReferenceIn(Schema):
    client: texte(fmt.MAX_CLIENT, min_length=1)
    resultat: texte(fmt.MAX_RESULTAT) = ""


class ContactIn(Schema):
    email: texte(fmt.MAX_EMAIL, json_schema_extra={"format": "email"}) = ""
    telephone: texte(fmt.MAX_TELEPHONE) = ""


class SolutionUpdate(Schema):
    """One solution in the exchange format (docs/catalogue.md)."""

    id_externe: IdentifiantExterne | None = Field(
        None, description="Celui de l'adresse (il ne change pas)"
    )
    nom: texte(fmt.MAX_NOM, min_length=1)
    fournisseur: FournisseurIn | None = Field(
        None, description="Facultatif : l'organisation du jeton (si donné, son SIREN est le sien)"
    )
    resume: texte(fmt.MAX_RESUME, min_length=1)
    description: texte(fmt.MAX_DESCRIPTION, multiline=True) = ""
    familles: list[Famille] = Field(..., min_length=1, max_length=len(fmt.FAMILLES))
    secteurs: list[texte(6)] = Field(
        default_factory=list,
        max_length=fmt.MAX_SECTEURS,
        description="Codes NAF à tout niveau ([] : tous les secteurs)",
    )
    tailles: list[Taille] = Field(..., min_length=1, max_length=len(fmt.TAILLES))
    tarif: TarifIn
    deploiement: list[Deploiement] = Field(..., min_length=1, max_length=len(fmt.DEPLOIEMENTS))
    hebergement: Literal[fmt.HEBERGEMENTS]
    risque_ia_act: texte(
        40, json_schema_extra={"enum": list(fmt.RISQUES)}, description=", ".join(fmt.RISQUES)
    )
    langues: list[texte(2, pattern=r"^[a-z]{2}$")] = Field(
        default_factory=lambda: ["fr"], min_length=1, max_length=fmt.MAX_LANGUES
    )
    site_web: texte(fmt.MAX_SITE_WEB, pattern=r"^(https?://[^\s/$.?#][^\s]*)?$") = ""
    certifications: list[Certification] = Field(
        default_factory=list, max_length=len(fmt.CERTIFICATIONS)
    )
    rgpd_dpa: bool = False
    modeles_ia: list[texte(fmt.MAX_MODELE_IA)] = Field(
        default_factory=list, max_length=fmt.MAX_MODELES_IA
    )
    references: list[ReferenceIn] = Field(default_factory=list, max_length=fmt.MAX_REFERENCES)
    contact: ContactIn = Field(default_factory=ContactIn)
    pratiques_interdites: list[texte(60)] = Field(
        default_factory=list,
        max_length=20,
        description="Pratiques de l'article 5 du règlement sur l'IA : une solution qui en déclare "
        "une est refusée",
        json_schema_extra={"maxItems": 0},
    )

    def line(self, fournisseur, id_externe: str | None = None) -> dict:
        """The exchange-format line, for the token's provider."""
        raw = self.model_dump()
        if id_externe is not None:
            raw["id_externe"] = id_externe
        if raw["fournisseur"] is None:
            raw["fournisseur"] = {"nom": fournisseur.nom, "siren": fournisseur.siren}
        if not raw["pratiques_interdites"]:
            raw.pop("pratiques_interdites")
        return raw


class SolutionIn(SolutionUpdate):
    id_externe: IdentifiantExterne = Field(
        ...,
        description="Identifiant stable chez le fournisseur, gardé tel quel et comparé à "
        "l'identique (majuscules et minuscules distinctes) : lettres, chiffres, - _ . : /",
    )


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


@router.get("/solutions/{path:id_externe}", response=SolutionDetail, summary="Une solution publiée")
def get_solution(request, id_externe: texte(MAX_EXTERNAL_ID)):
    """`id_externe` exactly as stored (a `/` in it may be sent as is or as `%2F`)."""
    solution = published.published_solution(id_externe)
    if solution is None:
        raise Http404
    return fmt.to_line(
        solution.id_externe,
        solution.fournisseur.nom,
        solution.fournisseur.siren,
        solution.version_publiee.contenu,
    )


class ComparisonParams(Schema):
    ids: list[texte(MAX_EXTERNAL_ID)] = Field(
        default_factory=list,
        max_length=20,
        description=f"Identifiants de {published.COMPARISON_MIN} à {published.COMPARISON_MAX} "
        "solutions publiées (`ids=a&ids=b`)",
    )


class ComparisonOut(Schema):
    solutions: list[SolutionDetail] = Field(
        ..., description="Deux ou trois solutions publiées, dans l'ordre demandé"
    )


@router.get("/comparaison", response=ComparisonOut, summary="Comparer deux ou trois solutions")
def compare_solutions(request, params: Query[ComparisonParams]):
    """The published solutions asked for, in the order given; fewer than two of them public,
    or more than three asked, is a 422 with the French reason (the comparison page's rule)."""
    return {
        "solutions": [
            fmt.to_line(
                s.id_externe, s.fournisseur.nom, s.fournisseur.siren, s.version_publiee.contenu
            )
            for s in published.comparison(params.ids)
        ]
    }


class ProviderToken(HttpBearer):
    """`Authorization: Bearer <jeton>`: a token created in the provider space."""

    def authenticate(self, request, token):
        found = tokens.authenticate_token(token)
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
    soumettable: bool = Field(
        False, description="Un brouillon ou une version refusée peut être soumis à la modération"
    )
    vues: int = 0
    contacts: int = 0


def _submission(solution: Solution) -> dict:
    version = solution.version_en_cours or solution.version_publiee
    return {
        "id_externe": solution.id_externe,
        "statut": version.statut if version else VersionSolution.Statut.BROUILLON,
        "version": version.numero if version else 0,
        "publiee": solution.est_publiee,
        "motif_refus": version.motif_refus if version else "",
        "soumettable": permissions.can_submit(solution),
        "vues": solution.vues,
        "contacts": solution.contacts,
    }


@router.get(
    "/fournisseur/solutions",
    response=list[SubmissionOut],
    auth=ProviderToken(),
    summary="Mes solutions (fournisseur)",
)
@paginate(Pagination, page_size=50)
def provider_solutions(request):
    return Rows(solutions.provider_solutions(request.fournisseur), _submission)


@router.post(
    "/fournisseur/solutions",
    response={201: SubmissionOut},
    auth=ProviderToken(),
    summary="Proposer une solution (modérée)",
)
def provider_create(request, payload: SolutionIn):
    """Body: one solution in the exchange format. It is submitted for moderation; it appears
    in the catalogue once an operator publishes it. 422 when the identifier is taken."""
    solution = solutions.create_solution(
        request.fournisseur,
        payload.line(request.fournisseur),
        request.auth,
        source="api",
        submit_now=True,
    )
    return Status(201, _submission(solution))


@router.put(
    "/fournisseur/solutions/{path:id_externe}",
    response=SubmissionOut,
    auth=ProviderToken(),
    summary="Modifier une de mes solutions (modérée)",
)
def provider_update(request, id_externe: texte(MAX_EXTERNAL_ID), payload: SolutionUpdate):
    """A new content, submitted for moderation (a version still waiting is replaced).
    `id_externe` exactly as stored (a `/` in it may be sent as is or as `%2F`)."""
    solution = Solution.objects.filter(id_externe=id_externe).first()
    if solution is None:
        raise Http404
    try:  # another provider's solution is PermissionDenied: answered as not found
        solution = solutions.update_solution(
            request.fournisseur,
            solution,
            payload.line(request.fournisseur),
            request.auth,
            source="api",
            submit_now=True,
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    return _submission(solution)
