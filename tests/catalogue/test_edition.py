"""The provider form: editing and saving a published solution as a browser sends it (a
disabled field is not sent), the AI Act self-declaration to be chosen, the telephone number,
one identifier rule in the help text and the error."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from osezia.catalogue import format as fmt
from osezia.catalogue.forms import SolutionForm
from osezia.catalogue.models import Solution, VersionSolution
from osezia.socle.regles import EXTERNAL_ID_CHARACTERS, MAX_EXTERNAL_ID
from tests.catalogue import factories
from tests.conftest import login_with_code

FORM = {
    "id_externe": "outil-neuf",
    "nom": "Outil neuf",
    "resume": "Un résumé en une phrase pour tester.",
    "description": "Une description suffisante.",
    "familles": ["VENTE"],
    "tailles": ["TPE"],
    "tarif_modele": "gratuit",
    "deploiement": ["saas"],
    "hebergement": "france",
    "risque_ia_act": "minimal",
    "langues": "fr",
    "contact_email": "contact@exemple.fr",
}


@pytest.fixture
def published(make_user, operator):
    user = make_user()
    fournisseur = factories.provider(user)
    solution = factories.published_solution(fournisseur, user, operator)
    return solution, user


def browser_post(page: str) -> dict:
    """What a browser sends for the form of `page`: every enabled control with its current
    value (text inputs, checked boxes, the selected option, textareas); disabled ones left
    out, as the HTML standard says."""
    form = page[page.index('<form method="post" novalidate>') :]
    form = form[: form.index("</form>")]
    data: dict = {}
    for tag in re.findall(r"<input[^>]*>", form):
        if re.search(r"\sdisabled[\s=>]", tag):
            continue
        name = re.search(r'name="([^"]+)"', tag)
        kind = (re.search(r'type="([^"]+)"', tag) or re.search("()", "")).group(1)
        value = (re.search(r'value="([^"]*)"', tag) or re.search("()", "")).group(1)
        if not name or kind == "submit":
            continue
        if kind in ("checkbox", "radio"):
            if re.search(r"\schecked[\s=>]", tag):
                data.setdefault(name.group(1), []).append(value)
        else:
            data[name.group(1)] = value
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = body.strip("\n")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    return data


def test_a_provider_edits_and_saves_a_published_solution_as_a_browser_sends_it(published):
    solution, user = published
    client = login_with_code(Client(), user)
    url = reverse("catalogue:editer", args=[solution.id_externe])
    page = client.get(url).content.decode()
    sent = browser_post(page)
    assert "id_externe" not in sent  # disabled: the browser leaves it out
    assert sent["nom"] == "Devis Express" and sent["risque_ia_act"] == "minimal"
    sent["nom"] = "Devis Express 2"
    answer = client.post(url, {**sent, "action": "soumettre"})
    assert answer.status_code == 302, answer.content.decode()
    solution.refresh_from_db()
    assert solution.version_en_cours.nom == "Devis Express 2"
    assert solution.version_en_cours.statut == VersionSolution.Statut.SOUMISE
    assert solution.version_publiee.nom == "Devis Express"  # still online
    assert client.get(reverse("catalogue:solution", args=[solution.id_externe])).status_code == 200


def test_an_edit_with_an_error_comes_back_with_the_identifier_shown(published):
    solution, user = published
    client = login_with_code(Client(), user)
    url = reverse("catalogue:editer", args=[solution.id_externe])
    sent = browser_post(client.get(url).content.decode())
    answer = client.post(url, {**sent, "contact_email": "pas-une-adresse"})
    assert answer.status_code == 200
    form = answer.context["form"]
    assert "id_externe" not in form.errors and "contact_email" in form.errors
    assert f'value="{solution.id_externe}"' in answer.content.decode()


def test_the_form_takes_the_identifier_from_the_solution_it_edits(published):
    solution, _ = published
    data = {**FORM, "nom": "Nouveau nom"}
    data.pop("id_externe")
    form = SolutionForm(data, solution=solution)
    assert form.is_valid(), form.errors
    assert form.to_line(solution.fournisseur)["id_externe"] == solution.id_externe
    crafted = SolutionForm({**data, "id_externe": "autre"}, solution=solution)
    assert crafted.is_valid() and crafted.cleaned_data["id_externe"] == solution.id_externe


def test_no_ai_act_level_is_chosen_for_the_provider(make_user):
    user = make_user()
    factories.provider(user)
    client = login_with_code(Client(), user)
    page = client.get(reverse("catalogue:nouvelle")).content.decode()
    select = re.search(r'<select[^>]*name="risque_ia_act".*?</select>', page, re.S).group(0)
    assert "selected" not in select.split("</option>", 1)[1]  # only the empty choice may be
    answer = client.post(reverse("catalogue:nouvelle"), {**FORM, "risque_ia_act": ""})
    assert answer.status_code == 200
    assert answer.context["form"].errors["risque_ia_act"] == [
        "Choisissez le niveau de risque de votre solution."
    ]
    assert not Solution.objects.exists()


@pytest.mark.parametrize(
    "number",
    ["01 23 45 67 89", "01.23.45.67.89", "0612345678", "+33 1 23 45 67 89", "+33 (0)6 12 34 56 78"],
)
def test_french_telephone_numbers_are_accepted(make_user, number):
    user = make_user()
    factories.provider(user)
    client = login_with_code(Client(), user)
    answer = client.post(reverse("catalogue:nouvelle"), {**FORM, "contact_telephone": number})
    assert answer.status_code == 302, answer.context["form"].errors
    assert Solution.objects.get().version_en_cours.contenu["contact_telephone"] == number


@pytest.mark.parametrize("number", ["12345", "appelez-nous", "01 23 45 67", "+44 20 7946 0958"])
def test_a_wrong_telephone_number_is_refused_in_french(make_user, number):
    user = make_user()
    factories.provider(user)
    client = login_with_code(Client(), user)
    answer = client.post(reverse("catalogue:nouvelle"), {**FORM, "contact_telephone": number})
    assert answer.status_code == 200
    assert "Numéro de téléphone invalide" in answer.context["form"].errors["contact_telephone"][0]
    assert not Solution.objects.exists()
    with pytest.raises(fmt.InvalidSolution) as error:
        fmt.validate_line(
            {**factories.make_line(), "contact": {"email": "a@b.fr", "telephone": number}}, {"43"}
        )
    assert "téléphone invalide" in error.value.errors["contact.telephone"]


def test_the_identifier_rule_is_the_same_in_the_help_text_and_the_error(make_user):
    user = make_user()
    factories.provider(user)
    client = login_with_code(Client(), user)
    answer = client.post(reverse("catalogue:nouvelle"), {**FORM, "id_externe": "Outil é"})
    help_text = answer.context["form"].fields["id_externe"].help_text
    error = answer.context["form"].errors["id_externe"][0]
    for text in (help_text, error):
        assert EXTERNAL_ID_CHARACTERS in text and f"{MAX_EXTERNAL_ID} caractères au plus" in text
