from django.core.management.base import BaseCommand
from rich.progress import Progress

from osezia.diagnostics.models import Diagnostic
from osezia.diagnostics.services import rescore_all


class Command(BaseCommand):
    help = "Recalcule les scores et les cas d'usage de tous les diagnostics terminés (après une mise à jour des connaissances)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--lot", type=int, default=2000, help="Diagnostics par lot (défaut : 2000)."
        )

    def handle(self, *args, lot=2000, **options):
        total = Diagnostic.objects.filter(statut=Diagnostic.Statut.TERMINE).count()
        with Progress() as progress:
            task = progress.add_task("Recalcul des diagnostics", total=total)
            done = rescore_all(batch_size=lot, progress=lambda n: progress.advance(task, n))
        self.stdout.write(f"{done} diagnostic(s) recalculé(s).")
