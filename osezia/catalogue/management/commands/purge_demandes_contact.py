from django.core.management.base import BaseCommand

from osezia.catalogue.services import contacts


class Command(BaseCommand):
    help = (
        "Supprimer les demandes de contact aux fournisseurs plus anciennes que la durée de "
        "conservation annoncée sur le formulaire (à lancer chaque jour)."
    )

    def handle(self, *args, **options):
        deleted = contacts.purge_expired_contacts()
        self.stdout.write(
            f"{deleted} demande(s) de contact supprimée(s) "
            f"(conservation : {contacts.CONTACT_RETENTION_MONTHS} mois)."
        )
