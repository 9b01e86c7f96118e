from django.core.management.base import BaseCommand

from osezia.ambassadeurs.services import demandes
from osezia.socle.commandes import add_maintenant
from osezia.socle.commandes import maintenant as moment


class Command(BaseCommand):
    help = (
        "Relance au 3e jour ouvré et réattribue au 6e les demandes sans premier contact "
        "(l'entreprise est prévenue à chaque fois). --maintenant simule une autre date."
    )

    def add_arguments(self, parser):
        add_maintenant(parser)

    def handle(self, *args, maintenant=None, **options):
        report = demandes.check_deadlines(moment(maintenant))
        self.stdout.write(
            f"{report.relances} relance(s), {report.reattributions} réattribution(s), "
            f"{report.sans_remplacant} demande(s) sans autre ambassadeur."
        )
