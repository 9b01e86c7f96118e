import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from osezia.catalogue import format as fmt
from osezia.catalogue import services
from osezia.socle import csvsafe


class Command(BaseCommand):
    help = (
        "Exporte le catalogue publié au format d'échange (JSON Lines) ou en CSV (données ouvertes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path, nargs="?", help="Sans fichier : sortie standard.")
        parser.add_argument("--format", choices=["jsonl", "csv"], default=None)

    def handle(self, *args, fichier=None, format=None, **options):
        kind = format or ("csv" if fichier and fichier.suffix.lower() == ".csv" else "jsonl")
        handle = fichier.open("w", encoding="utf-8", newline="") if fichier else sys.stdout
        count = 0
        try:
            if kind == "csv":
                writer = csvsafe.DictWriter(handle, fieldnames=fmt.CSV_COLUMNS)
                writer.writeheader()
                for line in services.export_lines():
                    writer.writerow(fmt.line_to_csv_row(line))
                    count += 1
            else:
                for line in services.export_lines():
                    handle.write(json.dumps(line, ensure_ascii=False) + "\n")
                    count += 1
        finally:
            if fichier:
                handle.close()
        if fichier:
            self.stdout.write(f"{count} solution(s) exportée(s) dans {fichier}.")
