from django.core.management.base import BaseCommand, CommandError

from osezia.recherche import services


class Command(BaseCommand):
    help = (
        "Applique à l'index de recherche les changements en attente (publications, retraits, "
        "imports…), jusqu'à ce qu'il n'en reste aucun. Sans risque à relancer : à lancer "
        "périodiquement et après tout incident."
    )

    def handle(self, *args, **options):
        before = services.pending_count()
        try:
            applied = services.apply_pending()
        except services.SearchUnavailable as exc:
            raise CommandError(f"Index de recherche indisponible : {exc}") from exc
        self.stdout.write(
            f"{applied} changement(s) appliqué(s) à l'index ({before} en attente au départ, "
            f"{services.pending_count()} restant)."
        )
