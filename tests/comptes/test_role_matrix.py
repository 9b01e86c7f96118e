"""Every role against every page and endpoint that holds company, catalogue or Académie data.

A company member sees and edits only their company; a provider's members only its solutions,
history and tokens; a training organisation's members only its sessions and enrolments; a
learner only their enrolments and certificates; operators (with their second factor) and
superusers see all; everyone else gets 404 (never another's data) or 403 on operator pages.
Removing any permission check makes a row fail.
"""

import json

import pytest
from django.test import Client

from tests.comptes.factories import member
from tests.conftest import TOTP_SECRET, login_with_code

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
    "superuser",
    # The catalogue: a member of the provider of the solution, a member of another provider.
    "fournisseur_a",
    "fournisseur_b",
    # The Académie: the enrolled learner, a member of the organisation running the session, a
    # member of another organisation.
    "apprenant_a",
    "organisme_a",
    "organisme_b",
]


# What each role gets: (method, url template, body) → {role: status}; roles not listed get `default`.
def operators(status):
    return {"operateur": status, "superuser": status}


OK_A = {"admin_a": 200, "membre_a": 200, **operators(200)}
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
        {"anonyme": 302, "admin_a": 302, **operators(302)},
    ),
    ("GET", "/diagnostic/entreprise/{a}/", None, 404, {"anonyme": 302, **OK_A}),
    ("GET", "/diagnostic/{diag}/resultats/", None, 404, OK_A),
    ("GET", "/diagnostic/{diag}/pdf/", None, 404, OK_A),
    ("GET", "/api/v1/diagnostics/{diag}", None, 404, {"anonyme": 401, **OK_A}),
    ("GET", "/admin/", None, 302, {**operators(200)}),
    ("GET", "/api/v1/entreprises", None, 200, {"anonyme": 401}),
    ("GET", "/api/v1/entreprises/{a}", None, 404, {"anonyme": 401, **OK_A}),
    ("PUT", "/api/v1/entreprises/{a}", "payload", 404, {"anonyme": 401, **OK_A}),
    # Membership claims: only operators see and decide them.
    ("GET", "/espace/operateur/rattachements/", None, 403, {"anonyme": 302, **operators(200)}),
    (
        "POST",
        "/espace/operateur/rattachements/{claim}/",
        {"decision": "accepter"},
        403,
        {"anonyme": 302, **operators(302)},
    ),
    (
        "GET",
        "/api/v1/comptes/operateur/demandes-rattachement",
        None,
        404,
        {"anonyme": 401, **operators(200)},
    ),
    ("GET", "/api/v1/comptes/demandes-rattachement", None, 200, {"anonyme": 401}),
]

# The catalogue: moderation is for operators; a solution's history, edition and its
# provider's tokens are for the provider's members (and operators for the history).
PROVIDER_A = {"anonyme": 302, "fournisseur_a": 200}
CATALOGUE = [
    ("GET", "/catalogue/moderation/", None, 403, {"anonyme": 302, **operators(200)}),
    (
        "POST",
        "/catalogue/moderation/{version}/",
        {"decision": "publier"},
        403,
        {"anonyme": 302, **operators(302)},
    ),
    (
        "POST",
        "/catalogue/moderation/contacts/{contact}/renvoyer/",
        None,
        403,
        {"anonyme": 302, **operators(302)},
    ),
    (
        "GET",
        "/catalogue/solutions/{solution}/historique/",
        None,
        404,
        {**PROVIDER_A, **operators(200)},
    ),
    (
        "GET",
        "/catalogue/espace-fournisseur/{solution}/",
        None,
        302,  # people who are no provider's members are sent to the provider registration
        {"fournisseur_a": 200, "fournisseur_b": 404},
    ),
    (
        "POST",
        "/catalogue/espace-fournisseur/jetons/{token}/revoquer/",
        None,
        404,
        {"anonyme": 302, "fournisseur_a": 302},
    ),
    (
        "POST",
        "/catalogue/espace-fournisseur/{solution}/retirer/",
        None,
        404,
        {"anonyme": 302, "fournisseur_a": 302},
    ),
]

