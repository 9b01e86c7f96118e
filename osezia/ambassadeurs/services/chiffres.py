"""Figures: an ambassador's own, and the network's for the observatory (active ambassadors
against the plan's target, coverage region × NAF section, requests answered in time,
companies accompanied)."""

from collections import Counter
from decimal import Decimal

from django.db.models import Count, Sum

from osezia.referentiels.models import Naf, NiveauNaf, Region
from osezia.referentiels.queries import naf_index
from osezia.socle import plan

from ..models import OPEN_STATUSES, Activite, Ambassadeur, Demande, StatutDemande
from . import routage_db


def _pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def _answered(queryset) -> dict:
    contacted = queryset.filter(premier_contact_le__isnull=False)
    total = contacted.count()
    in_time = contacted.filter(dans_les_temps=True).count()
    return {"premier_contact": total, "dans_les_temps": in_time, "part_pct": _pct(in_time, total)}


def ambassador_figures(ambassador: Ambassadeur) -> dict:
    requests = Demande.objects.filter(ambassadeur=ambassador)
    by_status = dict(requests.values_list("statut").annotate(n=Count("pk")))
    activities = dict(
        Activite.objects.filter(ambassadeur=ambassador)
        .values_list("type_activite")
        .annotate(n=Count("pk"))
    )
    met = Activite.objects.filter(ambassadeur=ambassador).aggregate(n=Sum("participants"))["n"] or 0
    ever = ambassador.attributions.values("demande").distinct().count()
    return {
        "ouvertes": sum(by_status.get(s, 0) for s in OPEN_STATUSES),
        "capacite": ambassador.capacite_mensuelle,
        "par_statut": [
            (s.label, by_status.get(s.value, 0))
            for s in StatutDemande
            if s != StatutDemande.EN_ATTENTE
        ],
        "recues": ever,
        "reponses": _answered(requests),
        "activites": [(t.label, activities.get(t.value, 0)) for t in Activite.Type],
        "personnes_touchees": met,
    }


def coverage_gaps() -> list[tuple[str, str]]:
    """(region, NAF section) pairs that no active ambassador covers: one covers a pair when its
    regions are empty or include the region, and its NAF codes are empty or one of them
    belongs to the section."""
    sections = list(Naf.objects.filter(niveau=NiveauNaf.SECTION).values_list("code", flat=True))
    section_of = {code: section for code, (_, section) in naf_index().items()}
    covered: set[tuple[str, str]] = set()
    regions = list(Region.objects.values_list("code", flat=True))
    for ambassador_regions, nafs in routage_db.coverage().values():
        pairs_regions = ambassador_regions or regions
        pairs_sections = {section_of.get(code, code[:1]) for code in nafs} if nafs else sections
        covered.update((r, s) for r in pairs_regions for s in pairs_sections)
    return [(r, s) for r in regions for s in sections if (r, s) not in covered]


def observatory_figures() -> dict:
    active = Ambassadeur.objects.filter(statut=Ambassadeur.Statut.ACTIF)
    by_kind = Counter(active.values_list("type_ambassadeur", flat=True))
    by_network = Counter(active.values_list("reseau", flat=True))
    count = active.count()
    accompanied = {
        entreprise or siret or email
        for entreprise, siret, email in Demande.objects.filter(
            statut=StatutDemande.ACCOMPAGNEE
        ).values_list("entreprise_id", "siret", "email")
    }
    gaps = coverage_gaps()
    return {
        "actifs": count,
        "cible": plan.AMBASSADORS_TARGET,
        "part_cible_pct": _pct(count, plan.AMBASSADORS_TARGET),
        "par_type": dict(by_kind),
        "par_reseau": dict(by_network),
        "zones_sans_ambassadeur": gaps,
        "demandes": Demande.objects.count(),
        "reponses": _answered(Demande.objects.all()),
        "entreprises_accompagnees": len(accompanied),
    }
