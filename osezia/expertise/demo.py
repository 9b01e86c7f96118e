"""Demo Diagnostic Data IA (`data/demo.json`): seven invented experts in several regions
(Olivier Garnier is the demo account expert@demo.osez-ia.fr; one application to accredit),
the regional envelopes of the year (Pays de la Loire's nearly empty, so that a file waits in
its queue), a leader account for each demo PME or ETI without one, and files at every state,
moved by the real services at dates in the past, one of them with a complete report (its PDF
is rendered from its page). Transports Lemoine et Fils (dirigeante@demo.osez-ia.fr) is left
without a file: the demo journey starts there. Idempotent: the files are created once."""

import json
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from osezia.socle.demo import DemoContext

from . import etats, services
from .models import Demande, Expert
from .services import rapports

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.json"
OPERATOR = "operateur@demo.osez-ia.fr"

# The moves that take a file from `demandee` to each demo state (after the assignment).
PATH = [
    etats.DEVIS_ACCEPTE,
    etats.EN_COURS,
    etats.RAPPORT_REMIS,
    etats.VALIDE,
    etats.FACTURE,
    etats.CLOS,
]


def load_demo_file() -> dict:
    with open(DEMO_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def size() -> int:
    return 3


def _account(context: DemoContext, email: str, prenom: str, nom: str, roles: list[str]):
    from osezia.comptes.demo import load_demo_file as accounts_file
    from osezia.comptes.models import Utilisateur
    from osezia.comptes.services import create_account

    user = context.users.get(email) or Utilisateur.objects.filter(email=email).first()
    if user is None:
        user = create_account(
            email,
            accounts_file()["mot_de_passe"],
            roles,
            first_name=prenom,
            last_name=nom,
            verified=True,
        )
        context.count("comptes du Diagnostic Data IA")
    context.users[email] = user
    return user


def _answers() -> dict:
    """Self-diagnostic answers of a company already exploring AI: the third option of every
    question (the demo of `diagnostics` answers the second)."""
    from osezia.diagnostics import services as diagnostics

    data = diagnostics.questionnaire_data(diagnostics.current_questionnaire())
    answers = {}
    for question in data.questions:
        options = [o.code for o in question.options if not o.exclusif]
        choice = options[min(2, len(options) - 1)]
        answers[question.code] = [choice] if question.type == "choix_multiple" else choice
    return answers


def _experts(context: DemoContext, data: dict) -> None:
    operator = context.users.get(OPERATOR)
    created = 0
    for item in data["experts"]:
        user = _account(
            context, item["email"], item.get("prenom", ""), item.get("nom", ""), ["EXPERT"]
        )
        if Expert.objects.filter(utilisateur=user).exists():
            continue
        expert = services.save_profile(
            user,
            {
                "familles": item["familles"],
                "naf": item["naf"],
                "regions": item["regions"],
                "capacite_jours_trimestre": item["capacite"],
                "taux_journalier_ht_cents": item["taux_eur"] * 100,
                "siren": item["siren"],
                "structure": item["structure"],
                "presentation": item["presentation"],
            },
        )
        if not item.get("candidature"):
            services.accredit(expert, operator)
        created += 1
    context.count("experts Diagnostic Data IA", created)


def _companies(context: DemoContext, data: dict) -> None:
    """The demo's PME and ETI, each registered by its leader (who becomes its admin), with
    the leader's self-diagnostic."""
    from osezia.diagnostics import services as diagnostics
    from osezia.entreprises import services as entreprises
    from osezia.entreprises.models import Entreprise

    answers = None
    for item in data["entreprises"]:
        leader = item["dirigeant"]
        user = _account(context, leader["email"], leader["prenom"], leader["nom"], ["ENTREPRISE"])
        if Entreprise.objects.filter(siren=item["siret"][:9]).exists():
            continue
        entreprise = entreprises.create_entreprise(
            user,
            entreprises.DonneesEntreprise(
                identifiant=item["siret"],
                denomination=item["denomination"],
                naf=item["naf"],
                effectif=item["effectif"],
                departement=item["departement"],
                chiffre_affaires_eur=item["chiffre_affaires_eur"],
                commune=item["commune"],
                description=item["description"],
            ),
        )
        answers = answers or _answers()
        diagnostics.submit(user, entreprise, answers)
        context.count("entreprises du Diagnostic Data IA")


def _envelopes(context: DemoContext, data: dict, year: int) -> None:
    from osezia.referentiels.models import Region

    operator = context.users.get(OPERATOR)
    amounts = data["envelopes_eur"]
    for region in Region.objects.values_list("code", flat=True):
        services.set_envelope(region, year, amounts.get(region, amounts["default"]) * 100, operator)


def _complete_report(demande: Demande, expert_user, content: dict) -> None:
    """The expert's finished report: the data's use cases (found among the engine's or added),
    in the data's order, rewritten; the engine's others removed."""
    services.edit(demande, expert_user, "synthese", data={"synthese": content["synthese"]})
    for index, case in enumerate(content["cas"]):
        families = [
            c["famille"] for c in rapports.Rapport.objects.get(demande=demande).contenu["cas_usage"]
        ]
        if case["famille"] not in families[index:]:
            services.edit(demande, expert_user, "ajouter", data={"famille": case["famille"]})
            families.append(case["famille"])
        for position in range(families.index(case["famille"], index), index, -1):
            services.edit(demande, expert_user, "monter", position)
        services.edit(demande, expert_user, "modifier", index, case)
    while len(rapports.Rapport.objects.get(demande=demande).contenu["cas_usage"]) > len(
        content["cas"]
    ):
        services.edit(demande, expert_user, "retirer", len(content["cas"]))


def _file(context: DemoContext, item: dict, data: dict, now) -> None:
    from osezia.entreprises.models import Entreprise

    entreprise = Entreprise.objects.get(siren=item["siren"])
    leader = entreprise.adhesions.get(est_admin=True).utilisateur  # registered it
    operator = context.users[OPERATOR]
    moment = now - timedelta(days=item["il_y_a_jours"])
    step = timedelta(hours=20)
    demande = services.create_request(
        leader,
        entreprise,
        {
            "besoins": item["besoins"],
            "contraintes": item.get("contraintes", ""),
            "partage_autodiagnostic": True,
        },
        now=moment,
    )
    target = item["etat"]
    if target == etats.DEMANDEE:
        return
    if target == etats.REFUSEE:
        services.move(demande, operator, etats.REFUSEE, item["motif"], now=moment + step)
        return
    services.move(demande, operator, etats.ELIGIBLE, now=moment + step)
    if target == etats.ELIGIBLE:
        return
    if target == etats.ANNULEE:
        services.move(demande, leader, etats.ANNULEE, item["motif"], now=moment + 2 * step)
        return
    expert = Expert.objects.get(utilisateur__email=item["expert"])
    services.assign(demande, expert, operator, now=moment + 2 * step)
    services.accept_file(demande, expert.utilisateur, now=moment + 3 * step)
    jours, taux = item["devis"]
    services.propose(
        demande,
        expert.utilisateur,
        jours,
        taux * 100,
        "Entretiens avec la direction et les équipes, visite des ateliers, inventaire des données et des outils, atelier de restitution.",
    )
    moment += 4 * step
    for vers in PATH:
        if vers == etats.DEVIS_ACCEPTE:
            demande, _ = services.accept(demande, leader, now=moment)
            if demande.statut != etats.DEVIS_ACCEPTE:
                return  # waits for the envelope
        elif vers == etats.RAPPORT_REMIS:
            if item.get("complet"):
                _complete_report(demande, expert.utilisateur, data["rapport_complet"])
            else:
                services.edit(
                    demande,
                    expert.utilisateur,
                    "synthese",
                    data={
                        "synthese": f"Diagnostic de {entreprise.denomination} : les cas d'usage ci-dessous sont classés par valeur et faisabilité."
                    },
                )
                if not rapports.Rapport.objects.get(demande=demande).contenu["cas_usage"]:
                    services.edit(
                        demande, expert.utilisateur, "ajouter", data={"famille": expert.familles[0]}
                    )
            services.move(demande, expert.utilisateur, vers, now=moment)
        elif vers == etats.CLOS or vers == etats.FACTURE:
            services.move(demande, operator, vers, now=moment)
        elif vers == etats.VALIDE:
            services.move(demande, leader, vers, now=moment)
        else:
            services.move(demande, expert.utilisateur, vers, now=moment)
        moment += step * 3
        if vers == target:
            return


def seed(context: DemoContext) -> None:
    data = load_demo_file()
    context.count("experts Diagnostic Data IA", 0)
    _experts(context, data)
    context.advance()
    now = timezone.now()
    _companies(context, data)
    for year in (
        timezone.localdate(now).year - 1,
        timezone.localdate(now).year,
    ):  # files of last year too
        _envelopes(context, data, year)
    context.advance()
    if Demande.objects.exists():
        context.count("dossiers Diagnostic Data IA", 0)
    else:
        for item in data["dossiers"]:
            _file(context, item, data, now)
        context.count("dossiers Diagnostic Data IA", len(data["dossiers"]))
    context.advance()
