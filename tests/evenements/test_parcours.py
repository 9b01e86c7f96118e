"""The journey of docs/evenements.md through the pages and services: an organiser creates an
event, participants register and mark interests, the organiser schedules (a task), locks and
cancels, re-runs; agendas as page, PDF and .ics; check-in, no-shows and feedback."""

import html
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from osezia.evenements.models import Evenement, Planification
from osezia.evenements.services import inscriptions, journee
from tests.comptes.factories import PASSWORD, UtilisateurFactory

from . import factories

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.login(email=user.email, password=PASSWORD)
    return client


def test_an_organiser_creates_an_event_whose_sessions_become_slots():
    orga = factories.organisateur()
    jour = timezone.localdate() + timedelta(days=20)
    reponse = _client(orga).post(
        "/rencontres/nouvelle/",
        {
            "titre": "Rencontres IA du Finistère",
            "type_evenement": "rencontre",
            "organisme": "cci",
            "region": "53",
            "lieu": "Quimper",
            "date": jour.isoformat(),
            "duree_rdv": "30",
            "sessions": "09:00-11:00, 14:00-15:00",
            "tables": "10",
            "salles": "1",
            "capacite": "50",
            "ouverture_inscriptions": (jour - timedelta(days=10)).isoformat(),
            "cloture_inscriptions": jour.isoformat(),
        },
    )
    evenement = Evenement.objects.get(titre="Rencontres IA du Finistère")
    assert reponse.status_code == 302
    heures = [timezone.localtime(c.debut).strftime("%H:%M") for c in evenement.creneaux.all()]
    assert heures == ["09:00", "09:30", "10:00", "10:30", "14:00", "14:30"]


def test_a_bad_event_is_refused_in_french():
    orga = factories.organisateur()
    reponse = _client(orga).post(
        "/rencontres/nouvelle/",
        {
            "titre": "X",
            "type_evenement": "rencontre",
            "organisme": "cci",
            "date": "2027-01-10",
            "duree_rdv": "20",
            "sessions": "12:00-09:00",
            "tables": "5",
            "salles": "1",
            "capacite": "10",
            "ouverture_inscriptions": "2027-01-01",
            "cloture_inscriptions": "2027-01-09",
        },
    )
    contenu = reponse.content.decode()
    assert reponse.status_code == 200 and not Evenement.objects.exists()
    assert "la fin doit suivre le début" in contenu
    assert "Une rencontre régionale a une région" in contenu


def test_a_company_registers_with_its_needs_prefilled_from_its_latest_diagnostic(
    admin_a, company_a
):
    from tests.diagnostics.factories import completed_diagnostic

    diagnostic = completed_diagnostic(company_a)
    (choix,) = inscriptions.preremplir(admin_a)
    assert choix.familles == [c["famille"] for c in diagnostic.cas_usage[:5]]
    assert choix.familles and choix.organisation == company_a.denomination
    assert choix.source == "votre dernier diagnostic"


def test_a_provider_registers_with_the_families_of_its_published_solutions(make_user):
    from osezia.diagnostics import offres

    user = make_user()
    offres.register(
        "essai",
        lambda u: (
            [offres.Offre("Vision Atlantique", ("CONTROLE_QUALITE",), ("Œil",))]
            if u == user
            else []
        ),
    )
    try:
        (choix,) = inscriptions.preremplir(user)
    finally:
        offres._SOURCES.pop("essai")
    assert (choix.type_participant, choix.familles) == ("fournisseur", ["CONTROLE_QUALITE"])


