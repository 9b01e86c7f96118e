"""Nobody becomes a member of an organisation by being the first to type its SIREN.

Joining a provider, a company or a training organisation that already exists on the platform
goes through a claim the operators accept or refuse (with a reason); the person is told by
e-mail. These tests play the attacker and the operators through the pages and the API."""

import json

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from osezia.academie.models import OrganismeFormation
from osezia.catalogue import services as catalogue
from osezia.catalogue.models import Fournisseur, JetonAPI, Solution
from osezia.comptes import services
from osezia.comptes.models import Adhesion, DemandeRattachement
from tests.academie.conftest import store, training
from tests.catalogue.conftest import make_line, siren
from tests.conftest import login_with_code
from tests.entreprises.factories import EntrepriseFactory

SIRET_ORGANISME = "73282932000074"


def client_for(user) -> Client:
    return login_with_code(Client(), user)


@pytest.fixture
def imported(db, tmp_path, empty_index, immediate_tasks):
    """A provider created by an operator's import, with a published solution and no member."""
    path = tmp_path / "catalogue.jsonl"
    path.write_text(json.dumps(make_line(), ensure_ascii=False) + "\n", encoding="utf-8")
    with immediate_tasks(execute=True):
        catalogue.import_lines(catalogue.read_lines(path))
    return Fournisseur.objects.get(siren=siren(1))


def test_typing_an_imported_providers_siren_gives_no_access_only_a_pending_claim(
    imported, make_user, operator
):
    attacker = make_user()
    client = client_for(attacker)
    response = client.post(
        "/catalogue/espace-fournisseur/",
        {"nom": "Peu importe", "siren": siren(1), "message": "C'est moi."},
        follow=True,
    )
    page = response.content.decode()
    assert "transmise aux opérateurs" in page and "Kbis" in page
    assert "Vos demandes de rattachement" in page and "en attente" in page
    assert not imported.membres.filter(pk=attacker.pk).exists()
    # No token, no withdrawal, no edition, no statistics.
    assert client.post("/catalogue/espace-fournisseur/jetons/", {"nom": "x"}).status_code == 404
    assert JetonAPI.objects.count() == 0
    assert client.post("/catalogue/espace-fournisseur/devis-express/retirer/").status_code == 404
    assert client.get("/catalogue/espace-fournisseur/devis-express/").status_code == 302
    assert Solution.objects.get(id_externe="devis-express").est_publiee
    assert "Devis Express" not in client.get("/catalogue/espace-fournisseur/").content.decode()
    claim = DemandeRattachement.objects.get(demandeur=attacker)
    assert (claim.type_organisation, claim.organisation_id, claim.statut) == (
        "fournisseur",
        imported.pk,
        "en_attente",
    )
    assert claim.message == "C'est moi." and claim.identifiant == siren(1)
    # Posting again does not pile up claims.
    client.post("/catalogue/espace-fournisseur/", {"nom": "x", "siren": siren(1)})
    assert DemandeRattachement.objects.filter(demandeur=attacker).count() == 1


def test_a_provider_with_members_is_not_joined_either(db, make_user):
    owner, latecomer = make_user(), make_user()
    fournisseur = catalogue.register_provider(owner, "Essai (fictif)", siren(3))
    outcome = catalogue.register_provider(latecomer, "Essai (fictif)", siren(3))
    assert isinstance(outcome, DemandeRattachement)
    assert list(fournisseur.membres.all()) == [owner]


def test_operators_are_told_of_a_claim_and_accepting_makes_a_member(
    imported, make_user, operator, immediate_tasks, settings
):
    settings.SITE_URL = "https://osez-ia.exemple.fr"
    requester = make_user()
    with immediate_tasks(execute=True):
        claim = catalogue.register_provider(requester, "x", siren(1), "Directrice technique")
    assert [m.to for m in mail.outbox] == [[operator.email]]
    assert "Directrice technique" in mail.outbox[0].body and siren(1) in mail.outbox[0].body
    assert "(fournisseur de solutions d'IA, " in mail.outbox[0].body
    assert "https://osez-ia.exemple.fr/espace/operateur/rattachements/" in mail.outbox[0].body
    mail.outbox.clear()
    staff = client_for(operator)
    queue = staff.get("/espace/operateur/rattachements/").content.decode()
    assert requester.email in queue and "Essai Logiciels (fictif)" in queue
    with immediate_tasks(execute=True):
        response = staff.post(
            f"/espace/operateur/rattachements/{claim.pk}/", {"decision": "accepter"}
        )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.statut, claim.decide_par) == ("acceptee", operator)
    assert imported.membres.filter(pk=requester.pk).exists()
    assert "FOURNISSEUR" in set(requester.attributions.values_list("role", flat=True))
    assert [m.to for m in mail.outbox] == [[requester.email]]
    assert "acceptée" in mail.outbox[0].subject
    # Now the provider space is theirs; a decided claim cannot be decided again.
    assert "Devis Express" in client_for(requester).get("/catalogue/espace-fournisseur/").text
    staff.post(
        f"/espace/operateur/rattachements/{claim.pk}/", {"decision": "refuser", "motif": "x"}
    )
    claim.refresh_from_db()
    assert claim.statut == "acceptee"


