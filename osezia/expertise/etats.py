"""The states of a Diagnostic Data IA file and who may move it from one to another (pure
Python, no Django): one table, read by the services, the pages, the API and the docs.

    demandee → eligible → expert_assigne → devis_accepte → en_cours → rapport_remis → valide
             → facture → clos, and refusee / annulee (with a reason code)

Parties: `entreprise` (a member of the company), `expert` (the expert assigned to the file),
`operateur` (the plan's operators), `systeme` (deadlines and the regional envelope)."""

from dataclasses import dataclass

DEMANDEE = "demandee"
ELIGIBLE = "eligible"
EXPERT_ASSIGNE = "expert_assigne"
DEVIS_ACCEPTE = "devis_accepte"
EN_COURS = "en_cours"
RAPPORT_REMIS = "rapport_remis"
VALIDE = "valide"
FACTURE = "facture"
CLOS = "clos"
REFUSEE = "refusee"
ANNULEE = "annulee"

LIBELLES = {
    DEMANDEE: "Demandée",
    ELIGIBLE: "Éligible, en attente d'un expert",
    EXPERT_ASSIGNE: "Expert désigné",
    DEVIS_ACCEPTE: "Devis accepté",
    EN_COURS: "Diagnostic en cours",
    RAPPORT_REMIS: "Rapport remis",
    VALIDE: "Rapport validé",
    FACTURE: "Facturé",
    CLOS: "Clos",
    REFUSEE: "Refusée",
    ANNULEE: "Annulée",
}
ORDRE = (
    DEMANDEE,
    ELIGIBLE,
    EXPERT_ASSIGNE,
    DEVIS_ACCEPTE,
    EN_COURS,
    RAPPORT_REMIS,
    VALIDE,
    FACTURE,
    CLOS,
)
FINAUX = (CLOS, REFUSEE, ANNULEE)
# A company has one file at a time in these states (a database constraint too).
OUVERTS = tuple(s for s in LIBELLES if s not in FINAUX)
# The report exists and the State's share is committed from these states on.
ENGAGES = (DEVIS_ACCEPTE, EN_COURS, RAPPORT_REMIS, VALIDE, FACTURE, CLOS)
# Diagnostics delivered (report handed over) and paid (invoiced).
LIVRES = (RAPPORT_REMIS, VALIDE, FACTURE, CLOS)
PAYES = (FACTURE, CLOS)

ENTREPRISE = "entreprise"
EXPERT = "expert"
OPERATEUR = "operateur"
SYSTEME = "systeme"
PARTIES = {
    ENTREPRISE: "l'entreprise",
    EXPERT: "l'expert",
    OPERATEUR: "un opérateur",
    SYSTEME: "la plateforme",
}

# Which reason list a transition asks for (a code list of referentiels/codes.py).
MOTIF_REFUS = "motif_refus_expertise"
MOTIF_ANNULATION = "motif_annulation_expertise"
MOTIF_DECLIN = "motif_declin_expert"


@dataclass(frozen=True)
class Transition:
    de: str
    vers: str
    parties: frozenset[str]
    action: str  # the button's words
    motif: str | None = None  # the code list of its reason, when one is required
    commentaire: bool = False  # a free text is required (asking for changes)


def _t(de, vers, parties, action, motif=None, commentaire=False) -> Transition:
    return Transition(de, vers, frozenset(parties), action, motif, commentaire)


TRANSITIONS = (
    _t(DEMANDEE, ELIGIBLE, {OPERATEUR}, "Confirmer l'éligibilité"),
    _t(DEMANDEE, REFUSEE, {OPERATEUR}, "Refuser la demande", MOTIF_REFUS),
    _t(ELIGIBLE, EXPERT_ASSIGNE, {OPERATEUR}, "Désigner l'expert"),
    _t(ELIGIBLE, REFUSEE, {OPERATEUR}, "Refuser la demande", MOTIF_REFUS),
    # The expert declines (with a reason) or lets the deadline pass: back to the operators.
    _t(EXPERT_ASSIGNE, ELIGIBLE, {EXPERT, SYSTEME, OPERATEUR}, "Décliner le dossier", MOTIF_DECLIN),
    # The company accepts the expert's quote; the State's share is committed on the envelope.
    _t(EXPERT_ASSIGNE, DEVIS_ACCEPTE, {ENTREPRISE, SYSTEME}, "Accepter le devis"),
    _t(DEVIS_ACCEPTE, EN_COURS, {EXPERT}, "Commencer le diagnostic"),
    _t(EN_COURS, RAPPORT_REMIS, {EXPERT}, "Remettre le rapport"),
    _t(RAPPORT_REMIS, EN_COURS, {ENTREPRISE}, "Demander des modifications", commentaire=True),
    _t(RAPPORT_REMIS, VALIDE, {ENTREPRISE}, "Valider le rapport"),
    _t(VALIDE, FACTURE, {OPERATEUR}, "Enregistrer la facture"),
    _t(FACTURE, CLOS, {OPERATEUR}, "Clore le dossier"),
    *(
        _t(s, ANNULEE, {ENTREPRISE, OPERATEUR}, "Annuler la demande", MOTIF_ANNULATION)
        for s in (DEMANDEE, ELIGIBLE, EXPERT_ASSIGNE, DEVIS_ACCEPTE, EN_COURS)
    ),
)
_TABLE = {(t.de, t.vers): t for t in TRANSITIONS}


def transition(de: str, vers: str) -> Transition | None:
    return _TABLE.get((de, vers))


def possibles(de: str, parties: set[str] | frozenset[str]) -> list[Transition]:
    """The transitions these parties may make from `de`, in the table's order."""
    return [t for t in TRANSITIONS if t.de == de and t.parties & set(parties)]


def autorise(de: str, vers: str, parties) -> bool:
    found = transition(de, vers)
    return found is not None and bool(found.parties & set(parties))
