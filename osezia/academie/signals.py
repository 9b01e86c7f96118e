"""The Académie's hook on account deletion (the account belongs to `comptes`)."""

from django.conf import settings
from django.db.models.signals import pre_delete
from django.dispatch import receiver


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def free_seats_of_a_deleted_account(sender, instance, **kwargs):
    from .services.enrolments import release_enrolments

    release_enrolments(instance)
