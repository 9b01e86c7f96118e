"""The next business meetings near a company, for the diagnostic's results (the
recommendations hub's section « evenements »): the regional events of its region open for
registration, then the AI Business Day."""

from django.urls import reverse
from django.utils import timezone

from osezia.diagnostics import recommandations as hub
from osezia.diagnostics.recommandations import Contexte, Recommandation

from .services.evenements import evenements_publics


class SourceEvenements:
    code = "evenements"
    titre = "Prochaine rencontre d'affaires"

    def recommander(self, contexte: Contexte) -> list[Recommandation]:
        jour = timezone.localdate()
        ouverts = evenements_publics(contexte.region or "").filter(cloture_inscriptions__gte=jour)
        return [
            Recommandation(
                titre=f"{e.titre} — {e.date:%d/%m/%Y}",
                description=(
                    "Des rendez-vous d'affaires planifiés avec des fournisseurs de solutions "
                    "d'IA choisis selon vos cas d'usage : inscrivez-vous, marquez ceux que "
                    "vous souhaitez rencontrer, recevez votre agenda."
                ),
                url=reverse("evenements:detail", args=[e.pk]),
                details={"date": e.date.isoformat(), "national": e.national},
            )
            for e in ouverts[:2]
        ]


def install() -> None:
    hub.register(SourceEvenements())
