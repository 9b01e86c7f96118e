"""The catalogue's answer to `diagnostics.offres`: a person's providers and the families of
their published solutions (for the business meetings' registration)."""

from osezia.diagnostics.offres import Offre, register


def _offres(user) -> list[Offre]:
    from .models import Fournisseur

    offres = []
    for fournisseur in Fournisseur.objects.filter(membres=user).prefetch_related(
        "solutions__version_publiee"
    ):
        familles, noms = [], []
        for solution in fournisseur.solutions.all():
            version = solution.version_publiee
            if solution.retiree or version is None:
                continue
            noms.append(version.nom)
            familles += [f for f in version.contenu.get("familles", []) if f not in familles]
        offres.append(Offre(fournisseur.nom, tuple(familles), tuple(noms)))
    return offres


def install() -> None:
    register("catalogue", _offres)
