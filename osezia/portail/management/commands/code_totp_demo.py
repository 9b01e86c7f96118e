import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from osezia.portail.demo import load_demo_file


class Command(BaseCommand):
    help = "Affiche le code de double authentification courant de l'opérateur de démonstration."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Indisponible en production.")
        from allauth.mfa import app_settings

        secret = load_demo_file()["totp_operateur"]
        counter = int(time.time()) // app_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(secret, counter)))
