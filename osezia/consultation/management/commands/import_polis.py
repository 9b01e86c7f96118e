import re
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from osezia.consultation.services import donnees

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        if not _DAY.fullmatch(value.strip()):
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"{option} « {value[:30]} » : date invalide, au format AAAA-MM-JJ (ex. 2026-03-15)."
        ) from None


def _counts(counts: donnees.Counts, deleted: bool = False) -> str:
    text = f"{counts.created} créé(s), {counts.updated} mis à jour, {counts.unchanged} inchangé(s)"
    if deleted:
        text += f", {counts.deleted} supprimé(s)"
    return text


class Command(BaseCommand):
    help = (
        "Importe une conversation Pol.is (comments.csv, votes.csv, summary.csv facultatif) dans "
        "une consultation, créée si elle n'existe pas. En une transaction : un fichier mal formé "
        "ou une option invalide, et rien n'est enregistré. Relancer l'import ne crée aucun "
        "doublon et reporte les votes modifiés."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dossier", type=Path, required=True, help="Dossier de l'export")
        parser.add_argument(
            "--consultation", required=True, help="Adresse (slug) de la consultation"
        )
        parser.add_argument("--question", help="Question (défaut : topic de summary.csv)")
        parser.add_argument("--ouverture", help="AAAA-MM-JJ (défaut : date du premier vote)")
        parser.add_argument("--cloture", help="AAAA-MM-JJ (défaut : date du dernier vote)")

    def handle(self, *args, dossier: Path, consultation: str, **options):
        opening = _day(options.get("ouverture"), "--ouverture")
        closing = _day(options.get("cloture"), "--cloture")
        if opening and closing and closing < opening:
            raise CommandError(
                f"--cloture ({closing:%d/%m/%Y}) précède --ouverture ({opening:%d/%m/%Y})."
            )
        console = Console(stderr=True)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=True) as progress:
            tasks: dict[str, int] = {}

            def advance(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = progress.add_task(stage, total=total)
                progress.update(tasks[stage], completed=done, total=total)

            try:
                report = donnees.import_polis(
                    dossier,
                    consultation,
                    question=options.get("question"),
                    ouverture=opening,
                    cloture=closing,
                    progress=advance,
                )
            except donnees.ImportPolisError as error:
                raise CommandError(f"{error} — rien n'a été enregistré.") from None
        state = (
            "créée"
            if report.consultation.created
            else ("mise à jour" if report.consultation.updated else "inchangée")
        )
        self.stdout.write(f"Consultation « {consultation} » {state}.")
        self.stdout.write(f"Participants : {_counts(report.participants)}.")
        self.stdout.write(f"Propositions : {_counts(report.propositions)}.")
        self.stdout.write(f"Votes : {_counts(report.votes, deleted=True)}.")
        if not report.changed:
            self.stdout.write("Rien n'a changé depuis le dernier import.")
