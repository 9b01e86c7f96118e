"""The Diagnostic Data IA's figures for the observatory: diagnostics requested, delivered
(report handed over) and paid (invoiced), against the plan's ~5,000."""

from django.db.models import Count, Q, Sum

from osezia.socle import plan

from .. import etats
from ..models import Demande, Enveloppe


def observatory_figures() -> dict:
    counts = Demande.objects.aggregate(
        demandes=Count("pk"),
        livres=Count("pk", filter=Q(statut__in=etats.LIVRES)),
        payes=Count("pk", filter=Q(statut__in=etats.PAYES)),
    )
    envelopes = Enveloppe.objects.aggregate(
        montant=Sum("montant_cents"), engage=Sum("engage_cents")
    )
    target = plan.DIAGNOSTIC_DATA_IA_TARGET
    return {
        "demandes": counts["demandes"],
        "livres": counts["livres"],
        "payes": counts["payes"],
        "objectif": target,
        "part_livres_pct": round(100 * counts["livres"] / target, 2),
        "enveloppes_cents": envelopes["montant"] or 0,
        "engage_cents": envelopes["engage"] or 0,
    }
