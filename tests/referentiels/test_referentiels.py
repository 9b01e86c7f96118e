from django.db.models import Count

from osezia.referentiels.models import (
    CategorieTaille,
    Departement,
    Dimension,
    FamilleCasUsage,
    Naf,
    NiveauMaturite,
    NiveauRisqueIA,
    Public,
    Region,
    ReseauPartenaire,
    TypeAmbassadeur,
)
from osezia.referentiels.queries import search_naf
from osezia.referentiels.services import load_referentiels


def naf_counts():
    return dict(Naf.objects.values_list("niveau").annotate(n=Count("code")).order_by())


def test_every_reference_table_is_complete(db):
    assert naf_counts() == {
        "section": 21,
        "division": 88,
        "groupe": 272,
        "classe": 615,
        "sous_classe": 732,
    }
    assert Region.objects.count() == 18
    assert Departement.objects.count() == 101
    assert FamilleCasUsage.objects.count() == 23
    assert Dimension.objects.count() == 6
    assert NiveauMaturite.objects.count() == 4
    assert Public.objects.count() == 4
    assert CategorieTaille.objects.count() == 4
    assert TypeAmbassadeur.objects.count() == 3
    assert ReseauPartenaire.objects.count() == 5
    assert NiveauRisqueIA.objects.count() == 3


def test_boulangerie_sits_under_its_class_group_division_and_section(db):
    naf = Naf.objects.get(code="10.71C")
    assert naf.libelle == "Boulangerie et boulangerie-pâtisserie"
    assert [n.code for n in naf.ancetres()] == ["10.71C", "10.71", "10.7", "10", "C"]
    assert naf.section == "C"


def test_every_code_but_sections_has_a_parent_one_level_up(db):
    levels = ["section", "division", "groupe", "classe", "sous_classe"]
    for naf in Naf.objects.exclude(niveau="section").select_related("parent"):
        assert levels.index(naf.parent.niveau) == levels.index(naf.niveau) - 1


def test_geography(db):
    assert Departement.objects.get(code="69").region.libelle == "Auvergne-Rhône-Alpes"
    assert Departement.objects.get(code="2A").region.code == "94"
    assert Departement.objects.get(code="971").region.code == "01"


def test_loading_twice_changes_nothing(db):
    before = (naf_counts(), Departement.objects.count(), FamilleCasUsage.objects.count())
    load_referentiels()
    load_referentiels()
    assert (naf_counts(), Departement.objects.count(), FamilleCasUsage.objects.count()) == before


def test_search_ignores_accents_and_case(db):
    assert "10.71C" in set(search_naf("sous_classe", "boulang").values_list("code", flat=True))
    assert "10.71C" in set(
        search_naf("sous_classe", "BOULANGERIE-PATISSERIE").values_list("code", flat=True)
    )
    assert set(search_naf("section", "electricite").values_list("code", flat=True)) == {"D"}
    assert search_naf(None, "zzzz").count() == 0


def test_no_label_is_broken(db):
    assert not Naf.objects.filter(libelle__contains="object").exists()
    assert Naf.objects.get(code="47.52A").libelle.startswith("Commerce de détail de quincaillerie")
