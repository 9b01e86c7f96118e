"""Every column holding a code is held to its declared list by the database, with a French
message when a form or `full_clean` meets a value outside it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from osezia.academie import services as academie
from osezia.academie.models import Action, Tutoriel
from osezia.diagnostics import services as diagnostics
from osezia.diagnostics.models import Question
from osezia.entreprises.models import Entreprise
from tests.academie.conftest import PREMIERS_PAS
from tests.academie.factories import session
from tests.entreprises.factories import EntrepriseFactory


def _rows(db):
    tutoriel = academie.save_tutoriel(dict(PREMIERS_PAS))
    action = session().action
    question = Question.objects.filter(questionnaire=diagnostics.current_questionnaire()).first()
    return [
        (Tutoriel, tutoriel.pk, "niveau", "expert"),
        (Action, action.pk, "modalite", "hybride"),
        (Question, question.pk, "type", "texte_libre"),
        (Entreprise, EntrepriseFactory().pk, "source", "inconnue"),
    ]


def test_the_database_refuses_a_code_outside_its_list(db):
    for model, pk, field, value in _rows(db):
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=pk).update(**{field: value})


def test_full_clean_says_in_french_which_values_are_allowed(db):
    for model, pk, field, value in _rows(db):
        row = model.objects.get(pk=pk)
        setattr(row, field, value)
        with pytest.raises(ValidationError) as excinfo:
            row.validate_constraints()
        assert f"Valeur de « {field} » inconnue ; valeurs possibles" in str(excinfo.value)
