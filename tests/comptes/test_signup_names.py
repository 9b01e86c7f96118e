"""The sign-up form's names follow the platform's one text rule."""

import pytest

from osezia.comptes.forms import SignupForm
from osezia.socle.validation import MESSAGE


@pytest.mark.parametrize("name", ["Léa\x00", "Lé\x07a", "Léa\u009bx", "Lé\nBis"])
def test_a_name_with_control_characters_is_refused(name):
    form = SignupForm(data={"first_name": name, "last_name": "Fabre", "profil": "ENTREPRISE"})
    assert not form.is_valid()
    assert form.errors["first_name"] == [MESSAGE]


def test_ordinary_names_pass():
    form = SignupForm(
        data={"first_name": "Anne-Éloïse", "last_name": "N'Diaye Ødegård", "profil": "ENTREPRISE"}
    )
    assert form.is_valid(), form.errors
