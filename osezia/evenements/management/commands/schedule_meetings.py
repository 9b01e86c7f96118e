"""`manage.py schedule_meetings --instance IN.json [--out OUT.json] [--limite-s 30]`: the
scheduler on a file in the contract's format (docs/evenements.md); exit 2 with a French
message on a bad instance."""

import json
import sys

from django.core.management.base import BaseCommand

from osezia.evenements.planification import InstanceInvalide, planifier


class Command(BaseCommand):
    help = "Planifie les rendez-vous d'une instance IN.json et écrit OUT.json."

    def add_arguments(self, parser):
        parser.add_argument("--instance", required=True, help="fichier IN.json")
        parser.add_argument("--out", help="fichier OUT.json (sinon la sortie standard)")
        parser.add_argument(
            "--limite-s", type=float, default=30.0, dest="limite_s", help="durée maximale (s)"
        )

    def handle(self, *args, instance, out=None, limite_s=30.0, **options):
        try:
            with open(instance, encoding="utf-8") as fichier:
                donnees = json.load(fichier)
        except OSError as exc:
            self._echec(f"Fichier illisible : {exc.strerror or exc}.")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            self._echec(f"JSON invalide : {exc}.")
        if not 0 < limite_s <= 3600:
            self._echec("--limite-s : une durée entre 0 et 3600 secondes.")
        try:
            sortie = planifier(donnees, limite_s=limite_s)
        except InstanceInvalide as exc:
            self._echec(f"Instance invalide : {exc}")
        texte = json.dumps(sortie, ensure_ascii=False, indent=1)
        if out:
            with open(out, "w", encoding="utf-8") as fichier:
                fichier.write(texte + "\n")
            self.stdout.write(
                f"{len(sortie['rendez_vous'])} rendez-vous, objectif {sortie['objectif']}, "
                f"borne {sortie['borne_superieure']} ({sortie['statut']}), {sortie['duree_s']} s."
            )
        else:
            self.stdout.write(texte)

    def _echec(self, message: str):
        self.stderr.write(message)
        sys.exit(2)
