"""Events, registrations and interests for tests (written through the services)."""

from datetime import timedelta

from django.utils import timezone

from osezia.comptes.services import grant_role
from osezia.evenements.services import evenements, inscriptions
from osezia.referentiels.models import Region
from tests.comptes.factories import UtilisateurFactory


def organisateur():
    user = UtilisateurFactory(roles=[])
    grant_role(user, "ORGANISATEUR")
    return user


def evenement(organisateur_, jours=10, tables=3, sessions=(("09:00", "10:00"),), **extra):
    jour = timezone.localdate() + timedelta(days=jours)
    d = evenements.DonneesEvenement(
        titre=extra.pop("titre", "Rencontres d'affaires IA de Bretagne"),
        type_evenement="rencontre",
        organisme="cci",
        date=jour,
        duree_rdv=20,
        sessions=list(sessions),
        tables=tables,
        ouverture_inscriptions=jour - timedelta(days=30),
        cloture_inscriptions=jour,
        region=Region.objects.get(pk="53"),
        lieu="Rennes, CCI",
        **extra,
    )
    return evenements.creer_evenement(organisateur_, d)


def inscrit(ev, nom, type_participant="entreprise", familles=("DOCUMENTS",), user=None, max_rdv=3):
    user = user or UtilisateurFactory(roles=[])
    choix = inscriptions.Preremplissage(type_participant, nom, list(familles))
    return inscriptions.inscrire(
        user,
        ev,
        choix,
        list(familles),
        "",
        list(ev.creneaux.all()),
        max_rdv,
        jour=ev.ouverture_inscriptions,
    )
