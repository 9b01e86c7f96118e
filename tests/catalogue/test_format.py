import pytest

from osezia.catalogue import format as fmt
from tests.catalogue.conftest import make_line

NAF = {"C", "10", "10.7", "10.71", "10.71C", "43", "F", "47.11C"}


def test_a_good_line_round_trips(line):
    data = fmt.validate_line(line, NAF)
    assert data.fournisseur_siren == line["fournisseur"]["siren"]
    back = data.to_line()
    assert fmt.validate_line(back, NAF) == data
    row = fmt.line_to_csv_row(back)
    assert fmt.validate_line(fmt.csv_row_to_line(row), NAF) == data


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"id_externe": "Pas Un Slug"}, "id_externe", "identifiant"),
        ({"nom": ""}, "nom", "obligatoire"),
        (
            {"fournisseur": {"nom": "X", "siren": "123456789"}},
            "fournisseur.siren",
            "clé de contrôle",
        ),
        ({"familles": ["CHATBOT"]}, "familles", "valeur inconnue"),
        ({"familles": []}, "familles", "au moins une"),
        ({"secteurs": ["99.99Z"]}, "secteurs", "code NAF inconnu"),
        ({"tailles": ["XXL"]}, "tailles", "valeur inconnue"),
        (
            {"tarif": {"modele": "abonnement", "min_eur_mois": 100, "max_eur_mois": 10}},
            "tarif.max_eur_mois",
            "supérieur",
        ),
        ({"tarif": {"modele": "abonnement", "min_eur_mois": -5}}, "tarif.min_eur_mois", "négatif"),
        ({"tarif": {"modele": "cadeau"}}, "tarif.modele", "valeur possible"),
        ({"deploiement": ["cloud"]}, "deploiement", "valeur inconnue"),
        ({"hebergement": "lune"}, "hebergement", "valeur possible"),
        ({"site_web": "pas une adresse"}, "site_web", "adresse web"),
        ({"contact": {"email": "pas-un-courriel"}}, "contact.email", "invalide"),
    ],
)
def test_bad_fields_are_named_in_french(overrides, field, words):
    with pytest.raises(fmt.InvalidSolution) as excinfo:
        fmt.validate_line(make_line(**overrides), NAF)
    assert words in excinfo.value.errors[field]


@pytest.mark.parametrize(
    "overrides",
    [
        {"risque_ia_act": "inacceptable"},
        {"pratiques_interdites": ["NOTATION_SOCIALE"]},
        {"resume": "Un score social des habitants pour les collectivités."},
        {
            "description": "Détection des émotions des salariés pendant les réunions pour évaluer leur engagement."
        },
        {
            "description": "Reconnaissance faciale construite par moissonnage d'images de visages sur internet."
        },
    ],
)
def test_prohibited_practices_are_refused(overrides):
    with pytest.raises(fmt.InvalidSolution) as excinfo:
        fmt.validate_line(make_line(**overrides), NAF)
    assert "article 5" in excinfo.value.errors["risque_ia_act"]


def test_high_risk_is_allowed_and_emotions_outside_work_are_not_flagged():
    assert fmt.validate_line(make_line(risque_ia_act="haut"), NAF).risque_ia_act == "haut"
    fine = make_line(
        description="Analyse les émotions exprimées dans les avis clients publiés en ligne."
    )
    assert fmt.validate_line(fine, NAF)


def test_sector_codes_are_read_however_they_are_typed():
    data = fmt.validate_line(make_line(secteurs=["1071 c", "10.71C"]), {"10.71C"})
    assert data.secteurs == ["10.71C"]
