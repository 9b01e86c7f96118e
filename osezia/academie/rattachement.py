"""The Académie's part in the claim workflow of `comptes`: training organisations (SIRET)."""

from osezia.comptes.models import TypeOrganisation
from osezia.comptes.rattachements import Organisation, TypeRattachement, register


def _organisation(organisme) -> Organisation | None:
    if organisme is None:
        return None
    return Organisation(pk=organisme.pk, nom=organisme.nom, identifiant=organisme.siret)


def _find(siret: str) -> Organisation | None:
    from .models import OrganismeFormation

    return _organisation(OrganismeFormation.objects.filter(siret=siret).first())


def _describe(pk: int) -> Organisation | None:
    from .models import OrganismeFormation

    return _organisation(OrganismeFormation.objects.filter(pk=pk).first())


def _is_member(user, pk: int) -> bool:
    from .models import OrganismeFormation

    return OrganismeFormation.objects.filter(pk=pk, membres=user).exists()


def _add_member(user, pk: int) -> None:
    from .models import OrganismeFormation
    from .services.organisations import add_member

    add_member(OrganismeFormation.objects.get(pk=pk), user)


def _parse(value: str) -> str:
    from django.core.exceptions import ValidationError

    from osezia.entreprises.identifiants import InvalidIdentifier, parse_siren_or_siret

    try:
        parsed = parse_siren_or_siret(value)
    except InvalidIdentifier as exc:
        raise ValidationError({"identifiant": str(exc)}) from exc
    if parsed.siret is None:
        raise ValidationError(
            {"identifiant": "Indiquez le SIRET (14 chiffres) de l'établissement, pas le SIREN."}
        )
    return parsed.siret


def install() -> None:
    register(
        TypeRattachement(
            kind=TypeOrganisation.ORGANISME_FORMATION,
            find=_find,
            describe=_describe,
            is_member=_is_member,
            add_member=_add_member,
            parse=_parse,
            pieces=(
                "votre numéro de déclaration d'activité, un extrait Kbis de moins de trois mois, "
                "ou une adresse électronique professionnelle au nom de domaine de l'organisme"
            ),
            unknown=(
                "Aucun organisme de formation n'est référencé avec ce SIRET. Les organismes "
                "entrent dans l'Académie avec leur offre de formation (import LHEO par les "
                "opérateurs du plan) : écrivez-leur pour la faire référencer."
            ),
        )
    )
