from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from osezia.diagnostics.services import load_questionnaire_file


class Command(BaseCommand):
    help = "Charge une version du questionnaire depuis un fichier JSON (une version existante n'est jamais modifiée)."

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument(
            "--brouillon", action="store_true", help="Ne pas publier cette version."
        )

    def handle(self, *args, fichier: Path, brouillon=False, **options):
        if not fichier.exists():
            raise CommandError(f"Fichier introuvable : {fichier}")
        try:
            questionnaire = load_questionnaire_file(fichier, publish=not brouillon)
        except (KeyError, ValueError, ValidationError) as exc:
            raise CommandError(f"Questionnaire invalide : {exc}") from exc
        self.stdout.write(
            f"Questionnaire v{questionnaire.version} : {questionnaire.questions.count()} questions."
        )
