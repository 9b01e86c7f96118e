import multiprocessing

from django.core.management.base import BaseCommand
from django.db import connections
from rich.console import Console
from rich.progress import Progress

from osezia.diagnostics.models import Diagnostic
from osezia.diagnostics.services import completed_pk_ranges, rescore_all


def _worker(pk_range, batch_size, queue):
    connections.close_all()  # each process opens its own connection
    rescore_all(batch_size=batch_size, progress=queue.put, pk_range=pk_range)
    queue.put(None)


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
        total = Diagnostic.objects.filter(statut=Diagnostic.Statut.TERMINE).count()
        with Progress(console=Console(stderr=True)) as progress:
            task = progress.add_task("Recalcul des diagnostics", total=total)
            if processus <= 1:
                done = rescore_all(batch_size=lot, progress=lambda n: progress.advance(task, n))
            else:
                done = self._parallel(processus, lot, lambda n: progress.advance(task, n))
        self.stdout.write(f"{done} diagnostic(s) recalculé(s).")

    @staticmethod
    def _parallel(processes: int, batch_size: int, advance) -> int:
        ranges = completed_pk_ranges(processes)
        connections.close_all()
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        workers = [context.Process(target=_worker, args=(r, batch_size, queue)) for r in ranges]
        for worker in workers:
            worker.start()
        done, finished = 0, 0
        while finished < len(workers):
            item = queue.get()
            if item is None:
                finished += 1
            else:
                done += item
                advance(item)
        for worker in workers:
            worker.join()
            if worker.exitcode != 0:
                raise RuntimeError(f"un processus de recalcul a échoué (code {worker.exitcode})")
        return done
