"""The pages: the scheme and its simulation, the request (a TPE told why and where else to
go), a file's page for each party, the report and its editor, the operators' page; and the
forbidden accesses (404 for another's file, 403 for a move one's role may not make)."""

import pytest
from django.test import Client
from django.urls import reverse

from osezia.expertise import etats
from osezia.expertise.models import Demande, Enveloppe, Expert
from tests.comptes.factories import UtilisateurFactory
from tests.conftest import login_with_code

from .factories import (
    BESOINS,
    company_member,
    envelope,
    expert,
    pme,
    request,
    to_assigned,
    to_handed_over,
    to_started,
)

pytestmark = pytest.mark.django_db


def _logged(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_scheme_page_simulates_the_cost(client):
    page = client.get(
        reverse("expertise:accueil"), {"jours": "10", "taux_journalier_ht_eur": "1200"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "4\u202f800,00 €" in text and "9\u202f600,00 €" in text and "14\u202f400,00 €" in text
    page = client.get(
        reverse("expertise:accueil"), {"jours": "40", "taux_journalier_ht_eur": "1200"}
    )
    assert "Le formulaire contient des erreurs" in page.content.decode()


def test_a_tpe_is_told_why_with_the_other_ways():
    tpe = pme(categorie_taille="TPE", effectif=5, denomination="Fournil de Gwen")
    text = _logged(company_member(tpe)).get(reverse("expertise:demander")).content.decode()
    assert "Fournil de Gwen : pas de Diagnostic Data IA" in text
    for name in ("diagnostics:demarrer", "ambassadeurs:demander", "catalogue:liste"):
        assert f'href="{reverse(name)}"' in text
    assert "Envoyer ma demande" not in text


def test_a_leader_requests_from_the_page():
    company = pme(denomination="Menuiserie Kerlann")
    client = _logged(company_member(company))
    answer = client.post(
        reverse("expertise:demander"),
        {"entreprise": company.pk, "besoins": BESOINS, "partage_autodiagnostic": "on"},
    )
    demande = Demande.objects.get()
    assert answer.status_code == 302 and answer.url == reverse(
        "expertise:demande", args=[demande.pk]
    )
    text = client.get(answer.url).content.decode()
    assert "Demandée" in text and "Suivi du dossier" in text and "Annuler la demande" in text
    assert "Confirmer l'éligibilité" not in text


def test_another_company_and_an_expert_not_assigned_get_404(operator):
    company = pme()
    demande = to_assigned(company, company_member(company), operator, expert())
    for user in (company_member(pme()), expert(nom="Autre").utilisateur, UtilisateurFactory()):
        client = _logged(user)
        assert client.get(reverse("expertise:demande", args=[demande.pk])).status_code == 404
        assert (
            client.post(
                reverse("expertise:demande", args=[demande.pk]), {"action": "accepter_dossier"}
            ).status_code
            == 404
        )
        assert client.get(reverse("expertise:rapport", args=[demande.pk])).status_code == 404


def test_a_company_trying_an_operator_move_gets_403():
    company = pme()
    leader = company_member(company)
    demande = request(company, leader)
    client = _logged(leader)
    answer = client.post(
        reverse("expertise:demande", args=[demande.pk]),
        {"action": "transition", "vers": "eligible"},
    )
    assert answer.status_code == 403
    assert (
        client.post(
            reverse("expertise:demande", args=[demande.pk]), {"action": "assigner", "expert": "1"}
        ).status_code
        == 403
    )
    assert Demande.objects.get().statut == etats.DEMANDEE
    assert client.get(reverse("expertise:operateur")).status_code == 403


def test_the_operator_sees_the_ranked_experts_and_assigns(operator):
    company = pme()
    demande = request(company, company_member(company))
    near = expert(nom="Proche", regions=["53"])
    expert(nom="Lointain", regions=["11"])
    tied = expert(nom="Lié", siren=company.siren)
    client = login_with_code(Client(), operator)
    client.post(
        reverse("expertise:demande", args=[demande.pk]),
        {"action": "transition", "vers": "eligible"},
    )
    text = client.get(reverse("expertise:demande", args=[demande.pk])).content.decode()
    assert text.index("Alex Proche") < text.index("Alex Lointain")
    assert "Alex Lié" not in text
    client.post(
        reverse("expertise:demande", args=[demande.pk]), {"action": "assigner", "expert": near.pk}
    )
    demande.refresh_from_db()
    assert (demande.statut, demande.expert) == (etats.EXPERT_ASSIGNE, near)
    answer = client.post(
        reverse("expertise:demande", args=[demande.pk]), {"action": "assigner", "expert": tied.pk}
    )
    assert answer.status_code == 302  # refused with a message, nothing changed
    assert Demande.objects.get().expert == near


def test_expert_accepts_quotes_and_company_accepts_the_quote_with_the_envelope(operator):
    the_expert = expert()
    company = pme()
    leader = company_member(company)
    demande = to_assigned(company, leader, operator, the_expert)
    mine = _logged(the_expert.utilisateur)
    url = reverse("expertise:demande", args=[demande.pk])
    assert "Accepter le dossier" in mine.get(url).content.decode()
    mine.post(url, {"action": "accepter_dossier"})
    mine.post(
        url,
        {
            "action": "devis",
            "jours": "10",
            "taux_journalier_ht_eur": "1 200",
            "contenu": "Entretiens, visite, rapport.",
        },
    )
    company_client = _logged(leader)
    page = company_client.get(url).content.decode()
    assert "Reste à la charge de l'entreprise" in page and "9\u202f600,00 €" in page
    # No envelope yet: the file waits, and says so.
    page = company_client.post(url, {"action": "accepter_devis"}, follow=True).content.decode()
    assert "épuisée" in page and "position 1" in page
    envelope(operator, 10_000)
    assert Demande.objects.get().statut == etats.DEVIS_ACCEPTE


def test_the_report_editor_matrix_and_pdf(operator):
    the_expert = expert()
    envelope(operator)
    company = pme()
    leader = company_member(company)
    demande = to_started(company, leader, operator, the_expert)
    url = reverse("expertise:rapport", args=[demande.pk])
    mine = _logged(the_expert.utilisateur)
    mine.post(url, {"action": "ajouter", "famille": "PREVISION"})
    mine.post(url, {"action": "synthese", "synthese": "Une PME prête pour la prévision."})
    fields = {
        f"cas0-{k}": v
        for k, v in {
            "libelle": "Prévoir les ventes",
            "justification": "Historique propre.",
            "valeur": "80",
            "faisabilite": "65",
            "gain_mode": "heures",
            "heures_par_an": "300",
            "cout_horaire_eur": "45",
            "masse_salariale_eur": "0",
            "part_pct": "20",
            "cout_min_eur": "5000",
            "cout_max_eur": "12000",
            "risque_ia_act": "minimal",
            "donnees_personnelles": "Aucune donnée personnelle.",
            "trimestre": "2",
        }.items()
    }
    mine.post(url, {"action": "modifier", "index": "0", **fields})
    text = mine.get(url).content.decode()
    assert "300 h économisées par an × 45 €/h = 13\u202f500 €" in text
    assert '<circle cx="196.0" cy="88.0"' in text  # feasibility 65, value 80, never « 196,0 »
    assert "Valeur et faisabilité de chaque cas d'usage" in text
    # The company reads it but cannot edit it.
    company_client = _logged(leader)
    assert "Enregistrer ce cas d'usage" not in company_client.get(url).content.decode()
    assert company_client.post(url, {"action": "retirer", "index": "0"}).status_code == 403
    pdf = company_client.get(reverse("expertise:rapport_pdf", args=[demande.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_the_company_validates_or_asks_for_changes(operator):
    the_expert = expert()
    envelope(operator)
    company = pme()
    leader = company_member(company)
    demande = to_handed_over(company, leader, operator, the_expert)
    client = _logged(leader)
    url = reverse("expertise:demande", args=[demande.pk])
    page = client.get(url).content.decode()
    assert "Valider le rapport" in page and "Demander des modifications" in page
    client.post(
        url, {"action": "transition", "vers": "en_cours", "en_cours-commentaire": ""}, follow=True
    )
    assert Demande.objects.get().statut == etats.RAPPORT_REMIS  # a change needs its words
    client.post(
        url,
        {
            "action": "transition",
            "vers": "en_cours",
            "en_cours-commentaire": "Chiffrez le cas n° 1.",
        },
    )
    assert Demande.objects.get().statut == etats.EN_COURS
    assert "Chiffrez le cas n° 1." in client.get(url).content.decode()


def test_operator_page_envelopes_and_accreditation(operator):
    candidate = expert(nom="Candidat")
    Expert.objects.filter(pk=candidate.pk).update(statut=Expert.Statut.CANDIDATURE)
    client = login_with_code(Client(), operator)
    url = reverse("expertise:operateur")
    assert "Alex Candidat" in client.get(url).content.decode()
    client.post(url, {"action": "accrediter", "expert": candidate.pk})
    assert Expert.objects.get(pk=candidate.pk).statut == Expert.Statut.ACCREDITE
    client.post(
        url, {"action": "enveloppe", "region": "53", "annee": "2026", "montant_eur": "250 000"}
    )
    assert Enveloppe.objects.get(region="53", annee=2026).montant_cents == 25_000_000
    page = client.post(
        url, {"action": "enveloppe", "region": "53", "annee": "2026", "montant_eur": "abc"}
    ).content.decode()
    assert "Indiquez un montant en euros" in page


def test_an_expert_writes_a_profile_and_declares_a_conflict():
    user = UtilisateurFactory(roles=["EXPERT"])
    client = _logged(user)
    url = reverse("expertise:profil")
    client.post(
        url,
        {
            "action": "profil",
            "familles": ["PREVISION"],
            "regions": ["53"],
            "naf": "C, 49.41a",
            "capacite_jours_trimestre": "20",
            "taux_journalier_ht_eur": "950",
            "structure": "Cabinet Kerlann Data",
        },
    )
    found = Expert.objects.get(utilisateur=user)
    assert (found.statut, found.naf, found.taux_journalier_ht_cents) == (
        "candidature",
        ["C", "49.41A"],
        95_000,
    )
    client.post(url, {"action": "conflit", "siren": "732829320", "motif": "ancien client"})
    assert found.conflits.get().siren == "732829320"
    assert _logged(UtilisateurFactory()).get(url).status_code == 403
