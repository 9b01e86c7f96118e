"""The companies' part in the claim workflow of `comptes`."""

from osezia.comptes.models import TypeOrganisation
from osezia.comptes.rattachements import Organisation, TypeRattachement, register


def _organisation(entreprise) -> Organisation | None:
    if entreprise is None:
        return None
    return Organisation(pk=entreprise.pk, nom=entreprise.denomination, identifiant=entreprise.siren)


def _find(siren: str) -> Organisation | None:
    from .models import Entreprise

    return _organisation(Entreprise.objects.filter(siren=siren).first())


def _describe(pk: int) -> Organisation | None:
    from .models import Entreprise

    return _organisation(Entreprise.objects.filter(pk=pk).first())


def _is_member(user, pk: int) -> bool:
    from osezia.comptes.models import Adhesion

    return Adhesion.objects.filter(utilisateur=user, entreprise_id=pk).exists()


def _add_member(user, pk: int) -> None:
    from . import services
    from .models import Entreprise

    # A company registered by an operator has no admin yet: the first accepted claim makes one.
    services.add_member(Entreprise.objects.get(pk=pk), user, admin=True)


def _parse(value: str) -> str:
    from django.core.exceptions import ValidationError

    from .identifiants import InvalidIdentifier, parse_siren_or_siret

    try:
        return parse_siren_or_siret(value).siren
    except InvalidIdentifier as exc:
        raise ValidationError({"identifiant": str(exc)}) from exc


def install() -> None:
    register(
        TypeRattachement(
            kind=TypeOrganisation.ENTREPRISE,
            find=_find,
            describe=_describe,
            is_member=_is_member,
            add_member=_add_member,
            parse=_parse,
        )
    )