def test_refusing_needs_a_reason_that_the_requester_receives(
    imported, make_user, operator, immediate_tasks
):
    requester = make_user()
    claim = catalogue.register_provider(requester, "x", siren(1))
    staff = client_for(operator)
    staff.post(f"/espace/operateur/rattachements/{claim.pk}/", {"decision": "refuser"})
    claim.refresh_from_db()
    assert claim.statut == "en_attente"
    # A decision that is neither « accepter » nor « refuser » decides nothing.
    odd = staff.post(
        f"/espace/operateur/rattachements/{claim.pk}/", {"decision": "x", "motif": "m"}, follow=True
    )
    assert "Choisissez d&#x27;accepter ou de refuser" in odd.content.decode()
    claim.refresh_from_db()
    assert claim.statut == "en_attente"
    with immediate_tasks(execute=True):
        staff.post(
            f"/espace/operateur/rattachements/{claim.pk}/",
            {"decision": "refuser", "motif": "Adresse personnelle : écrivez depuis le domaine."},
        )
    claim.refresh_from_db()
    assert claim.statut == "refusee" and claim.decide_le is not None
    assert not imported.membres.filter(pk=requester.pk).exists()
    assert [m.to for m in mail.outbox] == [[requester.email]]
    assert "écrivez depuis le domaine" in mail.outbox[0].body
    page = client_for(requester).get("/espace/").content.decode()
    assert "refusée" in page and "écrivez depuis le domaine" in page


