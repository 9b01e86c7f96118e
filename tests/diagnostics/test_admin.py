from django.test import Client

from osezia.diagnostics import services
from osezia.diagnostics.models import Question, Questionnaire
from tests.conftest import login_with_code
from tests.diagnostics.factories import all_answers
from tests.entreprises.factories import EntrepriseFactory


def test_operators_copy_an_answered_version_instead_of_editing_it(operator, questionnaire):
    client = Client()
    login_with_code(client, operator)
    v1 = Questionnaire.objects.get(version=1)
    question = Question.objects.filter(questionnaire=v1).first()
    # Not answered yet: editable.
    assert client.get(f"/admin/diagnostics/question/{question.pk}/change/").status_code == 200
    services.submit(None, EntrepriseFactory(), all_answers(questionnaire, "max"))
    response = client.post(
        f"/admin/diagnostics/question/{question.pk}/change/", {"libelle": "modifié"}
    )
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.libelle != "modifié"
    response = client.post(
        "/admin/diagnostics/questionnaire/", {"action": "new_version", "_selected_action": [v1.pk]}
    )
    assert response.status_code == 302
    v2 = Questionnaire.objects.get(version=2)
    assert not v2.publie and v2.questions.count() == v1.questions.count()
    assert (
        client.get(f"/admin/diagnostics/question/{v2.questions.first().pk}/change/").status_code
        == 200
    )
