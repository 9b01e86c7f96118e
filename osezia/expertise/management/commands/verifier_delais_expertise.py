from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from osezia.expertise.services import experts


class Command(BaseCommand):
    help = (
        "Relance au 3e jour ouvré les experts qui n'ont pas accepté un dossier, et le rend aux "
        "opérateurs après 5 jours ouvrés. --maintenant simule une autre date."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--maintenant", help="Date et heure ISO 8601 (AAAA-MM-JJ ou AAAA-MM-JJTHH:MM)"
        )

    def handle(self, *args, maintenant=None, **options):
        now = None
        if maintenant:
            try:
                now = datetime.fromisoformat(maintenant)
            except ValueError as exc:
                raise CommandError("--maintenant : date ISO 8601 attendue (AAAA-MM-JJ).") from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        report = experts.check_deadlines(now)
        self.stdout.write(
            f"{report.relances} relance(s), {report.retours} dossier(s) rendu(s) aux opérateurs."
        )