def test_the_database_refuses_a_refusal_without_reason_and_two_pending_claims(db, make_user):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    user = make_user()
    base = {
        "demandeur": user,
        "type_organisation": "fournisseur",
        "organisation_id": 1,
        "identifiant": siren(1),
        "nom_organisation": "X",
    }
    DemandeRattachement.objects.create(**base)
    for extra in (
        {},
        {"statut": "refusee", "decide_le": timezone.now()},
        {"statut": "acceptee"},
        {"statut": "inconnu", "decide_le": timezone.now()},
        {"type_organisation": "club", "organisation_id": 2},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            DemandeRattachement.objects.create(**{**base, **extra})


def test_only_operators_see_and_decide_claims(imported, make_user, operator):
    requester = make_user()
    claim = catalogue.register_provider(requester, "x", siren(1))
    owner = make_user()
    catalogue.add_member(imported, owner)
    for user in (requester, owner, make_user("CITOYEN")):
        client = client_for(user)
        assert client.get("/espace/operateur/rattachements/").status_code == 403
        decide = f"/espace/operateur/rattachements/{claim.pk}/"
        assert client.post(decide, {"decision": "accepter"}).status_code == 403
        api = "/api/v1/comptes/operateur/demandes-rattachement"
        assert client.get(api).status_code == 404
        body = json.dumps({"decision": "accepter"})
        assert (
            client.post(f"{api}/{claim.pk}/decision", body, content_type="application/json")
        ).status_code == 404
    anonymous = Client()
    assert anonymous.get("/espace/operateur/rattachements/").status_code == 302
    assert anonymous.get("/api/v1/comptes/operateur/demandes-rattachement").status_code == 401
    claim.refresh_from_db()
    assert claim.statut == "en_attente"
    assert not imported.membres.filter(pk=requester.pk).exists()


def test_claims_through_the_api_for_the_requester_and_the_operator(imported, make_user, operator):
    requester = make_user()
    client = client_for(requester)
    url = "/api/v1/comptes/demandes-rattachement"
    body = {"type_organisation": "fournisseur", "identifiant": siren(1), "message": "CTO"}
    created = client.post(url, body, content_type="application/json")
    assert created.status_code == 201 and created.json()["statut"] == "en_attente"
    again = client.post(url, body, content_type="application/json")
    assert again.json()["id"] == created.json()["id"]
    assert client.get(url).json()["count"] == 1
    unknown = client.post(
        url, {**body, "type_organisation": "club"}, content_type="application/json"
    )
    assert unknown.status_code == 422 and "type_organisation" in unknown.json()["detail"]
    missing = client.post(url, {**body, "identifiant": siren(9)}, content_type="application/json")
    assert missing.status_code == 422 and "Aucune organisation" in missing.json()["detail"]
    bad = client.post(url, {**body, "identifiant": "123"}, content_type="application/json")
    assert bad.status_code == 422 and "chiffres" in bad.json()["detail"]
    assert Client().post(url, body, content_type="application/json").status_code == 401
    # Another person's claims are not listed.
    assert client_for(make_user()).get(url).json()["count"] == 0

    staff = client_for(operator)
    listing = staff.get("/api/v1/comptes/operateur/demandes-rattachement").json()
    assert listing["count"] == 1 and listing["items"][0]["demandeur_email"] == requester.email
    decision = f"/api/v1/comptes/operateur/demandes-rattachement/{created.json()['id']}/decision"
    no_reason = staff.post(decision, {"decision": "refuser"}, content_type="application/json")
    assert no_reason.status_code == 422 and "raison du refus" in no_reason.json()["detail"]
    accepted = staff.post(decision, {"decision": "accepter"}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["statut"] == "acceptee"
    assert imported.membres.filter(pk=requester.pk).exists()
    twice = staff.post(decision, {"decision": "accepter"}, content_type="application/json")
    assert twice.status_code == 422 and "déjà été traitée" in twice.json()["detail"]
    absent = staff.post(
        "/api/v1/comptes/operateur/demandes-rattachement/999999/decision",
        {"decision": "accepter"},
        content_type="application/json",
    )
    assert absent.status_code == 404


def test_claims_are_limited_per_account_and_per_day(db, make_user):
    requester = make_user()
    owner = make_user()
    for n in range(10, 16):
        catalogue.register_provider(owner, f"Fournisseur {n}", siren(n))
    client = client_for(requester)
    url = "/api/v1/comptes/demandes-rattachement"
    answers = [
        client.post(
            url,
            {"type_organisation": "fournisseur", "identifiant": siren(n)},
            content_type="application/json",
        )
        for n in range(10, 16)
    ]
    assert [a.status_code for a in answers] == [201] * 5 + [429]
    # The refusal says why and how long to wait (until the day's window is over).
    assert "plusieurs demandes de rattachement" in answers[-1].json()["detail"]
    assert 0 < int(answers[-1]["Retry-After"]) <= 86400
    assert DemandeRattachement.objects.filter(demandeur=requester).count() == 5
    # The page says so in French and records nothing either.
    page = client.post("/catalogue/espace-fournisseur/", {"nom": "x", "siren": siren(15)})
    assert "plusieurs demandes de rattachement" in page.content.decode()
    assert DemandeRattachement.objects.filter(demandeur=requester).count() == 5


# Companies ------------------------------------------------------------------------------

COMPANY_FORM = {
    "identifiant": "81234567600017",
    "denomination": "Boulangerie Morel",
    "naf": "10.71C",
    "effectif": "8",
    "departement": "69",
}


def test_a_second_registrant_of_a_company_reaches_the_operators_not_the_company(
    make_user, operator
):
    first, second = make_user(), make_user()
    client_for(first).post("/entreprises/inscrire/", COMPANY_FORM)
    company = Adhesion.objects.get(utilisateur=first).entreprise
    intruder = client_for(second)
    response = intruder.post(
        "/entreprises/inscrire/", {**COMPANY_FORM, "denomination": "Rachat hostile"}, follow=True
    )
    assert "transmise aux opérateurs" in response.content.decode()
    assert intruder.get(f"/entreprises/{company.siren}/").status_code == 404
    company.refresh_from_db()
    assert company.denomination == "Boulangerie Morel"
    assert list(company.adhesions.values_list("utilisateur", "est_admin")) == [(first.pk, True)]
    claim = DemandeRattachement.objects.get(demandeur=second)
    assert claim.type_organisation == "entreprise" and "Rachat hostile" in claim.message
    services.accept_claim(claim, operator)
    assert list(company.adhesions.order_by("pk").values_list("utilisateur", "est_admin")) == [
        (first.pk, True),
        (second.pk, False),
    ]
    assert intruder.get(f"/entreprises/{company.siren}/").status_code == 200


def test_an_accepted_claim_on_a_company_without_admin_makes_its_admin(make_user, operator):
    company = EntrepriseFactory()
    requester = make_user()
    claim = services.request_membership(requester, "entreprise", company.siren, "Gérant")
    services.accept_claim(claim, operator)
    assert company.adhesions.get().est_admin and company.adhesions.get().utilisateur == requester


# Training organisations ------------------------------------------------------------------


def test_a_training_organisation_is_joined_by_a_claim_on_its_siret(
    db, empty_index, make_user, operator
):
    store(training())
    organisme = OrganismeFormation.objects.get(siret=SIRET_ORGANISME)
    trainer = make_user()
    client = client_for(trainer)
    page = client.get("/academie/organisme/")
    assert page.status_code == 200 and "Demander mon rattachement" in page.text
    assert "Rédiger devis" not in page.text
    siren_only = client.post("/academie/organisme/", {"identifiant": SIRET_ORGANISME[:9]})
    assert "pas le SIREN" in siren_only.content.decode()
    unknown = client.post("/academie/organisme/", {"identifiant": "81234567600017"})
    assert "Aucun organisme de formation" in unknown.content.decode()
    assert not DemandeRattachement.objects.exists()
    sent = client.post(
        "/academie/organisme/",
        {"identifiant": "732 829 320 00074", "message": "Responsable pédagogique"},
        follow=True,
    )
    assert "transmise aux opérateurs" in sent.content.decode()
    assert not organisme.membres.filter(pk=trainer.pk).exists()
    claim = DemandeRattachement.objects.get(demandeur=trainer)
    assert (claim.type_organisation, claim.identifiant) == (
        "organisme_formation",
        SIRET_ORGANISME,
    )
    services.accept_claim(claim, operator)
    assert organisme.membres.filter(pk=trainer.pk).exists()
    assert "Rédiger devis" in client.get("/academie/organisme/").content.decode()


# Withdrawals ------------------------------------------------------------------------------


def test_a_withdrawal_is_immediate_recorded_and_told_to_the_operators(
    imported, make_user, operator, immediate_tasks
):
    owner = make_user()
    catalogue.add_member(imported, owner)
    client = client_for(owner)
    with immediate_tasks(execute=True):
        response = client.post(
            "/catalogue/espace-fournisseur/devis-express/retirer/",
            {"motif": "Offre arrêtée le 1er janvier"},
        )
    assert response.status_code == 302
    solution = Solution.objects.get(id_externe="devis-express")
    assert not solution.est_publiee  # at once, without moderation
    event = solution.evenements.get(action="retrait")
    assert event.auteur == owner and "Offre arrêtée le 1er janvier" in event.detail
    assert [m.to for m in mail.outbox] == [[operator.email]]
    assert "retirée" in mail.outbox[0].subject and owner.email in mail.outbox[0].body
    moderation = client_for(operator).get("/catalogue/moderation/").content.decode()
    assert "Retraits récents" in moderation and "Offre arrêtée le 1er janvier" in moderation
    assert Client().get("/catalogue/solutions/devis-express/").status_code == 404


def test_member_pages_pass_html_validation(imported, make_user, operator):
    from tests.html import assert_valid_html

    requester = make_user()
    catalogue.register_provider(requester, "x", siren(1), "Message")
    for client, url in [
        (client_for(operator), "/espace/operateur/rattachements/"),
        (client_for(operator), "/catalogue/moderation/"),
        (client_for(requester), "/espace/"),
        (client_for(requester), "/catalogue/espace-fournisseur/"),
        (client_for(requester), "/academie/organisme/"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_valid_html(response.content)


def test_control_characters_never_reach_a_claim_a_refusal_or_a_withdrawal(
    imported, make_user, operator
):
    requester = make_user()
    with pytest.raises(ValidationError):
        services.submit_claim(requester, "fournisseur", imported.pk, "Gérante\x1b[31m")
    claim = services.submit_claim(requester, "fournisseur", imported.pk, "Gérante")
    staff = client_for(operator)
    page = staff.post(
        f"/espace/operateur/rattachements/{claim.pk}/",
        {"decision": "refuser", "motif": "non\x00merci"},
        follow=True,
    )
    assert page.status_code == 200 and "caractères non autorisés" in page.content.decode()
    claim.refresh_from_db()
    assert claim.statut == "en_attente"
    # A provider's withdrawal reason: refused in French, the solution stays online.
    owner = make_user()
    catalogue.add_member(imported, owner)
    response = client_for(owner).post(
        "/catalogue/espace-fournisseur/devis-express/retirer/", {"motif": "a\x00b"}, follow=True
    )
    assert "caractères non autorisés" in response.content.decode()
    assert Solution.objects.get(id_externe="devis-express").est_publiee


def test_an_organisation_name_over_several_lines_still_reaches_the_operators(
    imported, make_user, operator, immediate_tasks
):
    Fournisseur.objects.filter(pk=imported.pk).update(nom="Centre\nBcc: x@pirate.example")
    with immediate_tasks(execute=True):
        services.submit_claim(make_user(), "fournisseur", imported.pk, "")
    assert len(mail.outbox) == 1
    subject = mail.outbox[0].subject
    assert "\n" not in subject and "Centre Bcc: x@pirate.example" in subject
    assert mail.outbox[0].bcc == []
