"""Trainings and learning paths for a diagnostic's use cases and the person's audience, for
the recommendations hub."""

from django.urls import reverse

from osezia.diagnostics import recommandations as hub
from osezia.diagnostics.recommandations import Contexte, Recommandation
from osezia.diagnostics.secteurs import fit
from osezia.recherche import services as recherche
from osezia.recherche.index import Filters
from osezia.referentiels.models import Naf

from . import format as fmt
from .models import Parcours

PER_USE_CASE = 2
USE_CASES = 3
POOL = 4 * PER_USE_CASE  # candidates read per try, before those naming another sector go last


class SourceAcademie:
    """This module's answer to the recommendations hub (registered in `apps.py`)."""

    code = "academie"
    titre = "Formations de l'Académie de l'IA"

    def _trainings(
        self, family: str, public: str, region: str | None, activity: str, chain=()
    ) -> list:
        """Trainings of this family for this audience: those that speak of the company's
        activity first, then the others; in the company's region first, then online, then
        anywhere; the best match, else the one whose next session comes first. A training
        whose title names another activity than the company's (`diagnostics.secteurs`) comes
        after the generic ones."""
        base = {"familles": [family], "publics": [public]}
        places = []
        if region:
            places.append({**base, "region": [region]})
        places += [{**base, "modalite": ["distance"]}, base]
        tries = [(activity, terms) for terms in places if activity] + [("", t) for t in places]
        hits, seen = [], set()
        for text, terms in tries:
            results = recherche.search(
                text,
                Filters(type="formation", terms=terms),
                limit=POOL,
                sort="pertinence" if text else "date",
            )
            for hit in results.hits:
                if hit.doc_id not in seen:
                    seen.add(hit.doc_id)
                    hits.append(hit)
            if sum(fit(h.fields.get("nom", ""), chain).kind != "autre" for h in hits) >= (
                PER_USE_CASE
            ):
                break
        hits.sort(key=lambda h: fit(h.fields.get("nom", ""), chain).rank)
        return hits[:PER_USE_CASE]

    def recommander(self, contexte: Contexte) -> list[Recommandation]:
        public = contexte.public if contexte.public in fmt.PUBLICS else "DIRIGEANT"
        activity = (
            Naf.objects.filter(code=contexte.naf).values_list("libelle", flat=True).first() or ""
        )
        found = []
        for use_case in contexte.cas_usage[:USE_CASES]:
            for hit in self._trainings(
                use_case["famille"], public, contexte.region, activity, contexte.naf_chain
            ):
                reference = hit.doc_id.split(":", 1)[1]
                regions = hit.fields.get("region", [])
                where = (
                    "dans votre région"
                    if contexte.region in regions
                    else "à distance"
                    if "distance" in hit.fields.get("modalite", [])
                    else "dans une autre région"
                )
                found.append(
                    Recommandation(
                        titre=hit.fields.get("nom", ""),
                        description=f"{hit.fields.get('resume', '')} ({where})",
                        famille=use_case["libelle"],
                        url=reverse("academie:formation", args=[reference]),
                        details={"type": "formation", "id": reference},
                    )
                )
        path = Parcours.objects.filter(publie=True, public=public).order_by("ordre").first()
        if path:
            found.append(
                Recommandation(
                    titre=f"Parcours : {path.titre}",
                    description=path.description,
                    url=reverse("academie:parcours", args=[path.slug]),
                    details={"type": "parcours", "id": path.slug},
                )
            )
        return found


def install() -> None:
    """Called from `AppConfig.ready()`: the hub asks this module from now on."""
    hub.register(SourceAcademie())
