from django.core.management.base import BaseCommand

from osezia.expertise.services import experts
from osezia.socle.commandes import add_maintenant
from osezia.socle.commandes import maintenant as moment


class Command(BaseCommand):
    help = (
        "Relance au 3e jour ouvré les experts qui n'ont pas accepté un dossier, et le rend aux "
        "opérateurs après 5 jours ouvrés. --maintenant simule une autre date."
    )

    def add_arguments(self, parser):
        add_maintenant(parser)

    def handle(self, *args, maintenant=None, **options):
        report = experts.check_deadlines(moment(maintenant))
        self.stdout.write(
            f"{report.relances} relance(s), {report.retours} dossier(s) rendu(s) aux opérateurs."
        )
