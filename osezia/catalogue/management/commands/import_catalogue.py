from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress

from osezia.catalogue import services


class Command(BaseCommand):
    help = (
        "Importe un catalogue de solutions (JSON Lines ou CSV) : chaque ligne valide est publiée "
        "(source de confiance), une ligne invalide est signalée avec son numéro et ignorée. "
        "Ré-importer met à jour par id_externe, sans doublon."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Vérifier sans rien enregistrer."
        )

    def handle(self, *args, fichier: Path, dry_run=False, **options):
        if not fichier.exists():
            raise CommandError(f"Fichier introuvable : {fichier}")
        console = Console(stderr=True)
        total = sum(1 for line in fichier.open(encoding="utf-8-sig") if line.strip())
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Import du catalogue", total=total)
            report = services.import_lines(
                services.read_lines(fichier),
                dry_run=dry_run,
                progress=lambda: progress.advance(task),
            )
        for number, errors in report.errors:
            details = " ; ".join(f"{field} : {message}" for field, message in errors.items())
            self.stderr.write(f"Ligne {number} ignorée — {details}")
        verb = "seraient" if dry_run else "ont été"
        self.stdout.write(
            f"{report.created} solution(s) {verb} créées, {report.updated} mise(s) à jour, "
            f"{report.unchanged} inchangée(s), {len(report.errors)} ligne(s) en erreur."
        )
        if report.index_problem:
            self.stderr.write(report.index_problem)
        elif not dry_run:
            self.stdout.write(
                f"Index de recherche à jour ({len(report.keys)} solution(s) modifiée(s))."
            )
