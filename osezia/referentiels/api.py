from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from osezia.socle.pagination import PageOut, Pagination, page_answer
from osezia.socle.validation import texte

from .models import (
    CategorieTaille,
    Departement,
    Dimension,
    FamilleCasUsage,
    Naf,
    NiveauMaturite,
    NiveauNaf,
    NiveauRisqueIA,
    Public,
    Region,
    ReseauPartenaire,
    TypeAmbassadeur,
)
from .naf import MAX_SUGGESTIONS, normalize_code
from .queries import search_naf, suggest_naf

router = Router(tags=["Référentiels"])


class NafOut(Schema):
    code: str
    libelle: str
    niveau: NiveauNaf
    parent: str | None = Field(None, alias="parent_id")
    section: str


class CodeOut(Schema):
    code: str
    libelle: str


class DepartementOut(CodeOut):
    region: str = Field(..., alias="region_id")


class NiveauOut(CodeOut):
    score_min: int
    score_max: int


@router.get("/naf", response=list[NafOut], summary="Codes NAF rév. 2")
@paginate(Pagination, page_size=50)
def list_naf(request, niveau: NiveauNaf | None = None, q: texte(100) | None = None):
    """Codes of one level (`section`, `division`, `groupe`, `classe`, `sous_classe`) or all;
    `q` matches code and label without accents or case (`q=boulang` finds 10.71C)."""
    return search_naf(niveau, q)


class NafSuggestionOut(Schema):
    code: str
    libelle: str
    terme: str = Field(
        "", description="Le mot du métier reconnu dans la saisie, quand ce n'est pas le libellé"
    )


class NafSuggestionsOut(PageOut):
    """One bounded page (the API's list shape): the best suggestions, 20 at most in all."""

    q: str
    items: list[NafSuggestionOut]


@router.get(
    "/naf/suggestions",
    response=NafSuggestionsOut,
    summary="Trouver sa sous-classe NAF à partir de son métier ou d'un code",
)
def naf_suggestions(
    request,
    q: texte(100),
    page: int = Query(1, ge=1, le=2, description="Numéro de page (20 suggestions au plus)"),
    page_size: int = Query(10, ge=1, le=MAX_SUGGESTIONS, description="Suggestions par page"),
):
    """The sous-classes that fit `q`, best first, 20 at most in all: a code however it is
    typed (`1071 c`, `10.71`) or everyday words of a trade (`boulangerie`, `garage auto`,
    `expert comptable`), accents, case and small typos tolerated (`plombiet`). Used by the
    NAF fields' autocomplete; limited like every anonymous call of the API."""
    found = suggest_naf(q, MAX_SUGGESTIONS)
    start = (page - 1) * page_size
    return page_answer(found[start : start + page_size], len(found), page, page_size, q=q)


@router.get("/naf/{code}", response=NafOut, summary="Un code NAF")
def get_naf(request, code: texte(10)):
    """`code` as the nomenclature writes it or as typed (`1071c`, `10.71 C`)."""
    return get_object_or_404(Naf, code=normalize_code(code))


def _code_list(path: str, model, schema=CodeOut, summary: str = ""):
    @router.get(path, response=list[schema], summary=summary)
    @paginate(Pagination, page_size=100)
    def view(request):
        return model.objects.all()

    view.__name__ = f"list_{model.__name__.lower()}"
    return view


_code_list("/regions", Region, summary="Régions (COG)")
_code_list("/departements", Departement, DepartementOut, summary="Départements (COG)")
_code_list("/familles", FamilleCasUsage, summary="Familles de cas d'usage de l'IA")
_code_list("/dimensions", Dimension, summary="Dimensions de maturité")
_code_list("/niveaux", NiveauMaturite, NiveauOut, summary="Niveaux de maturité")
_code_list("/publics", Public, summary="Publics de l'Académie")
_code_list("/tailles", CategorieTaille, summary="Catégories de taille")
_code_list("/types-ambassadeur", TypeAmbassadeur, summary="Types d'ambassadeur")
_code_list("/reseaux", ReseauPartenaire, summary="Réseaux partenaires")
_code_list("/risques-ia-act", NiveauRisqueIA, summary="Niveaux de risque AI Act")
