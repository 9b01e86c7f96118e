import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from osezia.ambassadeurs import carte

DATA = Path(__file__).resolve().parents[2] / "data" / "carte_regions.json"
SOURCE = "regions-avec-outre-mer.geojson"


class Command(BaseCommand):
    help = (
        "Régénère data/carte_regions.json (la carte des régions en SVG, outre-mer en encarts) "
        f"depuis {SOURCE} d'un dossier de données géographiques (../shared/data/geo/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("dossier", type=Path)

    def handle(self, *args, dossier: Path, **options):
        source = dossier / SOURCE
        if not source.is_file():
            raise CommandError(f"Fichier introuvable : {source}")
        features = json.loads(source.read_text(encoding="utf-8"))["features"]
        result = carte.build(features)
        DATA.write_text(json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n")
        size = DATA.stat().st_size
        self.stdout.write(f"{len(result['regions'])} régions écrites dans {DATA} ({size} octets).")
