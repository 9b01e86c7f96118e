"""A file from the request to its closing through the services, and the moves each party may
not make."""

import pytest
from django.core.exceptions import PermissionDenied

from osezia.expertise import etats, services
from osezia.expertise.models import Demande, Rapport
from osezia.expertise.services import ExpertiseError
from tests.comptes.factories import UtilisateurFactory
from tests.entreprises.factories import EntrepriseFactory

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
    write_report,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return pme()


@pytest.fixture
def leader(company):
    return company_member(company)


@pytest.fixture
def the_expert():
    return expert()


def test_a_tpe_and_a_ge_are_told_why_and_what_else_they_can_do():
    for size in ("TPE", "GE"):
        entreprise = EntrepriseFactory(categorie_taille=size)
        found = services.eligibility(entreprise)
        assert not found.eligible
        assert "réservé aux PME et ETI" in found.raison
        assert {url for _, url in found.alternatives} == {
            "diagnostics:demarrer",
            "ambassadeurs:demander",
            "catalogue:liste",
        }
        with pytest.raises(ExpertiseError, match="réservé aux PME et ETI"):
            request(entreprise, company_member(entreprise))
    assert not Demande.objects.exists()


def test_one_open_request_per_company(company, leader):
    request(company, leader)
    with pytest.raises(ExpertiseError, match="déjà une demande"):
        request(company, company_member(company, admin=False))
    assert Demande.objects.count() == 1


def test_a_stranger_cannot_ask_for_a_company(company):
    with pytest.raises(PermissionDenied):
        request(company, UtilisateurFactory())


def test_needs_are_required_and_control_characters_refused(company, leader):
    with pytest.raises(ExpertiseError) as refused:
        services.create_request(leader, company, {"besoins": "court", "contraintes": "a\x07b"})
    assert set(refused.value.message_dict) == {"besoins", "contraintes"}


def test_the_whole_path_is_recorded_with_who_when_from_to(company, leader, operator, the_expert):
    envelope(operator)
    demande = to_started(company, leader, operator, the_expert)
    write_report(demande, the_expert)
    services.move(demande, the_expert.utilisateur, etats.RAPPORT_REMIS)
    services.move(demande, leader, etats.EN_COURS, commentaire="Précisez le coût du cas n° 2.")
    services.move(demande, the_expert.utilisateur, etats.RAPPORT_REMIS)
    services.move(demande, leader, etats.VALIDE)
    services.move(demande, operator, etats.FACTURE)
    services.move(demande, operator, etats.CLOS)
    steps = [(t.de, t.vers, t.partie) for t in services.timeline(demande)]
    assert steps == [
        ("", "demandee", "entreprise"),
        ("demandee", "eligible", "operateur"),
        ("eligible", "expert_assigne", "operateur"),
        ("expert_assigne", "devis_accepte", "entreprise"),
        ("devis_accepte", "en_cours", "expert"),
        ("en_cours", "rapport_remis", "expert"),
        ("rapport_remis", "en_cours", "entreprise"),
        ("en_cours", "rapport_remis", "expert"),
        ("rapport_remis", "valide", "entreprise"),
        ("valide", "facture", "operateur"),
        ("facture", "clos", "operateur"),
    ]
    asked = services.timeline(demande).get(vers="en_cours", de="rapport_remis")
    assert asked.par == leader and asked.commentaire == "Précisez le coût du cas n° 2."
    assert Rapport.objects.get(demande=demande).statut == "valide"
    # Closed: the company may ask again.
    request(company, leader)


def test_forbidden_moves(company, leader, operator, the_expert):
    demande = request(company, leader)
    with pytest.raises(PermissionDenied, match="opérateur"):
        services.move(demande, leader, etats.ELIGIBLE)  # an operator's move
    with pytest.raises(PermissionDenied):
        services.move(demande, the_expert.utilisateur, etats.ELIGIBLE)
    services.move(demande, operator, etats.ELIGIBLE)
    other = expert(nom="Autre")
    services.assign(demande, the_expert, operator)
    with pytest.raises(PermissionDenied):
        services.accept_file(demande, other.utilisateur)  # not assigned to them
    services.accept_file(demande, the_expert.utilisateur)
    with pytest.raises(PermissionDenied):
        services.propose(demande, leader, 10, 120_000)
    with pytest.raises(ExpertiseError, match="ne peut pas passer"):
        services.move(demande, operator, etats.CLOS)


