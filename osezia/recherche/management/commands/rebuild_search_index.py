from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from osezia.recherche import services


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche (solutions publiées…) ; les recherches continuent sur l'ancien index jusqu'à la fin."

    def add_arguments(self, parser):
        parser.add_argument(
            "--type", choices=sorted(services.SOURCES), help="Un seul type de document."
        )

    def handle(self, *args, type=None, **options):
        console = Console(stderr=True)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed} documents"),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("Indexation", total=None)
            counts = services.rebuild(type, progress=lambda n: progress.advance(task, n))
        for name, count in counts.items():
            self.stdout.write(f"{name} : {count} document(s) indexé(s).")
