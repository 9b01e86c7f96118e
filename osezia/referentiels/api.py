from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from osezia.socle.pagination import Pagination
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
from .queries import search_naf

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


@router.get("/naf/{code}", response=NafOut, summary="Un code NAF")
def get_naf(request, code: texte(10)):
    return get_object_or_404(Naf, code=code.upper())


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