# The operators' provider pages: the list, one provider (members, tokens), adding a member,
# revoking a token; each row starts from the same state (`provider_reset`).
PROVIDER_PAGES = [
    ("GET", "/catalogue/moderation/fournisseurs/", None, 403, {"anonyme": 302, **operators(200)}),
    (
        "GET",
        "/catalogue/moderation/fournisseurs/{siren}/",
        None,
        403,
        {"anonyme": 302, **operators(200)},
    ),
    (
        "POST",
        "/catalogue/moderation/fournisseurs/{siren}/membres/",
        {"email": "nouveau@exemple.fr"},
        403,
        {"anonyme": 302, **operators(302)},
    ),
    (
        "POST",
        "/catalogue/moderation/fournisseurs/{siren}/jetons/{token}/revoquer/",
        None,
        403,
        {"anonyme": 302, **operators(302)},
    ),
]

# The Académie: an enrolment is cancelled by its learner or the organisation running the
# session; its validation, the session's page and its attendance records are for that
# organisation (and operators); a certificate is for its holder, that organisation and
# operators.
MANAGERS_A = {"anonyme": 302, "organisme_a": 302, **operators(302)}
ACADEMIE = [
    (
        "POST",
        "/academie/inscriptions/{inscription}/annuler/",
        None,
        404,
        {**MANAGERS_A, "apprenant_a": 302},
    ),
    (
        "DELETE",
        "/api/v1/academie/inscriptions/{inscription}",
        None,
        404,
        {"anonyme": 401, "apprenant_a": 200, "organisme_a": 200, **operators(200)},
    ),
    ("POST", "/academie/inscriptions/{inscription}/valider/", None, 404, MANAGERS_A),
    (
        "GET",
        "/academie/organisme/sessions/{session}/",
        None,
        404,
        {"anonyme": 302, "organisme_a": 200, **operators(200)},
    ),
    (
        "POST",
        "/academie/organisme/sessions/{session}/declarer/",
        {"email": "personne@exemple.fr", "code": "ABCD-EFGH-IJKL"},
        404,
        MANAGERS_A,
    ),
    (
        "GET",
        "/academie/attestations/{attestation}.pdf",
        None,
        404,
        {"anonyme": 302, "apprenant_a": 200, "organisme_a": 200, **operators(200)},
    ),
    # The back office: its members and operators see it; anyone else is asked for a claim.
    ("GET", "/academie/organisme/", None, 200, {"anonyme": 302}),
    # The admin of the Académie's tables (the catalogue has none: it is moderated from its
    # pages): operators granted through the service and superusers; others go to its login.
    *[
        ("GET", f"/admin/academie/{model}/", None, 302, operators(200))
        for model in ("organismeformation", "formation", "session", "tutoriel", "parcours")
    ],
    # Operators attach an account to a training organisation (201), nobody else (403).
    (
        "POST_JSON",
        "/api/v1/academie/organismes/{siret}/membres",
        {"email": "nouveau@exemple.fr"},
        403,
        {"anonyme": 401, **operators(201)},
    ),
]


@pytest.fixture
def users(make_user, company_a, company_b):
    from allauth.mfa.totp.internal.auth import TOTP

    from osezia.comptes.services import grant_role

    users = {
        "admin_a": make_user(),
        "membre_a": make_user(),
        "membre_b": make_user(),
        "fournisseur": make_user("FOURNISSEUR"),
        "expert": make_user("EXPERT"),
        "ambassadeur": make_user("AMBASSADEUR"),
        "apprenant": make_user("APPRENANT"),
        "citoyen": make_user("CITOYEN"),
        "operateur": make_user(),
        "superuser": make_user(is_staff=True, is_superuser=True),
        "fournisseur_a": make_user(),
        "fournisseur_b": make_user(),
        "apprenant_a": make_user(),
        "organisme_a": make_user(),
        "organisme_b": make_user(),
    }
    make_user(email="nouveau@exemple.fr")
    member(users["admin_a"], company_a, admin=True)
    member(users["membre_a"], company_a)
    member(users["membre_b"], company_b, admin=True)
    grant_role(users["operateur"], "OPERATEUR")  # as operators are granted: staff, admin group
    TOTP.activate(users["operateur"], TOTP_SECRET)
    TOTP.activate(users["superuser"], TOTP_SECRET)
    return users


@pytest.fixture
def clients(users):
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


