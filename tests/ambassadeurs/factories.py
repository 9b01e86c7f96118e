"""Ambassadors and requests for tests."""

import factory

from osezia.ambassadeurs.models import Ambassadeur

# A valid SIRET (Luhn) for request bodies.
SIRET = "81234567600017"


class AmbassadeurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ambassadeur
        skip_postgeneration_save = True

    id_externe = factory.Sequence(lambda n: f"AMB-{n:04d}")
    prenom = "Lou"
    nom = factory.Sequence(lambda n: f"Martin{n}")
    email = factory.Sequence(lambda n: f"ambassadeur{n}@reseau.example")
    type_ambassadeur = "REGIONAL"
    reseau = "CCI"
    capacite_mensuelle = 5
    statut = Ambassadeur.Statut.ACTIF

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def naf(self, create, extracted, **kwargs):
        if extracted:
            self.naf.set(extracted)


def body(**overrides) -> dict:
    """The body of a request for a bakery of Ille-et-Vilaine (Bretagne, region 53)."""
    data = {
        "siret": SIRET,
        "naf": "10.71C",
        "departement": "35",
        "effectif": 6,
        "message": "Nous voudrions automatiser nos commandes.",
        "email": "contact@boulangerie.example",
    }
    data.update(overrides)
    return data
