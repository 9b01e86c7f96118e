"""Demo business meetings (`data/demo.json`, invented organisations): a past regional event
(Rennes) with its schedule, check-ins, no-shows and feedback; an upcoming one (Nantes) open for
registration, where the demo company and provider are registered; the next AI Business Day.
The organiser's account is organisateur@demo.osez-ia.fr. Everything goes through the
services. Idempotent: an event that exists (same title) is kept as it is."""

import json
import random
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from osezia.comptes.demo import load_demo_file as comptes_demo
from osezia.comptes.models import Role, Utilisateur
from osezia.comptes.services import create_account
from osezia.referentiels import codes
from osezia.referentiels.models import Region
from osezia.socle.demo import DemoContext, DemoLogin

from .models import Evenement
from .services import evenements as ev_services
from .services import inscriptions, journee, planning

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.json"
COMPANY_ADMIN = "dirigeante@demo.osez-ia.fr"
PROVIDER = "fournisseur@demo.osez-ia.fr"


def load_demo_file() -> dict:
    with open(DEMO_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def size() -> int:
    return 3


def _compte(email: str, prenom: str, nom: str, roles: list[str], context: DemoContext):
    user = Utilisateur.objects.filter(email=email).first()
    if user is None:
        user = create_account(
            email,
            comptes_demo()["mot_de_passe"],
            roles,
            first_name=prenom,
            last_name=nom,
            verified=True,
        )
        context.count("comptes des rencontres")
    context.users[email] = user
    return user


def _evenement(item: dict, organisateur) -> tuple[Evenement, bool]:
    existant = Evenement.objects.filter(titre=item["titre"]).first()
    if existant:
        return existant, False
    jour = timezone.localdate() + timedelta(days=item["decalage_jours"])
    d = ev_services.DonneesEvenement(
        titre=item["titre"],
        type_evenement=item["type_evenement"],
        organisme=item["organisme"],
        date=jour,
        duree_rdv=item["duree_rdv"],
        sessions=[tuple(s) for s in item["sessions"]],
        tables=item["tables"],
        ouverture_inscriptions=jour - timedelta(days=45),
        cloture_inscriptions=jour - timedelta(days=2),
        capacite=item["capacite"],
        region=Region.objects.filter(pk=item["region"]).first() if item["region"] else None,
        lieu=item["lieu"],
        salles=item.get("salles", 1),
        description=item["description"],
    )
    return ev_services.creer_evenement(organisateur, d), True


def _inscrire(context, evenement, participants, rnd, jour):
    creneaux = list(evenement.creneaux.all())
    faites = []
    for p in participants:
        user = _compte(
            p["email"],
            "Contact",
            p["organisation"][:30],
            [Role.ENTREPRISE if p["type"] == "entreprise" else Role.FOURNISSEUR],
            context,
        )
        choix = inscriptions.Preremplissage(p["type"], p["organisation"], p["familles"])
        dispo = [c for c in creneaux if rnd.random() < 0.8] or creneaux[:1]
        faites.append(
            inscriptions.inscrire(
                user,
                evenement,
                choix,
                p["familles"],
                p["presentation"],
                dispo,
                min(len(dispo), rnd.randint(3, 6)),
                jour=jour,
            )
        )
    return faites


def _interets(inscrits, rnd):
    for moi in inscrits:
        autres = [a for a in inscrits if a.type_participant != moi.type_participant]
        classes = sorted(
            autres, key=lambda a: -inscriptions.score_suggestion(moi, a) - rnd.random()
        )
        for k, autre in enumerate(classes[:6]):
            niveau = "souhaite" if k < 3 else "possible"
            message = (
                "Votre offre nous intéresse, rencontrons-nous."
                if k == 0 and rnd.random() < 0.3
                else ""
            )
            inscriptions.marquer_interet(moi, autre, niveau, message)
        if autres and rnd.random() < 0.2:
            inscriptions.marquer_interet(moi, classes[-1], "refuse")


def _passee(context, evenement, data, rnd):
    jour = evenement.ouverture_inscriptions
    inscrits = _inscrire(context, evenement, data["participants"], rnd, jour)
    _interets(inscrits, rnd)
    planning.planifier_maintenant(evenement, evenement.organisateur, limite_s=10)
    planning.publier(evenement)
    for inscription in inscrits:
        if rnd.random() < 0.9:
            journee.emarger(evenement, inscription.code_emargement)
    journee.cloturer(evenement)
    suites = list(codes.codes("suite_rendez_vous"))
    for rdv in evenement.rendez_vous.filter(tenu=True).select_related("a", "b", "creneau"):
        for auteur in (rdv.a, rdv.b):
            if rnd.random() < 0.6:
                journee.donner_retour(rdv, auteur, rnd.randint(3, 5), rnd.choice(suites))
    context.count("rendez-vous", evenement.rendez_vous.count())


def _prochaine(context, evenement, data, rnd):
    inscrits = _inscrire(
        context, evenement, data["participants"][:10] + data["participants"][18:24], rnd, None
    )
    for email in (COMPANY_ADMIN, PROVIDER):
        user = context.users.get(email) or Utilisateur.objects.filter(email=email).first()
        profils = inscriptions.preremplir(user) if user else []
        if profils:
            p = profils[0]
            inscrits.append(
                inscriptions.inscrire(
                    user,
                    evenement,
                    p,
                    p.familles or ["AUTOMATISATION"],
                    "Compte de démonstration.",
                    list(evenement.creneaux.all()),
                    6,
                )
            )
    _interets(inscrits, rnd)


def seed(context: DemoContext) -> None:
    data = load_demo_file()
    context.count("comptes des rencontres", 0)
    context.count("rencontres", 0)
    o = data["organisateur"]
    organisateur = _compte(o["email"], o["prenom"], o["nom"], [Role.ORGANISATEUR], context)
    context.logins.append(DemoLogin(o["email"], "organisatrice de rencontres d'affaires (CCI)"))
    rnd = random.Random(2027)
    for item in data["evenements"]:
        evenement, cree = _evenement(item, organisateur)
        if cree:
            context.count("rencontres")
            if item["cle"] == "passee":
                _passee(context, evenement, data, rnd)
            elif item["cle"] == "prochaine":
                _prochaine(context, evenement, data, rnd)
        context.advance()
