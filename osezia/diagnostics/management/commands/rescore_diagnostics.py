from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress

from osezia.diagnostics.models import Diagnostic
from osezia.diagnostics.services import (
    RescoreError,
    RescoreFailed,
    rescore_all,
    rescore_in_parallel,
)


class Command(BaseCommand):
    help = (
        "Recalcule les scores et les cas d'usage de tous les diagnostics terminés "
        "(après une mise à jour des connaissances ou du moteur). Interrompu, il peut être relancé : "
        "chaque lot est enregistré d'un bloc."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--lot", type=int, default=2000, help="Diagnostics par lot (défaut : 2000)."
        )
        parser.add_argument(
            "--processus",
            type=int,
            default=1,
            help="Processus en parallèle (défaut : 1 ; un par cœur au plus).",
        )

    def handle(self, *args, lot=2000, processus=1, **options):
        if lot < 1:
            raise CommandError("--lot doit valoir au moins 1.")
        total = Diagnostic.objects.filter(statut=Diagnostic.Statut.TERMINE).count()
        try:
            with Progress(console=Console(stderr=True)) as progress:
                task = progress.add_task("Recalcul des diagnostics", total=total)
                advance = lambda n: progress.advance(task, n)  # noqa: E731
                if processus <= 1:
                    done = rescore_all(batch_size=lot, progress=advance)
                else:
                    done = rescore_in_parallel(processus, lot, progress=advance)
        except RescoreError as exc:
            raise CommandError(
                f"Le recalcul a échoué pour le {exc} ; les lots précédents sont enregistrés. "
                "Corrigez la cause puis relancez la commande."
            ) from exc
        except RescoreFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{done} diagnostic(s) recalculé(s).")
