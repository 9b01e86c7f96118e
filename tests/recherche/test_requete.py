"""The one parser of searches: bounds and French messages, whatever the source of the input."""

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from osezia.recherche.requete import Facet, Option, SearchSpec, parse, yes_no

SPEC = SearchSpec(
    doc_type="essai",
    facets=(
        Facet("famille", "familles", {"REDACTION": "Rédaction", "VENTE": "Vente"}),
        Facet("public", "publics", {"SALARIE": "Salarié·e"}, upper=True),
    ),
    options=(Option("certifiante", yes_no),),
    sorts={"pertinence": "Pertinence", "nom": "Nom"},
    page_size=20,
)


def refused(params) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        parse(params, SPEC)
    return {name: " ".join(messages) for name, messages in caught.value.message_dict.items()}


def test_a_page_and_an_api_schema_are_read_the_same_way():
    from_page = parse(
        QueryDict(
            "q=+devis+&famille=VENTE&famille=REDACTION&famille=VENTE&public=salarie"
            "&certifiante=oui&tri=nom&page=3&page_size=50"
        ),
        SPEC,
    )
    from_api = parse(
        {
            "q": "devis",
            "famille": ["VENTE", "REDACTION"],
            "public": ["SALARIE"],
            "certifiante": True,
            "tri": "nom",
            "page": 3,
            "page_size": 50,
        },
        SPEC,
    )
    assert from_page == from_api
    assert from_page.values == {"famille": ("VENTE", "REDACTION"), "public": ("SALARIE",)}
    assert (from_page.page, from_page.page_size, from_page.options) == (
        3,
        50,
        {"certifiante": True},
    )


def test_defaults_and_the_page_size_cap():
    request = parse({}, SPEC)
    assert (request.q, request.sort, request.page, request.page_size) == ("", "pertinence", 1, 20)
    assert not request.filtered
    assert parse({"page_size": "10000"}, SPEC).page_size == 100


@pytest.mark.parametrize(
    "params, name, message",
    [
        ({"page": "-1"}, "page", "la page doit être un nombre entier de 1 à 1 000 000"),
        ({"page": "0"}, "page", "la page doit être un nombre entier"),
        ({"page": "deux"}, "page", "la page doit être un nombre entier"),
        ({"page": "1000001"}, "page", "la page doit être un nombre entier"),
        ({"page_size": "10001"}, "page_size", "la taille de page doit être un nombre entier"),
        ({"page_size": "0"}, "page_size", "au plus 100 résultats par page"),
        ({"famille": ["LUNE"]}, "famille", "valeur inconnue : LUNE (valeurs possibles : REDACTION"),
        ({"tri": "hasard"}, "tri", "tri inconnu (valeurs possibles : pertinence, nom)"),
        ({"q": "x" * 201}, "q", "la recherche ne doit pas dépasser 200 caractères"),
        ({"q": "devis\x00"}, "q", "caractères non autorisés"),
        ({"famille": ["VENTE\x07"]}, "famille", "caractères non autorisés"),
        ({"certifiante": "peut-être"}, "certifiante", "valeur attendue : oui ou non"),
        ({"famille": [f"F{i}" for i in range(60)]}, "famille", "au plus 50 valeurs"),
    ],
)
def test_bad_parameters_are_refused_in_french(params, name, message):
    assert message in refused(params)[name]


def test_every_refused_parameter_is_named_at_once():
    assert set(refused({"page": "-1", "famille": "LUNE", "tri": "x"})) == {"page", "famille", "tri"}
