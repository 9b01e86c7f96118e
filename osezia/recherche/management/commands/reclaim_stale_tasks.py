from django.core.management.base import BaseCommand, CommandError

from osezia.recherche import services


class Command(BaseCommand):
    help = (
        "Remet en file les tâches de fond restées « en cours » après l'arrêt brutal d'un "
        "worker (au-delà de --after secondes), ou les marque en échec après --max-attempts "
        "tentatives ; puis relance l'application des changements de l'index de recherche "
        "s'il en reste. À lancer au démarrage des workers et périodiquement."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--after",
            type=int,
            default=900,
            help="Âge (en secondes depuis le début) au-delà duquel une tâche en cours est "
            "considérée abandonnée ; plus long que la plus longue tâche (défaut : 900).",
        )
        parser.add_argument(
            "--max-attempts",
            type=int,
            default=3,
            help="Nombre de tentatives après lequel une tâche abandonnée passe en échec "
            "(défaut : 3).",
        )

    def handle(self, *args, after=900, max_attempts=3, **options):
        if after < 60:
            raise CommandError("--after doit valoir au moins 60 secondes.")
        if max_attempts < 1:
            raise CommandError("--max-attempts doit valoir au moins 1.")
        report = services.reclaim_stale_tasks(after, max_attempts)
        self.stdout.write(
            f"{len(report.requeued)} tâche(s) remise(s) en file, "
            f"{len(report.failed)} abandonnée(s)"
            + (
                " ; application des changements de l'index demandée."
                if report.apply_scheduled
                else "."
            )
        )
