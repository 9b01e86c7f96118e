import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from osezia.ambassadeurs.models import SourceDemande
from osezia.ambassadeurs.services import demandes


def _detail(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ; ".join(
            f"{field} : {' '.join(messages)}" for field, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = (
        "Route des demandes d'accompagnement recueillies ailleurs (liste JSON d'objets comme le "
        "corps de POST /api/v1/ambassadeurs/demandes), une à une dans l'ordre du fichier ; "
        'affiche la liste JSON des réponses (201 de l\'API, ou {"ligne": n, "detail": …}).'
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)

    def handle(self, *args, fichier: Path, **options):
        try:
            items = json.loads(fichier.read_text(encoding="utf-8-sig"))
        except FileNotFoundError as exc:
            raise CommandError(f"Fichier introuvable : {fichier}", returncode=2) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Fichier illisible : {fichier}", returncode=2) from exc
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"JSON invalide (ligne {exc.lineno}, colonne {exc.colno}) : le fichier doit "
                "contenir une liste d'objets.",
                returncode=2,
            ) from exc
        if not isinstance(items, list):
            raise CommandError("Le fichier doit contenir une liste JSON d'objets.", returncode=2)
        answers = []
        for number, item in enumerate(items, start=1):
            try:
                if not isinstance(item, dict):
                    raise ValidationError(
                        "une demande est un objet JSON (naf, departement, email…)."
                    )
                demande = demandes.create_request(item, source=SourceDemande.IMPORT)
            except ValidationError as exc:
                answers.append({"ligne": number, "detail": _detail(exc)})
            else:
                answers.append(demandes.answer(demande))
        self.stdout.write(json.dumps(answers, ensure_ascii=False, indent=2))
