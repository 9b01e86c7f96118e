"""A monthly price past the bound (23 digits) is refused with a French message on its field,
in every channel: provider form, token API, JSON Lines and CSV import lines; nothing stored,
never a server error."""

import csv
import io
import json

import pytest
from django.test import Client

from osezia.catalogue import format as fmt
from osezia.catalogue import services
from osezia.catalogue.models import Solution
from osezia.socle.regles import MAX_PRIX_EUR_MOIS
from tests.catalogue import factories
from tests.catalogue.conftest import make_line
from tests.conftest import login_with_code

HUGE = "9" * 23
BOUND = "ne peut pas dépasser 10\u202f000\u202f000\u00a0€ par mois"

FORM = {
    "id_externe": "outil-cher",
    "nom": "Outil cher",
    "resume": "Un résumé en une phrase pour tester.",
    "description": "Une description suffisante.",
    "familles": ["VENTE"],
    "tailles": ["TPE"],
    "tarif_modele": "abonnement",
    "deploiement": ["saas"],
    "hebergement": "france",
    "risque_ia_act": "minimal",
    "langues": "fr",
    "contact_email": "contact@exemple.fr",
}


@pytest.fixture
def provider(make_user):
    user = make_user()
    fournisseur = factories.provider(user)
    token = services.create_token(fournisseur, user, "CI")
    return user, Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize("field", ["tarif_min_eur_mois", "tarif_max_eur_mois"])
@pytest.mark.parametrize("value", [HUGE, str(MAX_PRIX_EUR_MOIS + 1), "-1", "12,5", "1e30"])
def test_the_provider_form_refuses_prices_out_of_bounds(provider, field, value):
    user, _ = provider
    client = login_with_code(Client(), user)
    answer = client.post("/catalogue/espace-fournisseur/nouvelle/", {**FORM, field: value})
    assert answer.status_code == 200
    error = answer.context["form"].errors[field][0]
    assert any(w in error for w in ("dépasser", "négatif", "nombre entier")), error
    assert error.startswith(("Le prix", "Indiquez")), error
    assert not Solution.objects.exists()


def test_the_form_s_bound_message_is_written_in_french_euros(provider):
    user, _ = provider
    client = login_with_code(Client(), user)
    answer = client.post(
        "/catalogue/espace-fournisseur/nouvelle/", {**FORM, "tarif_min_eur_mois": HUGE}
    )
    assert answer.context["form"].errors["tarif_min_eur_mois"] == [f"Le prix {BOUND}."]


@pytest.mark.parametrize("value", [10**22, int(HUGE), HUGE, 1e23, -5])
def test_the_token_api_refuses_them_with_a_french_422(provider, value):
    _, api = provider
    line = make_line(tarif={"modele": "abonnement", "min_eur_mois": value})
    answer = api.post(
        "/api/v1/catalogue/fournisseur/solutions", json.dumps(line), content_type="application/json"
    )
    assert answer.status_code == 422, answer.content
    assert "tarif.min_eur_mois" in answer.json()["detail"]
    assert not Solution.objects.exists()


@pytest.mark.parametrize("value", [10**22, HUGE, " " + HUGE + " ", "1" + "0" * 400])
def test_json_lines_refuse_them_on_their_field(value):
    line = make_line(tarif={"modele": "abonnement", "max_eur_mois": value})
    with pytest.raises(fmt.InvalidSolution) as refused:
        fmt.validate_line(line, {"43"})
    assert refused.value.errors["tarif.max_eur_mois"] == BOUND


def test_a_csv_line_with_a_23_digit_price_is_refused_and_the_others_imported(db, tmp_path):
    rows = []
    for key, price in (("bon", "29"), ("trop-cher", HUGE)):
        full = services.validate(make_line(id_externe=key)).to_line()
        row = fmt.line_to_csv_row(full)
        row["tarif_max_eur_mois"] = price
        rows.append(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fmt.CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "lignes.csv"
    path.write_text(out.getvalue(), "utf-8")
    report = services.import_lines(services.read_lines(path))
    assert report.created == 1 and len(report.errors) == 1
    assert "tarif.max_eur_mois" in str(report.errors[0]) and "dépasser" in str(report.errors[0])
    assert list(Solution.objects.values_list("id_externe", flat=True)) == ["bon"]
