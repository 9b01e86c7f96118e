"""The « professionnels formés » counter: each person counted once, at their first completed
training or path, in sliced rows updated incrementally."""

import random
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from .. import format as fmt
from ..models import (
    ApprenantForme,
    CompteurFormes,
    ProfilApprenant,
)

PARIS = ZoneInfo("Europe/Paris")
SLICES = 8  # each counter key is spread over this many rows
OBJECTIF_2030 = 15_000_000


def count_trained(user_id: int, when, place_region: str | None) -> bool:
    """Count this person once, at their first completed training or path: one row in
    ApprenantForme and one increment per counter key, in the caller's transaction."""
    profile = ProfilApprenant.objects.filter(utilisateur_id=user_id).first()
    public = profile.public if profile else "NC"
    region = (profile.region_id if profile else None) or place_region or "NC"
    month = timezone.localtime(when, PARIS).strftime("%Y-%m")
    try:
        with transaction.atomic():
            ApprenantForme.objects.create(
                utilisateur_id=user_id, public=public, region=region, mois=month, forme_le=when
            )
    except IntegrityError:
        return False  # already counted
    for dimension, key in (("total", ""), ("public", public), ("region", region), ("mois", month)):
        _increment(dimension, key)
    return True


def _increment(dimension: str, key: str, amount: int = 1) -> None:
    slice_ = random.randrange(SLICES)
    rows = CompteurFormes.objects.filter(dimension=dimension, cle=key, tranche=slice_)
    if rows.update(valeur=F("valeur") + amount):
        return
    try:
        with transaction.atomic():
            CompteurFormes.objects.create(
                dimension=dimension, cle=key, tranche=slice_, valeur=amount
            )
    except IntegrityError:
        rows.update(valeur=F("valeur") + amount)


def counters() -> dict:
    """The counter for the observatory and the API: a few dozen small rows, summed."""
    totals: dict[str, dict[str, int]] = defaultdict(dict)
    for dimension, key, value in (
        CompteurFormes.objects.values_list("dimension", "cle")
        .annotate(total=Sum("valeur"))
        .values_list("dimension", "cle", "total")
    ):
        totals[dimension][key] = int(value)
    par_public = {p: totals["public"].get(p, 0) for p in fmt.PUBLICS}
    if totals["public"].get("NC"):
        par_public["NC"] = totals["public"]["NC"]
    return {
        "professionnels_formes": totals["total"].get("", 0),
        "par_public": par_public,
        "par_region": dict(sorted(totals["region"].items())),
        "par_mois": dict(sorted(totals["mois"].items())),
        "objectif_2030": OBJECTIF_2030,
    }


@transaction.atomic
def recount() -> dict:
    """Rebuild the counters from the trained persons (after a restore, or to check them)."""
    CompteurFormes.objects.all().delete()
    rows = []
    for dimension, field_name in (("public", "public"), ("region", "region"), ("mois", "mois")):
        for key, count in (
            ApprenantForme.objects.values_list(field_name)
            .annotate(n=Count("utilisateur"))
            .values_list(field_name, "n")
        ):
            rows.append(CompteurFormes(dimension=dimension, cle=key, tranche=0, valeur=count))
    total = ApprenantForme.objects.count()
    rows.append(CompteurFormes(dimension="total", cle="", tranche=0, valeur=total))
    CompteurFormes.objects.bulk_create(rows)
    return counters()
