"""Companies for tests: valid SIREN numbers, a bakery in the Rhône by default."""

import factory

from osezia.entreprises.models import Entreprise
from osezia.referentiels.models import Departement, Naf


def _siren(n: int) -> str:
    from stdnum import luhn

    base = f"{70000000 + n:08d}"
    return base + luhn.calc_check_digit(base)


class EntrepriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entreprise

    siren = factory.Sequence(_siren)
    denomination = factory.Sequence(lambda n: f"Entreprise fictive {n}")
    naf = factory.LazyFunction(lambda: Naf.objects.get(code="10.71C"))
    effectif = 8
    chiffre_affaires_cents = 90_000_000
    categorie_taille = "TPE"
    departement = factory.LazyFunction(lambda: Departement.objects.get(code="69"))
    region = factory.LazyAttribute(lambda o: o.departement.region)


# The company form of the site, filled in for a 8-person bakery in the Rhône
COMPANY_FORM = {
    "identifiant": "81234567600017",
    "denomination": "Boulangerie Morel",
    "naf": "10.71C",
    "effectif": "8",
    "departement": "69",
    "chiffre_affaires_eur": "900000",
}
