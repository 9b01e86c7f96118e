"""Accounts for tests: people (with a verified e-mail and roles) and company memberships."""

import factory
from allauth.account.models import EmailAddress

from osezia.comptes.models import Adhesion, AttributionRole, Utilisateur

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


def member(user, entreprise, admin=False):
    """`user` joins the company (as its administrator when `admin`)."""
    AttributionRole.objects.get_or_create(utilisateur=user, role="ENTREPRISE")
    return Adhesion.objects.create(utilisateur=user, entreprise=entreprise, est_admin=admin)