def test_a_refusal_and_a_cancellation_need_a_reason_from_the_list(company, leader, operator):
    demande = request(company, leader)
    with pytest.raises(ExpertiseError, match="motif"):
        services.move(demande, operator, etats.REFUSEE, "pas envie")
    services.move(demande, operator, etats.REFUSEE, "hors_perimetre")
    assert (
        services.timeline(demande).last().libelle_motif
        == "Besoin hors du périmètre du Diagnostic Data IA"
    )
    demande = request(company, leader)
    services.move(demande, leader, etats.ANNULEE, "renoncement_entreprise")
    assert Demande.objects.get(pk=demande.pk).statut == "annulee"


def test_an_expert_tied_to_the_company_cannot_be_assigned(company, leader, operator):
    own = expert(siren=company.siren)
    declared = expert(nom="Déclaré")
    services.declare_conflict(declared, company.siren, "ancien associé")
    demande = request(company, leader)
    services.move(demande, operator, etats.ELIGIBLE)
    assert services.suggestions(demande) == []
    for tied in (own, declared):
        with pytest.raises(ExpertiseError, match="lié à l'entreprise"):
            services.assign(demande, tied, operator)


def test_declining_gives_the_file_back_with_its_reason(company, leader, operator, the_expert):
    demande = to_assigned(company, leader, operator, the_expert)
    with pytest.raises(ExpertiseError, match="motif"):
        services.decline(demande, the_expert.utilisateur, "")
    services.decline(demande, the_expert.utilisateur, "indisponible")
    demande.refresh_from_db()
    assert (demande.statut, demande.expert) == ("eligible", None)
    assert services.timeline(demande).last().partie == "expert"


def test_the_report_is_prefilled_from_the_shared_self_diagnostic(
    company, leader, operator, the_expert
):
    from tests.diagnostics.factories import completed_diagnostic

    diagnostic = completed_diagnostic(entreprise=company, auteur=leader)
    diagnostic.description = "Nos machines s'arrêtent sans prévenir."
    diagnostic.save()
    envelope(operator)
    demande = to_started(company, leader, operator, the_expert)
    assert demande.diagnostic == diagnostic and demande.partage_consenti
    content = Rapport.objects.get(demande=demande).contenu
    assert {m["dimension"]: m["score"] for m in content["maturite"]}[
        "DONNEES"
    ] == diagnostic.score_donnees
    assert content["mots_entreprise"] == "Nos machines s'arrêtent sans prévenir."
    assert [c["libelle"] for c in content["cas_usage"]] == [
        c["libelle"] for c in diagnostic.cas_usage[:5]
    ]


def test_without_consent_the_self_diagnostic_stays_with_the_company(
    company, leader, operator, the_expert
):
    from tests.diagnostics.factories import completed_diagnostic

    completed_diagnostic(entreprise=company, auteur=leader)
    demande = services.create_request(
        leader, company, {"besoins": BESOINS, "partage_autodiagnostic": False}
    )
    assert demande.diagnostic is None and not demande.partage_consenti


def test_a_report_is_handed_over_only_with_a_summary_and_a_use_case(
    company, leader, operator, the_expert
):
    envelope(operator)
    demande = to_started(company, leader, operator, the_expert)
    with pytest.raises(ExpertiseError, match="synthèse|cas d'usage"):
        services.move(demande, the_expert.utilisateur, etats.RAPPORT_REMIS)


def test_the_expert_edits_the_use_cases(company, leader, operator, the_expert):
    envelope(operator)
    demande = to_started(company, leader, operator, the_expert)
    user = the_expert.utilisateur
    services.edit(demande, user, "ajouter", data={"famille": "PREVISION"})
    services.edit(demande, user, "ajouter", data={"famille": "DOCUMENTS"})
    services.edit(demande, user, "descendre", 0)
    found = services.edit(
        demande,
        user,
        "modifier",
        0,
        {
            "libelle": "Prévoir les commandes",
            "gain_mode": "heures",
            "heures_par_an": 300,
            "cout_horaire_eur": 40,
        },
    )
    cases = found.contenu["cas_usage"]
    assert [c["famille"] for c in cases] == ["DOCUMENTS", "PREVISION"]
    assert cases[0]["libelle"] == "Prévoir les commandes"
    with pytest.raises(ExpertiseError):
        services.edit(demande, user, "modifier", 1, {"valeur": 101})
    services.edit(demande, user, "retirer", 1)
    assert len(Rapport.objects.get(demande=demande).contenu["cas_usage"]) == 1
    with pytest.raises(PermissionDenied):
        services.edit(demande, leader, "retirer", 0)


def test_observatory_figures_count_requested_delivered_paid(company, leader, operator, the_expert):
    envelope(operator)
    to_handed_over(company, leader, operator, the_expert)
    second = pme()
    request(second, company_member(second))
    figures = services.observatory_figures()
    assert (figures["demandes"], figures["livres"], figures["payes"], figures["objectif"]) == (
        2,
        1,
        0,
        5000,
    )
