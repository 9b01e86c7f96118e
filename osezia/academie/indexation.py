"""How trainings and tutorials enter the shared search index (read by `osezia.recherche`)."""

from datetime import datetime, time

from django.utils import timezone

from osezia.recherche.documents import vocabulary_of

from . import format as fmt
from .models import Formation, Tutoriel
from .services.trainings import next_session, with_details

NO_SESSION = 4_102_444_800  # 2100-01-01: trainings without a next session sort last
UNKNOWN_PRICE = 10**9


def _timestamp(day) -> int:
    return int(timezone.make_aware(datetime.combine(day, time(9))).timestamp())


class _Formations:
    TYPE = "formation"

    def document(self, formation: Formation) -> dict | None:
        if not formation.publiee:
            return None
        actions = list(formation.actions.all())
        if not actions:
            return None
        prices = [a.prix_ttc_centimes for a in actions if a.prix_ttc_centimes is not None]
        starts = [s.debut for a in actions if (s := next_session(a)) and s.debut]
        places = [" ".join(filter(None, [a.ville, a.code_postal])) for a in actions]
        return {
            "doc_id": f"{self.TYPE}:{formation.reference}",
            "type": self.TYPE,
            "nom": formation.intitule,
            "resume": formation.objectifs,
            "description": "\n".join([formation.contenu, formation.resultats_attendus]),
            "vocabulaire": " ; ".join(
                filter(None, [*vocabulary_of(formation.familles), formation.organisme.nom, *places])
            ),
            "familles": formation.familles,
            "publics": sorted({p for a in actions for p in a.publics}),
            "modalite": sorted({a.modalite for a in actions}),
            "region": sorted({a.region_id for a in actions if a.region_id}),
            "financements": sorted({f for a in actions for f in a.financements}),
            "niveau": [fmt.NIVEAU_LHEO.get(formation.niveau_entree, "aucun")],
            "certifiante": ["oui" if formation.certifiante else "non"],
            "duree": sorted({b for a in actions if (b := fmt.duree_bucket(a.duree_heures))}),
            "prix": min(prices) // 100 if prices else UNKNOWN_PRICE,
            "date": _timestamp(min(starts)) if starts else NO_SESSION,
        }

    def documents(self):
        queryset = with_details(Formation.objects.filter(publiee=True))
        for formation in queryset.iterator(chunk_size=500):
            data = self.document(formation)
            if data:
                yield data

    def document_for(self, key: str) -> dict | None:
        formation = with_details(Formation.objects.filter(reference=key)).first()
        return self.document(formation) if formation else None

    def documents_for(self, keys: list[str]) -> dict[str, dict | None]:
        """The documents of these trainings, read in one query per table."""
        queryset = with_details(Formation.objects.filter(reference__in=keys))
        return {formation.reference: self.document(formation) for formation in queryset}


class _Tutoriels:
    TYPE = "tutoriel"

    def document(self, tutoriel: Tutoriel) -> dict | None:
        if not tutoriel.publie:
            return None
        return {
            "doc_id": f"{self.TYPE}:{tutoriel.slug}",
            "type": self.TYPE,
            "nom": tutoriel.titre,
            "resume": tutoriel.resume,
            "description": tutoriel.contenu,
            "vocabulaire": " ; ".join(filter(None, vocabulary_of(tutoriel.familles))),
            "familles": tutoriel.familles,
            "publics": tutoriel.publics,
            "niveau": [tutoriel.niveau],
            "modalite": ["distance"],
            "financements": ["GRATUIT"],
            "duree": ["courte"],
            "prix": 0,
            "date": int(tutoriel.cree_le.timestamp()) if tutoriel.cree_le else 0,
        }

    def documents(self):
        for tutoriel in Tutoriel.objects.filter(publie=True).iterator(chunk_size=500):
            yield self.document(tutoriel)

    def document_for(self, key: str) -> dict | None:
        tutoriel = Tutoriel.objects.filter(slug=key).first()
        return self.document(tutoriel) if tutoriel else None


FORMATIONS = _Formations()
TUTORIELS = _Tutoriels()
