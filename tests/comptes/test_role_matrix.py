"""Every role against every page and endpoint that holds company data.

A company member sees and edits only their company; operators see all; everyone else gets
404 (never another company's data). Removing any permission check makes a row fail.
"""

import json

import pytest
from django.test import Client

from tests.conftest import TOTP_SECRET, login_with_code
from tests.factories import member

ROLES = [
    "anonyme",
    "admin_a",
    "membre_a",
    "membre_b",
    "fournisseur",
    "expert",
    "ambassadeur",
    "apprenant",
    "citoyen",
    "operateur",
]

# What each role gets: (method, url template, body) → {role: status}; roles not listed get `default`.
OK_A = {"admin_a": 200, "membre_a": 200, "operateur": 200}
MATRIX = [
    ("GET", "/", None, 200, {}),
    ("GET", "/referentiels/naf/", None, 200, {}),
    ("GET", "/espace/", None, 200, {"anonyme": 302}),
    ("GET", "/entreprises/", None, 200, {"anonyme": 302}),
    ("GET", "/entreprises/{a}/", None, 404, {"anonyme": 302, **OK_A}),
    ("GET", "/entreprises/{a}/modifier/", None, 404, {"anonyme": 302, **OK_A}),
    (
        "POST",
        "/entreprises/{a}/membres/",
        {"email": "nouveau@exemple.fr"},
        404,
        {"anonyme": 302, "admin_a": 302, "operateur": 302},
    ),
    ("GET", "/diagnostic/entreprise/{a}/", None, 404, {"anonyme": 302, **OK_A}),
    ("GET", "/diagnostic/{diag}/resultats/", None, 404, OK_A),
    ("GET", "/diagnostic/{diag}/pdf/", None, 404, OK_A),
    ("GET", "/api/v1/diagnostics/{diag}", None, 404, {"anonyme": 401, **OK_A}),
    ("GET", "/admin/", None, 302, {"operateur": 200}),
    ("GET", "/api/v1/entreprises", None, 200, {"anonyme": 401}),
    ("GET", "/api/v1/entreprises/{a}", None, 404, {"anonyme": 401, **OK_A}),
    ("PUT", "/api/v1/entreprises/{a}", "payload", 404, {"anonyme": 401, **OK_A}),
    # Membership claims: only operators see and decide them.
    ("GET", "/espace/operateur/rattachements/", None, 403, {"anonyme": 302, "operateur": 200}),
    (
        "POST",
        "/espace/operateur/rattachements/{claim}/",
        {"decision": "accepter"},
        403,
        {"anonyme": 302, "operateur": 302},
    ),
    (
        "GET",
        "/api/v1/comptes/operateur/demandes-rattachement",
        None,
        404,
        {"anonyme": 401, "operateur": 200},
    ),
    ("GET", "/api/v1/comptes/demandes-rattachement", None, 200, {"anonyme": 401}),
]


@pytest.fixture
def clients(make_user, company_a, company_b):
    from allauth.mfa.totp.internal.auth import TOTP

    users = {
        "admin_a": make_user(),
        "membre_a": make_user(),
        "membre_b": make_user(),
        "fournisseur": make_user("FOURNISSEUR"),
        "expert": make_user("EXPERT"),
        "ambassadeur": make_user("AMBASSADEUR"),
        "apprenant": make_user("APPRENANT"),
        "citoyen": make_user("CITOYEN"),
        "operateur": make_user("OPERATEUR", is_staff=True),
    }
    make_user(email="nouveau@exemple.fr")
    member(users["admin_a"], company_a, admin=True)
    member(users["membre_a"], company_a)
    member(users["membre_b"], company_b, admin=True)
    TOTP.activate(users["operateur"], TOTP_SECRET)
    result = {"anonyme": Client()}
    for role, user in users.items():
        client = Client()
        login_with_code(client, user)
        result[role] = client
    return result


def payload(company):
    return json.dumps(
        {
            "siret": company.siren,
            "denomination": "Nouveau nom",
            "naf": "10.71C",
            "effectif": 8,
            "departement": "69",
        }
    )


@pytest.fixture
def diagnostic_a(company_a):
    from osezia.diagnostics import services

    data = services.questionnaire_data(services.current_questionnaire())
    answers = {
        q.code: ([q.options[0].code] if q.type == "choix_multiple" else q.options[0].code)
        for q in data.questions
    }
    return services.submit(None, company_a, answers)


@pytest.fixture
def claim_a(make_user, company_a):
    from osezia.comptes.services import request_membership

    return request_membership(make_user(), "entreprise", company_a.siren, "")


@pytest.mark.parametrize(("method", "url", "body", "default", "overrides"), MATRIX)
def test_role_matrix(
    clients, company_a, diagnostic_a, claim_a, method, url, body, default, overrides
):
    path = url.format(a=company_a.siren, diag=diagnostic_a.uuid, claim=claim_a.pk)
    for role in ROLES:
        client = clients[role]
        if method == "GET":
            response = client.get(path)
        elif method == "PUT":
            response = client.put(path, payload(company_a), content_type="application/json")
        else:
            response = client.post(path, body)
        expected = overrides.get(role, default)
        assert response.status_code == expected, f"{role} {method} {path}: {response.status_code}"
        if response.status_code in (403, 404):
            assert company_a.denomination.encode() not in response.content


def test_company_lists_show_only_ones_own_companies(clients, company_a, company_b):
    for role, visible in [
        ("membre_a", {company_a.siren}),
        ("membre_b", {company_b.siren}),
        ("citoyen", set()),
    ]:
        api = clients[role].get("/api/v1/entreprises").json()
        assert {item["siren"] for item in api["items"]} == visible
        page = clients[role].get("/entreprises/").content.decode()
        assert (company_a.denomination in page) == (company_a.siren in visible)
        assert (company_b.denomination in page) == (company_b.siren in visible)
    operator_sirens = {
        i["siren"] for i in clients["operateur"].get("/api/v1/entreprises").json()["items"]
    }
    assert {company_a.siren, company_b.siren} <= operator_sirens


def test_a_member_who_is_not_admin_cannot_remove_members(clients, company_a):
    target = company_a.adhesions.get(est_admin=False)
    response = clients["membre_a"].post(
        f"/entreprises/{company_a.siren}/membres/{target.pk}/retirer/"
    )
    assert response.status_code == 404
    assert company_a.adhesions.filter(pk=target.pk).exists()
    response = clients["membre_b"].post(
        f"/entreprises/{company_a.siren}/membres/{target.pk}/retirer/"
    )
    assert response.status_code == 404
    response = clients["admin_a"].post(
        f"/entreprises/{company_a.siren}/membres/{target.pk}/retirer/"
    )
    assert response.status_code == 302
    assert not company_a.adhesions.filter(pk=target.pk).exists()


def test_an_edit_by_another_company_changes_nothing(clients, company_a):
    clients["membre_b"].put(
        f"/api/v1/entreprises/{company_a.siren}",
        payload(company_a),
        content_type="application/json",
    )
    clients["membre_b"].post(
        f"/entreprises/{company_a.siren}/modifier/", {"denomination": "Piraté"}
    )
    company_a.refresh_from_db()
    assert company_a.denomination == "Boulangerie Alpha"
