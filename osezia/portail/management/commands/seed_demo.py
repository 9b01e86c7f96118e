from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from osezia.portail.demo import demo_size, load_demo_file, seed_demo


class Command(BaseCommand):
    help = (
        "Crée les données de démonstration (entreprises inventées, un compte par rôle). Idempotent."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "Refusé en production : les comptes de démonstration ont un mot de passe public."
            )
        console = Console()
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Données de démonstration", total=demo_size())
            logins, created = seed_demo(progress=lambda: progress.advance(task))
        console.print(
            f"Démonstration : {created['comptes']} compte(s), {created['entreprises']} entreprise(s), "
            f"{created['diagnostics']} diagnostic(s), {created['solutions']} solution(s) du catalogue, "
            f"{created['formations']} formation(s), {created['tutoriels']} tutoriel(s) et "
            f"{created['parcours']} parcours de l'Académie créés."
        )
        data = load_demo_file()
        table = Table(title="Comptes de démonstration (un par rôle)")
        table.add_column("Rôle")
        table.add_column("Identifiant")
        for login in logins:
            table.add_row(login.libelle, login.email)
        console.print(table)
        console.print(f"Mot de passe de tous les comptes : [bold]{data['mot_de_passe']}[/bold]")
        console.print(
            "L'opérateur se connecte avec un code de double authentification : "
            "`.venv/bin/python manage.py code_totp_demo` l'affiche "
            f"(clé TOTP {data['totp_operateur']})."
        )
