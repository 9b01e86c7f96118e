import os
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress

from osezia.academie import lheo
from osezia.academie.services.trainings import import_lheo

MAX_WORKERS = 4
PARALLEL_FROM = 2000  # below, starting the processes costs more than it saves
FORMATION_TAG = re.compile(rb"<(?:[\w.-]+:)?formation[\s>/]")


def count_formations(path: Path) -> int:
    count, tail = 0, b""
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            count += len(FORMATION_TAG.findall(data))
            tail = data[-40:] if not FORMATION_TAG.search(data[-40:]) else b""
    return count


class Command(BaseCommand):
    help = (
        "Importe une offre de formation au format LHEO 2.3 (XML). Chaque formation valide est "
        "enregistrée entière (par lots, en écritures groupées) ; une formation invalide est "
        "signalée avec le chemin de chaque élément en cause et n'est pas enregistrée. "
        "Ré-importer met à jour (formation@numero, action@numero, session@numero), sans doublon ; "
        "une formation identique à celle enregistrée n'est pas réécrite."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Vérifier sans enregistrer.")
        parser.add_argument(
            "--details", action="store_true", help="Afficher aussi les remarques (publics déduits…)"
        )
        parser.add_argument(
            "--processus",
            type=int,
            default=None,
            help=(
                "Nombre de processus qui lisent et vérifient les formations pendant que "
                "celui-ci les enregistre (0 ou 1 : lecture dans ce processus). Par défaut : un par "
                f"cœur (jusqu'à {MAX_WORKERS}) dès {PARALLEL_FROM} formations, sinon 0."
            ),
        )

    def handle(self, *args, fichier: Path, dry_run=False, details=False, processus=None, **options):
        if not fichier.is_file():
            raise CommandError(f"Fichier introuvable : {fichier}")
        if processus is not None and not 0 <= processus <= 64:
            raise CommandError("--processus : un nombre entre 0 et 64 est attendu")
        console = Console(stderr=True)
        total = count_formations(fichier)
        if processus is None:
            cores = min(os.cpu_count() or 1, MAX_WORKERS)
            processus = cores if cores >= 2 and total >= PARALLEL_FROM else 0
        try:
            with (
                fichier.open("rb") as stream,
                Progress(console=console, transient=True) as progress,
            ):
                task = progress.add_task("Import LHEO", total=total or None)
                report = import_lheo(
                    stream,
                    dry_run=dry_run,
                    progress=lambda n: progress.advance(task, n),
                    workers=processus if processus >= 2 else 0,
                )
        except lheo.NotLheo as error:
            raise CommandError(f"Ce fichier n'est pas un fichier LHEO : {error}") from error
        for path, message in report.errors:
            self.stderr.write(f"{path} : {message}")
        if details:
            for note in report.notes:
                self.stdout.write(f"Remarque — {note}")
        verb = "seraient" if dry_run else "ont été"
        self.stdout.write(
            f"{report.created} formation(s) {verb} créées, {report.updated} mise(s) à jour, "
            f"{report.unchanged} inchangée(s), {report.rejected} refusée(s) ({len(report.errors)} erreur(s)), "
            f"{len(report.notes)} remarque(s)."
        )
        if report.index_problem:
            self.stderr.write(report.index_problem)
        elif not dry_run:
            self.stdout.write(
                f"Index de recherche à jour ({len(report.keys)} formation(s) modifiée(s))."
            )
