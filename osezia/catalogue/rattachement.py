"""The catalogue's part in the claim workflow of `comptes`: provider organisations."""

from osezia.comptes.models import TypeOrganisation
from osezia.comptes.rattachements import Organisation, TypeRattachement, register


def _organisation(fournisseur) -> Organisation | None:
    if fournisseur is None:
        return None
    return Organisation(pk=fournisseur.pk, nom=fournisseur.nom, identifiant=fournisseur.siren)


def _find(siren: str) -> Organisation | None:
    from .models import Fournisseur

    return _organisation(Fournisseur.objects.filter(siren=siren).first())


def _describe(pk: int) -> Organisation | None:
    from .models import Fournisseur

    return _organisation(Fournisseur.objects.filter(pk=pk).first())


def _is_member(user, pk: int) -> bool:
    from .models import Fournisseur

    return Fournisseur.objects.filter(pk=pk, membres=user).exists()


def _add_member(user, pk: int) -> None:
    from .models import Fournisseur
    from .services import providers

    providers.add_member(Fournisseur.objects.get(pk=pk), user)


def _parse(value: str) -> str:
    from .services.providers import parse_siren

    return parse_siren(value)


def install() -> None:
    register(
        TypeRattachement(
            kind=TypeOrganisation.FOURNISSEUR,
            find=_find,
            describe=_describe,
            is_member=_is_member,
            add_member=_add_member,
            parse=_parse,
        )
    )
