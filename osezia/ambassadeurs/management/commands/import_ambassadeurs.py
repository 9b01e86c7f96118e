from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress

from osezia.ambassadeurs.services import reseau


class Command(BaseCommand):
    help = (
        "Importe les ambassadeurs d'un réseau (CSV : "
        + ",".join(reseau.HEADER)
        + ") ; idempotent par id_externe ; chaque ligne invalide est signalée avec son numéro "
        "et sa raison, les bonnes sont importées."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)

    def handle(self, *args, fichier: Path, **options):
        if not fichier.is_file():
            raise CommandError(f"Fichier introuvable : {fichier}", returncode=2)
        console = Console(stderr=True)
        try:
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("Import des ambassadeurs", total=None)
                report = reseau.import_ambassadeurs(
                    fichier, progress=lambda: progress.advance(task)
                )
        except reseau.ImportFileError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        for number, reason in report.errors:
            self.stdout.write(f"Ligne {number} refusée : {reason}")
        self.stdout.write(
            f"{report.created} ambassadeur(s) créé(s), {report.updated} mis à jour, "
            f"{report.unchanged} inchangé(s), "
            f"{len(report.errors)} ligne(s) refusée(s)."
        )
