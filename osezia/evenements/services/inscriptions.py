"""Registrations (prefilled from the diagnostic or the catalogue), interests and requests,
suggestions, the organiser's interest graph figures."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from osezia.comptes.models import Adhesion
from osezia.diagnostics.models import Diagnostic
from osezia.diagnostics.offres import offres_de
from osezia.referentiels import codes
from osezia.socle.regles import MESSAGE, forbidden_characters

from ..models import MAX_MESSAGE, MAX_PRESENTATION, Evenement, Inscription, Interet, TypeParticipant
from .evenements import code_emargement


@dataclass
class Preremplissage:
    type_participant: str
    organisation: str
    familles: list[str]
    entreprise: object = None
    secteur: str = ""
    taille: str = ""
    source: str = ""  # what the prefill comes from, said on the form


def preremplir(user) -> list[Preremplissage]:
    """What the person may register as: each company they belong to (needs from its latest
    diagnostic's use cases, by priority) and each provider (families of its published
    solutions)."""
    choix = []
    for adhesion in Adhesion.objects.filter(utilisateur=user).select_related("entreprise__naf"):
        entreprise = adhesion.entreprise
        diagnostic = (
            Diagnostic.objects.filter(entreprise=entreprise, termine_le__isnull=False)
            .order_by("-termine_le")
            .first()
        )
        familles = [c["famille"] for c in (diagnostic.cas_usage if diagnostic else [])[:5]]
        choix.append(
            Preremplissage(
                TypeParticipant.ENTREPRISE,
                entreprise.denomination,
                familles,
                entreprise=entreprise,
                secteur=_section(entreprise),
                taille=entreprise.categorie_taille,
                source="votre dernier diagnostic" if diagnostic else "",
            )
        )
    for offre in offres_de(user):
        choix.append(
            Preremplissage(
                TypeParticipant.FOURNISSEUR,
                offre.organisation,
                list(offre.familles),
                source="vos solutions publiées au catalogue" if offre.solutions else "",
            )
        )
    return choix


def _section(entreprise) -> str:
    return entreprise.naf.section if entreprise.naf_id else ""


def inscriptions_ouvertes(evenement: Evenement, jour=None) -> bool:
    jour = jour or timezone.localdate()
    return evenement.ouverture_inscriptions <= jour <= evenement.cloture_inscriptions


@transaction.atomic
def inscrire(
    user,
    evenement: Evenement,
    choix: Preremplissage,
    familles: list[str],
    presentation: str,
    creneaux: list,
    max_rdv: int,
    jour=None,
) -> Inscription:
    """`jour`: the day the registration counts as made (today; the demo's past event)."""
    evenement = Evenement.objects.select_for_update().get(pk=evenement.pk)
    erreurs = {}
    if not inscriptions_ouvertes(evenement, jour):
        raise ValidationError("Les inscriptions à cette rencontre ne sont pas ouvertes.")
    if evenement.inscriptions.count() >= evenement.capacite:
        raise ValidationError("La rencontre est complète.")
    if evenement.inscriptions.filter(utilisateur=user).exists():
        raise ValidationError("Vous êtes déjà inscrit à cette rencontre.")
    inconnues = [f for f in familles if not codes.is_code("famille", f)]
    if inconnues:
        erreurs["familles"] = f"Famille inconnue : {', '.join(inconnues)}."
    if forbidden_characters(presentation, multiline=True):
        erreurs["presentation"] = MESSAGE
    elif len(presentation) > MAX_PRESENTATION:
        erreurs["presentation"] = f"{MAX_PRESENTATION} caractères au plus."
    ids = {c.pk for c in evenement.creneaux.all()}
    if not creneaux or any(c.pk not in ids for c in creneaux):
        erreurs["disponibilites"] = "Choisissez au moins un créneau de cette rencontre."
    if not 1 <= max_rdv <= max(1, len(ids)):
        erreurs["max_rdv"] = f"Entre 1 et {len(ids)} rendez-vous."
    if erreurs:
        raise ValidationError(erreurs)
    inscription = Inscription.objects.create(
        evenement=evenement,
        utilisateur=user,
        type_participant=choix.type_participant,
        entreprise=choix.entreprise,
        organisation=choix.organisation,
        secteur=choix.secteur,
        taille=choix.taille,
        familles=list(dict.fromkeys(familles)),
        presentation=presentation.strip(),
        max_rdv=max_rdv,
        code_emargement=code_emargement(),
    )
    inscription.disponibilites.set(creneaux)
    return inscription


@transaction.atomic
def marquer_interet(de: Inscription, vers: Inscription, niveau: str, message: str = "") -> Interet:
    """`souhaite`, `possible` or `refuse`; a message makes it a request the other side answers."""
    if de.evenement_id != vers.evenement_id or de.pk == vers.pk:
        raise ValidationError("Ce participant n'est pas inscrit à la même rencontre.")
    if not codes.is_code("interet_rencontre", niveau):
        raise ValidationError({"niveau": "Choisissez souhaité, possible ou refusé."})
    message = message.strip()
    if forbidden_characters(message):
        raise ValidationError({"message": MESSAGE})
    if len(message) > MAX_MESSAGE:
        raise ValidationError({"message": f"{MAX_MESSAGE} caractères au plus."})
    if niveau == "refuse":
        message = ""
    interet, _ = Interet.objects.update_or_create(
        de=de,
        vers=vers,
        defaults={
            "niveau": niveau,
            "message": message,
            "reponse": Interet.Reponse.EN_ATTENTE if message else Interet.Reponse.SANS_DEMANDE,
        },
    )
    return interet


@transaction.atomic
def repondre(interet: Interet, qui: Inscription, accepte: bool) -> Interet:
    """The other side accepts a request (its own interest becomes `souhaite`) or declines it
    (its interest becomes `refuse`)."""
    if interet.vers_id != qui.pk or interet.reponse != Interet.Reponse.EN_ATTENTE:
        raise ValidationError("Cette demande n'attend pas votre réponse.")
    interet.reponse = Interet.Reponse.ACCEPTEE if accepte else Interet.Reponse.DECLINEE
    interet.save(update_fields=["reponse", "modifie_le"])
    try:
        Interet.objects.update_or_create(
            de=qui, vers=interet.de, defaults={"niveau": "souhaite" if accepte else "refuse"}
        )
    except IntegrityError as exc:  # pragma: no cover - unique pair kept by update_or_create
        raise ValidationError("Réessayez.") from exc
    return interet


def score_suggestion(moi: Inscription, autre: Inscription) -> float:
    """Match of use-case families (what a company needs, what a provider offers), then the
    same sector and the same size category (companies between themselves)."""
    communes = len(set(moi.familles) & set(autre.familles))
    score = 3.0 * communes
    if moi.type_participant == autre.type_participant:
        score -= 2
    if moi.secteur and moi.secteur == autre.secteur:
        score += 1
    if moi.taille and moi.taille == autre.taille:
        score += 0.5
    return score


def suggestions(moi: Inscription, limite: int = 10) -> list[tuple[Inscription, float]]:
    deja = set(moi.interets_emis.values_list("vers_id", flat=True))
    autres = moi.evenement.inscriptions.exclude(pk=moi.pk).exclude(pk__in=deja)
    notes = [(a, score_suggestion(moi, a)) for a in autres]
    notes = [(a, s) for a, s in notes if s > 0]
    notes.sort(key=lambda e: (-e[1], e[0].organisation))
    return notes[:limite]


def chiffres_graphe(evenement: Evenement) -> dict:
    """The organiser's figures of the interest graph."""
    interets = Interet.objects.filter(de__evenement=evenement)
    par_niveau = dict(
        interets.values_list("niveau").annotate(n=Count("pk")).values_list("niveau", "n")
    )
    demandes = interets.exclude(reponse="").values("reponse").annotate(n=Count("pk"))
    paires_positives = {
        (min(d, v), max(d, v))
        for d, v in interets.filter(niveau__in=["souhaite", "possible"]).values_list(
            "de_id", "vers_id"
        )
    }
    directs = set(
        interets.filter(niveau__in=["souhaite", "possible"]).values_list("de_id", "vers_id")
    )
    mutuels = sum(1 for a, b in paires_positives if (a, b) in directs and (b, a) in directs)
    sans = evenement.inscriptions.annotate(
        n=Count("interets_emis", filter=~Q(interets_emis__niveau="refuse"))
    ).filter(n=0)
    return {
        "inscrits": evenement.inscriptions.count(),
        "souhaite": par_niveau.get("souhaite", 0),
        "possible": par_niveau.get("possible", 0),
        "refus": par_niveau.get("refuse", 0),
        "demandes": {
            "en_attente": 0,
            "acceptee": 0,
            "declinee": 0,
            **{d["reponse"]: d["n"] for d in demandes},
        },
        "paires": len(paires_positives),
        "mutuels": mutuels,
        "sans_interet": sans.count(),
    }