@pytest.fixture
def catalogue_objects(users):
    from osezia.catalogue import services
    from osezia.catalogue.models import DemandeContact
    from tests.catalogue.conftest import make_line
    from tests.catalogue.factories import provider, published_solution

    fournisseur = provider(users["fournisseur_a"], 1)
    provider(users["fournisseur_b"], 2)
    solution = published_solution(
        fournisseur, users["fournisseur_a"], users["operateur"], id_externe="sol-a-001"
    )
    pending = services.save_draft(
        fournisseur,
        make_line(id_externe="sol-a-002", nom="Seconde solution"),
        users["fournisseur_a"],
        submit_now=True,
    )
    services.create_token(fournisseur, users["fournisseur_a"], "CI")
    contact = DemandeContact.objects.create(
        solution=solution,
        nom="Camille",
        email="camille@exemple.fr",
        message="Bonjour",
        statut=DemandeContact.Statut.ECHEC,
    )
    return {
        "solution": solution.id_externe,
        "version": pending.version_en_cours_id,
        "token": fournisseur.jetons.get().pk,
        "contact": contact.pk,
        "siren": fournisseur.siren,
    }


@pytest.fixture
def provider_reset(catalogue_objects):
    """Each role finds provider A without the new member and with its token live."""
    from osezia.catalogue.models import Fournisseur, JetonAPI

    def reset():
        Fournisseur.objects.get(siren=catalogue_objects["siren"]).membres.remove(
            *Fournisseur.objects.get(siren=catalogue_objects["siren"]).membres.filter(
                email="nouveau@exemple.fr"
            )
        )
        JetonAPI.objects.filter(pk=catalogue_objects["token"]).update(
            revoque=False, revoque_le=None, revoque_par=None
        )

    return reset


@pytest.fixture
def academie_objects(users):
    from osezia.academie import services
    from osezia.academie.models import Inscription, Session
    from tests.academie.conftest import SOON, start
    from tests.academie.factories import enrolment, organisation_member, session

    session_a = session("T-A")
    organisation_member(users["organisme_a"], session_a)
    other = session(
        "T-B",
        organisme={**training_organisation_b()},
        actions=[
            {
                "reference": "T-B-WEB",
                "publics": ["SALARIE"],
                "modalite": "distance",
                "lieu": None,
                "duree_heures": 7,
                "prix_ttc_centimes": 0,
                "financements": ["OPCO"],
                "sessions": [
                    {"reference": "B1", "debut": SOON.isoformat(), "fin": SOON.isoformat()}
                ],
            }
        ],
    )
    organisation_member(users["organisme_b"], other)
    inscription = enrolment(users["apprenant_a"], session_a)
    finished = session("T-A2", actions=[action_with_session("T-A2-LYON", "A2")])
    done = enrolment(users["apprenant_a"], finished)
    start(finished)
    services.complete_session(users["organisme_a"], done)
    done.refresh_from_db()

    def reset():  # each role finds the enrolment still active, holding its seat
        Inscription.objects.filter(pk=inscription.pk).update(statut=Inscription.Statut.INSCRIT)
        Session.objects.filter(pk=session_a.pk).update(places_prises=1)

    def reset_all():
        reset()
        session_a.action.formation.organisme.membres.remove(
            *session_a.action.formation.organisme.membres.filter(email="nouveau@exemple.fr")
        )

    return {
        "inscription": inscription.pk,
        "session": session_a.pk,
        "attestation": done.code_verification,
        "siret": session_a.action.formation.organisme.siret,
    }, reset_all


def training_organisation_b() -> dict:
    from stdnum import luhn

    base = "4423841640001"
    return {
        "siret": base + luhn.calc_check_digit(base),
        "numero_activite": "11755555575",
        "nom": "Autre organisme (fictif)",
        "raison_sociale": "AOF",
        "adresse": "1 place de la Bourse",
        "code_postal": "75002",
        "ville": "Paris",
    }


def action_with_session(reference: str, session_reference: str) -> dict:
    from tests.academie.conftest import SOON, TRAINING

    action = {**TRAINING["actions"][0], "reference": reference}
    action["sessions"] = [
        {
            "reference": session_reference,
            "debut": SOON.isoformat(),
            "fin": SOON.isoformat(),
            "places": 5,
        }
    ]
    return action


def request(client, method, path, body, company):
    if method == "GET":
        return client.get(path)
    if method == "PUT":
        return client.put(path, payload(company), content_type="application/json")
    if method == "DELETE":
        return client.delete(path)
    if method == "POST_JSON":
        return client.post(path, json.dumps(body), content_type="application/json")
    return client.post(path, body)


