import json
import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from osezia.consultation import opinion


class Erreur(CommandError):
    """Printed by Django as « Erreur: … » on stderr, with exit status 2."""


class Command(BaseCommand):
    help = (
        "Groupes d'opinion (à la Pol.is) à partir d'un export de votes : votes.csv de Pol.is "
        "(timestamp,datetime,comment-id,voter-id,vote) ou export des votes de la plateforme "
        "(participant,proposition,vote). Sans base de données. Résultat en JSON sur la sortie "
        "ou dans --out ; un fichier mal formé : code de sortie 2, rien n'est écrit."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--votes", type=Path, required=True, help="Fichier des votes (CSV)")
        parser.add_argument(
            "--comments",
            type=Path,
            help="comments.csv de Pol.is ou export des propositions : les propositions masquées "
            "(moderated = -1, statut refusee) sont écartées",
        )
        parser.add_argument("--out", type=Path, help="Fichier JSON à écrire (défaut : sortie)")
        parser.add_argument("--graine", type=int, default=0, help="Graine aléatoire (défaut 0)")

    def handle(self, *args, votes: Path, comments=None, out=None, graine=0, **options):
        hidden: set[str] = set()
        console = Console(stderr=True)
        with console.status("Lecture des votes…"):
            if comments is not None:
                hidden = _read(comments, opinion.read_comments)[1]
            rows = _read(votes, opinion.read_votes)
        with console.status(f"Analyse de {len(rows)} votes…"):
            result = opinion.analyse(rows, hidden=hidden, seed=graine)
        text = json.dumps(result.as_json(), ensure_ascii=False)
        if out is None:
            sys.stdout.write(text + "\n")
            return
        temporary = None
        try:
            handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=".groupes-", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text + "\n")
            os.replace(temporary, out)
        except OSError as error:
            if temporary is not None and os.path.exists(temporary):
                os.unlink(temporary)
            raise Erreur(f"{out} : écriture impossible ({error.strerror})", returncode=2) from error
        self.stderr.write(
            f"{result.participants_classes} participant(s) classé(s) en {result.k} groupe(s) : {out}"
        )


def _read(path: Path, reader):
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as stream:
            return reader(stream)
    except FileNotFoundError:
        raise Erreur(f"{path} : fichier introuvable", returncode=2) from None
    except OSError as error:
        raise Erreur(f"{path} : lecture impossible ({error.strerror})", returncode=2) from None
    except opinion.FormatError as error:
        raise Erreur(f"{path}, {error}", returncode=2) from None
