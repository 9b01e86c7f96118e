from django.core.management.base import BaseCommand

from osezia.academie.services.counters import recount


class Command(BaseCommand):
    help = (
        "Reconstruit les compteurs « professionnels formés » à partir des personnes formées "
        "(après une restauration, ou pour les vérifier)."
    )

    def handle(self, *args, **options):
        counters = recount()
        self.stdout.write(
            f"{counters['professionnels_formes']} professionnel(s) formé(s) ; "
            f"par public : {counters['par_public']}"
        )
