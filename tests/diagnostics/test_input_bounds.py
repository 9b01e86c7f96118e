"""Crafted input to the self-diagnostic (anonymous page and API): French errors, no 500."""

import pytest
from django.test import Client

from osezia.diagnostics.models import Diagnostic
from osezia.socle.validation import MESSAGE

PROFILE = {"naf": "10.71C", "effectif": "8", "departement": "69", "description": "Du pain."}


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("effectif", "99999999999", "inférieure ou égale à 10000000"),
        ("chiffre_affaires_eur", "1" + "0" * 17, "inférieure ou égale à 1000000000000"),
        ("description", "Du pain\x00", MESSAGE),
        ("naf", "10.7\x01", MESSAGE),
    ],
)
def test_the_anonymous_profile_form_reports_the_field(db, questionnaire, field, value, message):
    response = Client().post("/diagnostic/", {**PROFILE, field: value})
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not Diagnostic.objects.exists()


@pytest.mark.parametrize(
    "body, fragment",
    [
        ({"naf": "10.71C", "effectif": 99999999999}, "inférieur ou égal à 10000000"),
        ({"naf": "10.71C", "effectif": 3, "chiffre_affaires_eur": 10**17}, "inférieur ou égal"),
        ({"naf": "10.71C", "effectif": 3, "description": "a\x1fb"}, "caractères non autorisés"),
        ({"naf": "10.7\n", "effectif": 3}, "caractères non autorisés"),
        ({"naf": "10.71C", "effectif": 3, "reponses": {f"q{i}": "a" for i in range(201)}}, "200"),
    ],
)
def test_the_quick_assessment_answers_422_in_french(db, questionnaire, body, fragment):
    response = Client().post("/api/v1/diagnostics/rapide", body, content_type="application/json")
    assert response.status_code == 422
    assert fragment in response.json()["detail"]


def test_the_profile_engine_bounds_the_figures(db):
    from django.core.exceptions import ValidationError

    from osezia.diagnostics.services import validate_profile

    with pytest.raises(ValidationError) as error:
        validate_profile("10.71C", 2**31, 10**17)
    assert set(error.value.message_dict) == {"effectif"}
    with pytest.raises(ValidationError) as error:
        validate_profile("10.71C", 5, 10**17)
    assert "ne peut pas dépasser" in error.value.message_dict["chiffre_affaires_eur"][0]
