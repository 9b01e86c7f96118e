"""The « Recherche d'entreprises » connector, on recorded answers only (never the network)."""

import json
from pathlib import Path

import pytest

from osezia.entreprises import recherche_entreprises, services

RECORDED = json.loads(
    (Path(__file__).parent / "data" / "recherche_entreprises_boulangerie.json").read_text()
)


def recorded(url, timeout):
    assert "q=" in url
    return RECORDED


def test_siret_of_the_head_office_gives_its_name_naf_and_address():
    fiche = recherche_entreprises.lookup(
        "81234567600017", "https://exemple.invalid/search", fetch=recorded
    )
    assert fiche.denomination == "BOULANGERIE MOREL"
    assert fiche.naf == "10.71C"
    assert (fiche.code_postal, fiche.commune, fiche.departement) == ("69007", "LYON", "69")


def test_siret_of_a_secondary_establishment_gives_that_establishment():
    fiche = recherche_entreprises.lookup(
        "81234567600025", "https://exemple.invalid/search", fetch=recorded
    )
    assert fiche.siret == "81234567600025"
    assert fiche.naf == "47.24Z"
    assert fiche.departement == "69"  # derived from the postal code


def test_unknown_siret_and_unreachable_service_give_nothing():
    assert (
        recherche_entreprises.lookup("11111111111111", "https://x.invalid", fetch=recorded) is None
    )

    def down(url, timeout):
        raise OSError("réseau indisponible")

    assert recherche_entreprises.lookup("81234567600017", "https://x.invalid", fetch=down) is None


@pytest.mark.parametrize(
    ("cp", "dep"), [("20000", "2A"), ("20200", "2B"), ("97400", "974"), ("75011", "75")]
)
def test_department_from_postal_code(cp, dep):
    assert recherche_entreprises._department_of(cp) == dep


def test_connector_is_off_by_default(settings, monkeypatch):
    assert settings.RECHERCHE_ENTREPRISES_ENABLED is False

    def forbidden(*args, **kwargs):
        raise AssertionError("le connecteur ne doit pas être appelé")

    monkeypatch.setattr(recherche_entreprises, "lookup", forbidden)
    assert services.lookup_register("81234567600017") is None
