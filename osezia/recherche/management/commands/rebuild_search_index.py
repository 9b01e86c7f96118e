from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from osezia.recherche import services


class Command(BaseCommand):
    help = (
        "Reconstruit l'index de recherche depuis la base (dernier recours ; les recherches "
        "continuent sur l'ancien index jusqu'à la fin). Pour appliquer seulement les "
        "changements en attente : apply_index_changes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--type", choices=sorted(services.SOURCES), help="Un seul type de document."
        )

    def handle(self, *args, type=None, **options):
        console = Console(stderr=True)
        try:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.completed} documents"),
                TimeElapsedColumn(),
                console=console,
            ) as progress:
                task = progress.add_task("Indexation", total=None)
                counts = services.rebuild(type, progress=lambda n: progress.advance(task, n))
        except services.SearchUnavailable as exc:
            raise CommandError(f"Index de recherche indisponible : {exc}") from exc
        for name, count in counts.items():
            self.stdout.write(f"{name} : {count} document(s) indexé(s).")
