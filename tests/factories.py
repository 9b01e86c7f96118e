import factory
from allauth.account.models import EmailAddress

from osezia.comptes.models import Adhesion, AttributionRole, Utilisateur
from osezia.entreprises.models import Entreprise
from osezia.referentiels.models import Departement, Naf

PASSWORD = "Mot-de-passe-de-test-2030"


class UtilisateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Utilisateur
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Camille"
    last_name = "Durand"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)
        for role in extracted or []:
            AttributionRole.objects.create(utilisateur=self, role=role)


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


def member(user, entreprise, admin=False):
    AttributionRole.objects.get_or_create(utilisateur=user, role="ENTREPRISE")
    return Adhesion.objects.create(utilisateur=user, entreprise=entreprise, est_admin=admin)
