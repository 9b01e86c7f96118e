"""Experts, PME and files for tests: a PME of Bretagne (region 53) with its member, an
accredited expert covering it, and helpers that take a file through its states by the
services, as the parties would."""

from datetime import datetime

from django.utils import timezone

from osezia.comptes.services import grant_role
from osezia.expertise import etats, services
from osezia.expertise.models import Expert
from osezia.referentiels.models import Departement
from tests.comptes.factories import UtilisateurFactory, member
from tests.entreprises.factories import EntrepriseFactory

BESOINS = "Nous voulons savoir quelles données de production utiliser pour réduire les arrêts."


def pme(**kwargs):
    departement = Departement.objects.get(code=kwargs.pop("departement", "35"))
    defaults = {
        "effectif": 42,
        "categorie_taille": "PME",
        "departement": departement,
        "region": departement.region,
    }
    return EntrepriseFactory(**{**defaults, **kwargs})


def company_member(entreprise, admin=True):
    user = UtilisateurFactory()
    member(user, entreprise, admin=admin)
    return user


def expert(
    regions=("53",),
    familles=("MAINTENANCE_PREDICTIVE", "PREVISION"),
    naf=(),
    capacite=30,
    taux_eur=1200,
    **kwargs,
):
    user = UtilisateurFactory(
        first_name=kwargs.pop("prenom", "Alex"), last_name=kwargs.pop("nom", "Expert")
    )
    grant_role(user, "EXPERT")
    found = Expert.objects.create(
        utilisateur=user,
        familles=list(familles),
        naf=list(naf),
        capacite_jours_trimestre=capacite,
        taux_journalier_ht_cents=taux_eur * 100,
        statut=Expert.Statut.ACCREDITE,
        **kwargs,
    )
    found.regions.set(list(regions))
    return found


def request(entreprise, user, now: datetime | None = None):
    return services.create_request(
        user, entreprise, {"besoins": BESOINS, "partage_autodiagnostic": True}, now=now
    )


def envelope(operator, montant_eur=100_000, region="53", annee=None):
    return services.set_envelope(
        region, annee or timezone.localdate().year, montant_eur * 100, operator
    )


def to_assigned(entreprise, user, operator, the_expert, now=None):
    demande = request(entreprise, user, now)
    services.move(demande, operator, etats.ELIGIBLE, now=now)
    return services.assign(demande, the_expert, operator, now=now)


def to_quoted(entreprise, user, operator, the_expert, jours=10, taux_cents=120_000):
    demande = to_assigned(entreprise, user, operator, the_expert)
    services.accept_file(demande, the_expert.utilisateur)
    services.propose(demande, the_expert.utilisateur, jours, taux_cents)
    return demande


def to_started(entreprise, user, operator, the_expert):
    demande = to_quoted(entreprise, user, operator, the_expert)
    demande, _ = services.accept(demande, user)
    return services.move(demande, the_expert.utilisateur, etats.EN_COURS)


def write_report(demande, the_expert):
    user = the_expert.utilisateur
    services.edit(demande, user, "ajouter", data={"famille": "MAINTENANCE_PREDICTIVE"})
    services.edit(
        demande,
        user,
        "synthese",
        data={"synthese": "Des données de production riches, peu exploitées."},
    )
    return demande


def to_handed_over(entreprise, user, operator, the_expert):
    demande = write_report(to_started(entreprise, user, operator, the_expert), the_expert)
    return services.move(demande, the_expert.utilisateur, etats.RAPPORT_REMIS)
