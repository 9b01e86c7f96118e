"""The learner profile (audience and place), and the one rule « a learner profile is needed »
before enrolling or following a path."""

from django.core.exceptions import ValidationError
from django.db import transaction

from osezia.referentiels.queries import departement_regions
from osezia.socle.regles import MESSAGE, forbidden_characters

from .. import format as fmt
from ..models import (
    ProfilApprenant,
)


def set_profile(
    user, public: str, departement: str, prenom: str | None = None, nom: str | None = None
) -> ProfilApprenant:
    """The learner's audience and place (and, when given, the name their certificates bear)."""
    from osezia.comptes.models import Role
    from osezia.comptes.services import grant_role, name_errors, rename_user

    errors = name_errors(prenom, nom)
    if public not in fmt.PUBLICS:
        errors["public"] = "choisissez l'un des quatre publics"
    region = departement_regions().get(departement)
    if forbidden_characters(departement or ""):
        errors["departement"] = MESSAGE
    elif region is None:
        errors["departement"] = f"département inconnu « {departement} »"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        profile, created = ProfilApprenant.objects.update_or_create(
            utilisateur=user,
            defaults={"public": public, "departement_id": departement, "region_id": region},
        )
        rename_user(user, prenom, nom)
        grant_role(user, Role.APPRENANT)
    return profile


class ProfileRequired(ValidationError):  # noqa: N818 - a ValidationError, like the others
    """The person has no learner profile yet: pages send them to the profile page (and back),
    the API answers this message."""

    MESSAGE = (
        "indiquez d'abord votre situation (votre public et votre département) : elle oriente "
        "vos formations et vos parcours"
    )

    def __init__(self):
        super().__init__(self.MESSAGE)


def learner_profile(user) -> ProfilApprenant | None:
    if not (user and user.is_authenticated):
        return None
    return ProfilApprenant.objects.filter(utilisateur=user).first()


def require_profile(user) -> ProfilApprenant:
    """The one rule « a learner profile is needed »: enrolling in a session and following a
    path count the person as trained by audience and region, so both need the profile first.
    Raises `ProfileRequired`."""
    profile = learner_profile(user)
    if profile is None:
        raise ProfileRequired
    return profile
