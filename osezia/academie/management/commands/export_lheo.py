import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import Progress

from osezia.academie.models import Formation
from osezia.academie.services.trainings import export_lheo


class Command(BaseCommand):
    help = "Exporte les formations publiées au format LHEO 2.3 (XML), dans un fichier ou sur la sortie."

    def add_arguments(self, parser):
        parser.add_argument(
            "fichier", type=Path, nargs="?", help="Fichier (défaut : sortie standard)"
        )

    def handle(self, *args, fichier: Path | None = None, **options):
        queryset = Formation.objects.filter(publiee=True)
        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("Export LHEO", total=queryset.count())

            def advance(n: int) -> None:
                progress.advance(task, n)

            if fichier:
                with fichier.open("wb") as stream:
                    count = export_lheo(stream, queryset, advance)
            else:
                count = export_lheo(sys.stdout.buffer, queryset, advance)
        self.stderr.write(f"{count} formation(s) exportée(s).")
