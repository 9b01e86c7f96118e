"""Write the development key file OSEZIA_VAR_DIR/secret_key once, so that every process of a
demo (web workers, task worker, later restarts) signs with the same key; the settings only
read it. Nothing is written in production or when SECRET_KEY is given."""

import os
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Crée la clé secrète de développement (OSEZIA_VAR_DIR/secret_key) si elle manque."

    def handle(self, *args, **options):
        path = settings.SECRET_KEY_FILE
        if settings.PRODUCTION or os.environ.get("SECRET_KEY"):
            self.stdout.write("SECRET_KEY est donnée par l'environnement : aucune clé écrite.")
            return
        try:
            if path.read_text(encoding="ascii").strip():
                self.stdout.write(f"Clé de développement déjà présente : {path}")
                return
            path.unlink()  # an empty file: replaced below
        except FileNotFoundError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process of the same start wrote it first
            return
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(50))
        self.stdout.write(f"Clé de développement créée : {path}")
