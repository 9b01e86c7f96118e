"""Who may see and do what in the Académie (object level)."""

from osezia.comptes.permissions import is_operator


def is_member(user, organisme_id: int | None) -> bool:
    return bool(
        user
        and user.is_authenticated
        and organisme_id
        and user.organismes_formation.filter(pk=organisme_id).exists()
    )


def can_manage_session(user, session) -> bool:
    """Operators, and the members of the training organisation that runs the session."""
    if session is None or not (user and user.is_authenticated):
        return False
    return is_operator(user) or is_member(user, session.action.formation.organisme_id)


def can_see_inscription(user, inscription) -> bool:
    if not (user and user.is_authenticated):
        return False
    return inscription.apprenant_id == user.pk or can_manage_session(user, inscription.session)


def can_download_attestation(user, attestation) -> bool:
    """The person certified, an operator, or the organisation that delivered the training."""
    if not (user and user.is_authenticated):
        return False
    return (
        attestation.proprietaire_id == user.pk
        or is_operator(user)
        or any(is_member(user, organisme_id) for organisme_id in attestation.managers)
    )
