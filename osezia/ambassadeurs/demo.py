"""Demo network (`data/demo.json`): 60 invented ambassadors of every kind and network across
the 18 regions (Sophie Lefèvre is the demo account ambassadeur@demo.osez-ia.fr), one
application to validate, requests at every status routed by the real rule at dates in the
past, then the deadline check run as the task would (reminders and reassignments), and
activity logs. Everything goes through the services. Idempotent: an existing ambassador is
kept; the requests are created once."""

import json
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from osezia.socle.demo import DemoContext

from .models import Activite, Ambassadeur, Demande, SourceDemande
from .services import activites, demandes, reseau

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.json"
OPERATOR = "operateur@demo.osez-ia.fr"
COMPANY_ADMIN = "dirigeante@demo.osez-ia.fr"

# The statuses a request goes through to reach each demo status.
STEPS = {
    "assignee": [],
    "prise_en_charge": ["prise_en_charge"],
    "accompagnee": ["prise_en_charge", "accompagnee"],
    "sans_suite": ["prise_en_charge", "sans_suite"],
    "injoignable": ["injoignable"],
    "pas_pour_moi": ["pas_pour_moi"],
}


def load_demo_file() -> dict:
    with open(DEMO_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def size() -> int:
    return 3


def _ambassadors(context: DemoContext, data: dict) -> None:
    created = 0
    for item in data["ambassadeurs"]:
        user = context.users.get(item.get("compte", "")) if item.get("compte") else None
        done = reseau.register(
            item["id_externe"],
            item,
            statut=item.get("statut", Ambassadeur.Statut.ACTIF),
            utilisateur=user,
        )
        created += done is not None
    context.count("ambassadeurs", created)


def _company(siret: str | None):
    from osezia.entreprises.models import Entreprise

    if not siret:
        return None
    return Entreprise.objects.filter(siren=siret[:9]).first()


def _requests(context: DemoContext, data: dict) -> None:
    if Demande.objects.exists():
        context.count("demandes d'accompagnement", 0)
        return
    operator = context.users.get(OPERATOR)
    now = timezone.now()
    for item in data["demandes"]:
        moment = now - timedelta(days=item["il_y_a_jours"], hours=2)
        entreprise = _company(item.get("siret"))
        body = {k: item[k] for k in ("siret", "naf", "departement", "effectif", "email", "message")}
        demande = demandes.create_request(
            body,
            source=SourceDemande.ESPACE if entreprise else SourceDemande.API,
            entreprise=entreprise,
            demandeur=context.users.get(COMPANY_ADMIN)
            if entreprise and entreprise.siren == "812345676"
            else None,
            now=moment,
        )
        for step, statut in enumerate(STEPS[item["statut"]], start=1):
            if demande.ambassadeur is None:
                break
            actor = demande.ambassadeur.utilisateur or operator
            reason = (
                "Ce n'est pas mon secteur : je laisse la place à un collègue."
                if statut == "pas_pour_moi"
                else ""
            )
            demande = demandes.change_status(
                demande, actor, statut, reason, now=moment + timedelta(days=step)
            )
    demandes.check_deadlines(now)
    context.count("demandes d'accompagnement", len(data["demandes"]))


def _activities(context: DemoContext, data: dict) -> None:
    created = 0
    today = timezone.localdate()
    for item in data["activites"]:
        ambassador = Ambassadeur.objects.filter(id_externe=item["ambassadeur"]).first()
        if (
            ambassador is None
            or Activite.objects.filter(ambassadeur=ambassador, titre=item["titre"]).exists()
        ):
            continue
        activites.log_activity(
            ambassador,
            {**item, "date": today - timedelta(days=item["il_y_a_jours"])},
        )
        created += 1
    context.count("activités d'ambassadeurs", created)


def seed(context: DemoContext) -> None:
    data = load_demo_file()
    _ambassadors(context, data)
    context.advance()
    _requests(context, data)
    context.advance()
    _activities(context, data)
    context.advance()