def test_the_whole_day(immediate_tasks, mailoutbox):
    orga = factories.organisateur()
    ev = factories.evenement(orga, tables=1)  # 3 slots of 20 min, one table
    e1 = factories.inscrit(ev, "Boulangerie Alpha", familles=["DOCUMENTS", "PREVISION"])
    e2 = factories.inscrit(ev, "Garage Bêta", familles=["PREVISION"])
    f1 = factories.inscrit(ev, "Vision Atlantique", "fournisseur", familles=["PREVISION"])
    f2 = factories.inscrit(ev, "Lexique Automatique", "fournisseur", familles=["DOCUMENTS"])
    # suggestions come from the families in common
    assert [a for a, _s in inscriptions.suggestions(e1)][:2] == [f1, f2] or {
        a.pk for a, _s in inscriptions.suggestions(e1)[:2]
    } == {f1.pk, f2.pk}
    client_e1 = _client(e1.utilisateur)
    client_e1.post(
        f"/rencontres/{ev.pk}/interets/",
        {"vers": f1.pk, "niveau": "souhaite", "message": "Parlons prévision."},
    )
    inscriptions.marquer_interet(e1, f2, "souhaite")
    inscriptions.marquer_interet(e2, f1, "souhaite")
    inscriptions.marquer_interet(f2, e2, "refuse")
    demande = f1.interets_recus.get(de=e1)
    assert demande.reponse == "en_attente"
    _client(f1.utilisateur).post(
        f"/rencontres/{ev.pk}/interets/", {"repondre": demande.pk, "accepte": "1"}
    )
    assert f1.interets_emis.get(vers=e1).niveau == "souhaite"

    orga_client = _client(orga)
    with immediate_tasks(execute=True):
        orga_client.post(f"/rencontres/{ev.pk}/organisation/", {"action": "planifier"})
    run = Planification.objects.get(evenement=ev)
    assert run.statut == "terminee" and run.optimal
    paires = {frozenset((r.a.organisation, r.b.organisation)) for r in ev.rendez_vous.all()}
    # E1–F1 (3+3), E1–F2 (3), E2–F1 (3); the refused pair F2–E2 never
    assert paires == {
        frozenset(("Boulangerie Alpha", "Vision Atlantique")),
        frozenset(("Boulangerie Alpha", "Lexique Automatique")),
        frozenset(("Garage Bêta", "Vision Atlantique")),
    }
    assert run.objectif == 12 == run.borne
    page = orga_client.get(f"/rencontres/{ev.pk}/organisation/").content.decode()
    assert "Borne supérieure prouvée" in page and "planning optimal" in page

    with immediate_tasks(execute=True):
        orga_client.post(f"/rencontres/{ev.pk}/organisation/", {"action": "publier"})
    assert {m.to[0] for m in mailoutbox} >= {e1.utilisateur.email, f2.utilisateur.email}

    agenda = client_e1.get(f"/rencontres/{ev.pk}/agenda/").content.decode()
    assert (
        "Vision Atlantique" in agenda
        and "Lexique Automatique" in agenda
        and e1.code_emargement in agenda
    )
    ics = client_e1.get(f"/rencontres/{ev.pk}/agenda.ics")
    cal = Calendar.from_ical(ics.content)
    evenements = list(cal.walk("VEVENT"))
    assert len(evenements) == 2
    assert all("table 1" in str(c["summary"]) for c in evenements)
    assert str(evenements[0]["dtstart"].dt.tzinfo) == "Europe/Paris"
    uids = {str(c["uid"]): int(c["sequence"]) for c in evenements}
    pdf = client_e1.get(f"/rencontres/{ev.pk}/agenda.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # lock one meeting, cancel another, re-run: the locked one stays, the cancelled pair is gone
    verrouille = ev.rendez_vous.get(a__in=[e1, f1], b__in=[e1, f1])
    annule = ev.rendez_vous.get(a__in=[e2, f1], b__in=[e2, f1])
    orga_client.post(
        f"/rencontres/{ev.pk}/organisation/", {"action": "verrouiller", "rdv": verrouille.pk}
    )
    orga_client.post(f"/rencontres/{ev.pk}/organisation/", {"action": "annuler", "rdv": annule.pk})
    with immediate_tasks(execute=True):
        orga_client.post(f"/rencontres/{ev.pk}/organisation/", {"action": "planifier"})
    verrouille.refresh_from_db()
    actifs = ev.rendez_vous.filter(annule=False)
    assert verrouille in actifs and actifs.count() == 2
    cal = Calendar.from_ical(client_e1.get(f"/rencontres/{ev.pk}/agenda.ics").content)
    apres = {str(c["uid"]): int(c["sequence"]) for c in cal.walk("VEVENT")}
    assert set(apres) == set(uids)  # UIDs stable across re-planning
    assert all(apres[u] >= uids[u] for u in uids)

    # the day: check-in by the scanned URL or the typed code, no-shows, feedback
    emargement = f"/rencontres/{ev.pk}/organisation/emargement/"
    orga_client.post(
        emargement, {"code": f"https://osez-ia.fr{emargement}?code={e1.code_emargement}"}
    )
    orga_client.post(emargement, {"code": f1.code_emargement.lower()})
    reponse = orga_client.post(emargement, {"code": "NIMPORTEQUOI"})
    assert "Code inconnu" in reponse.content.decode()
    e1.refresh_from_db()
    assert e1.present_le is not None
    journee.cloturer(ev)
    assert ev.rendez_vous.get(pk=verrouille.pk).tenu is True
    autre = ev.rendez_vous.filter(annule=False).exclude(pk=verrouille.pk).get()
    assert autre.tenu is False  # F2 never came
    from osezia.evenements.models import Creneau

    Creneau.objects.filter(pk=verrouille.creneau_id).update(
        debut=timezone.now() - timedelta(hours=1), fin=timezone.now() - timedelta(minutes=40)
    )
    Evenement.objects.filter(pk=ev.pk).update(date=timezone.localdate())
    reponse = client_e1.post(
        f"/rencontres/{ev.pk}/rendez-vous/{verrouille.pk}/retour/",
        {"note": "5", "suite": "projet_pilote"},
    )
    assert reponse.status_code == 302
    chiffres = journee.observatory_figures()
    assert chiffres["rendez_vous_tenus"] == 1 and chiffres["suites"]["projet_pilote"] == 1


def test_the_public_list_filters_by_region_and_month_and_the_feed_parses():
    orga = factories.organisateur()
    ev = factories.evenement(orga, jours=15)
    client = Client()

    def page(**params):
        return html.unescape(client.get("/rencontres/", params).content.decode())

    assert ev.titre in page(region="53")
    assert ev.titre not in page(region="76")
    assert ev.titre not in page(mois=(ev.date + timedelta(days=40)).strftime("%Y-%m"))
    assert ev.titre in page(mois=ev.date.strftime("%Y-%m"))
    assert "AAAA-MM" in page(mois="mars")
    cal = Calendar.from_ical(client.get("/rencontres/calendrier.ics").content)
    assert [str(c["summary"]) for c in cal.walk("VEVENT")] == [ev.titre]


def test_the_public_directory_never_shows_an_email():
    orga = factories.organisateur()
    ev = factories.evenement(orga)
    user = UtilisateurFactory(roles=[], email="secret.contact@boulangerie.example")
    factories.inscrit(ev, "Boulangerie Alpha", user=user)
    page = html.unescape(Client().get(f"/rencontres/{ev.pk}/participants/").content.decode())
    assert "Boulangerie Alpha" in page and "secret.contact" not in page