def check_row(clients, method, path, body, default, overrides, company, secret=None, reset=None):
    wrong = []
    for role in ROLES:
        if reset:
            reset()
        response = request(clients[role], method, path, body, company)
        expected = overrides.get(role, default)
        if response.status_code != expected:
            wrong.append(f"{role}: {response.status_code} (attendu {expected})")
        if secret and response.status_code in (403, 404):
            assert secret.encode() not in response.content, f"{role} {method} {path}"
    assert not wrong, f"{method} {path}: " + ", ".join(wrong)


@pytest.mark.parametrize(("method", "url", "body", "default", "overrides"), MATRIX)
def test_role_matrix(
    clients, company_a, diagnostic_a, claim_a, method, url, body, default, overrides
):
    path = url.format(a=company_a.siren, diag=diagnostic_a.uuid, claim=claim_a.pk)
    check_row(clients, method, path, body, default, overrides, company_a, company_a.denomination)


@pytest.mark.parametrize(("method", "url", "body", "default", "overrides"), CATALOGUE)
def test_role_matrix_catalogue(
    clients, company_a, catalogue_objects, method, url, body, default, overrides
):
    check_row(clients, method, url.format(**catalogue_objects), body, default, overrides, company_a)


@pytest.mark.parametrize(("method", "url", "body", "default", "overrides"), PROVIDER_PAGES)
def test_role_matrix_provider_pages(
    clients, company_a, catalogue_objects, provider_reset, method, url, body, default, overrides
):
    path = url.format(**catalogue_objects)
    check_row(clients, method, path, body, default, overrides, company_a, reset=provider_reset)


@pytest.mark.parametrize(("method", "url", "body", "default", "overrides"), ACADEMIE)
def test_role_matrix_academie(
    clients, company_a, academie_objects, method, url, body, default, overrides
):
    keys, reset = academie_objects
    path = url.format(**keys)
    check_row(clients, method, path, body, default, overrides, company_a, reset=reset)


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


def test_the_provider_api_answers_each_token_for_its_own_provider_only(
    clients, users, catalogue_objects
):
    from osezia.catalogue import services
    from osezia.catalogue.models import Fournisseur, Solution
    from tests.catalogue.conftest import make_line

    url = "/api/v1/catalogue/fournisseur/solutions"
    fournisseur_a = Fournisseur.objects.get(siren=catalogue_objects["siren"])
    fournisseur_b = users["fournisseur_b"].fournisseurs.get()
    token = {
        "A": services.create_token(fournisseur_a, users["fournisseur_a"], "A"),
        "B": services.create_token(fournisseur_b, users["fournisseur_b"], "B"),
    }
    api = {name: Client(HTTP_AUTHORIZATION=f"Bearer {secret}") for name, secret in token.items()}
    api["sans jeton"] = Client()
    api["session sans jeton"] = clients["fournisseur_a"]  # a logged-in member, no token
    api["jeton inconnu"] = Client(HTTP_AUTHORIZATION="Bearer osz_inconnu")

    def line(**overrides):
        data = make_line(**overrides)
        data.pop("fournisseur", None)
        return json.dumps(data)

    refused = {"sans jeton": 401, "session sans jeton": 401, "jeton inconnu": 401}
    rows = [
        ("GET", url, None, {"A": 200, "B": 200, **refused}),
        (
            "PUT",
            f"{url}/sol-a-001",
            line(id_externe="sol-a-001", nom="Renommée"),
            {"A": 200, "B": 404, **refused},
        ),
        # A creates it first; for B the identifier is then taken (never B's own solution).
        ("POST", url, line(id_externe="sol-nouvelle"), {"A": 201, "B": 422, **refused}),
    ]
    wrong = []
    for method, path, body, expected in rows:
        for name, client in api.items():
            if method == "GET":
                response = client.get(path)
            else:
                call = client.put if method == "PUT" else client.post
                response = call(path, body, content_type="application/json")
            if response.status_code != expected[name]:
                wrong.append(f"{method} {path} {name}: {response.status_code} ≠ {expected[name]}")
    assert not wrong, wrong
    listed = {
        name: {item["id_externe"] for item in api[name].get(url).json()["items"]}
        for name in ("A", "B")
    }
    assert listed == {"A": {"sol-a-001", "sol-a-002", "sol-nouvelle"}, "B": set()}
    assert Solution.objects.get(id_externe="sol-nouvelle").fournisseur == fournisseur_a
