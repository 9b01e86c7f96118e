"""« de » before an organisation's name, as French contracts and elides it (« l'espace du
Fournil de Gwen », never « de Le Fournil »), in code and in templates."""

import pytest
from django.template import Context, Template

from osezia.socle.texte import de


@pytest.mark.parametrize(
    ("nom", "phrase"),
    [
        ("Le Fournil de Gwen", "du Fournil de Gwen"),
        ("LE FOURNIL", "du FOURNIL"),
        ("Les Jardins de Marie", "des Jardins de Marie"),
        ("La Forge", "de la Forge"),
        ("L'Atelier", "de l'Atelier"),
        ("L’Atelier", "de l'Atelier"),
        ("Atelier Roux", "d'Atelier Roux"),
        ("Élan", "d'Élan"),
        ("Boulangerie Morel", "de Boulangerie Morel"),
        ("Hachette", "de Hachette"),
        ("Leroy Bâtiment", "de Leroy Bâtiment"),
        ("Lesage", "de Lesage"),
        ("  Le Fournil ", "du Fournil"),
    ],
)
def test_de_contracts_and_elides(nom, phrase):
    assert de(nom) == phrase


def test_the_template_filter():
    html = Template("{% load francais %}l'espace {{ nom|de }}").render(
        Context({"nom": "Le Fournil de Gwen"})
    )
    assert html == "l'espace du Fournil de Gwen"


def test_the_invitation_buttons_use_it(db):
    from django.template.loader import get_template

    source = get_template("portail/espace.html").template.source
    assert "l'invitation de {{" not in source and "|de }}" in source
