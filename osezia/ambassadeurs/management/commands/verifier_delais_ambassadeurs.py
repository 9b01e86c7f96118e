from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from osezia.ambassadeurs.services import demandes


class Command(BaseCommand):
    help = (
        "Relance au 3e jour ouvré et réattribue au 6e les demandes sans premier contact "
        "(l'entreprise est prévenue à chaque fois). --maintenant simule une autre date."
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
        report = demandes.check_deadlines(now)
        self.stdout.write(
            f"{report.relances} relance(s), {report.reattributions} réattribution(s), "
            f"{report.sans_remplacant} demande(s) sans autre ambassadeur."
        )
