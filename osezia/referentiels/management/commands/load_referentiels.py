from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import Progress

from osezia.referentiels.services import load_referentiels


class Command(BaseCommand):
    help = "Charge (ou met à jour) les référentiels depuis osezia/referentiels/data/ (idempotent)."

    def handle(self, *args, **options):
        console = Console()
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Référentiels", total=3)

            def step(label: str) -> None:
                progress.update(task, description=label, advance=1)

            counts = load_referentiels(progress=step)
        for name, count in counts.items():
            console.print(f"{name} : {count}")
