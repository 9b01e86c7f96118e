"""Who may see and do what in the Académie (object level)."""

from osezia.comptes.permissions import is_operator


def is_member(user, organisme_id: int | None) -> bool:
    return bool(
        user
        and user.is_authenticated
        and organisme_id
        and user.organismes_formation.filter(pk=organisme_id).exists()
    )


def can_use_organisation_space(user) -> bool:
    """The training-organisation space (its sessions, completions): operators, and the members
    of at least one training organisation; anyone else is offered to ask for attachment."""
    if not (user and user.is_authenticated):
        return False
    return is_operator(user) or user.organismes_formation.exists()


def can_manage_session(user, session) -> bool:
    """Operators, and the members of the training organisation that runs the session."""
    if session is None or not (user and user.is_authenticated):
        return False
    return is_operator(user) or is_member(user, session.action.formation.organisme_id)


def can_see_inscription(user, inscription) -> bool:
    if not (user and user.is_authenticated):
        return False
    return inscription.apprenant_id == user.pk or can_manage_session(user, inscription.session)


def can_cancel_inscription(user, inscription) -> bool:
    """The learner, or a manager of the session (whether the enrolment can still be cancelled
    is `services.enrolments.cancellable`)."""
    if not (user and user.is_authenticated):
        return False
    return inscription.apprenant_id == user.pk or can_manage_session(user, inscription.session)


def can_manage_members(user, organisme=None) -> bool:
    """Who adds members to a training organisation: operators only (after checking a claim or
    a request); a member cannot co-opt others."""
    return is_operator(user)


def can_download_attestation(user, attestation) -> bool:
    """The person certified, an operator, or the organisation that delivered the training."""
    if not (user and user.is_authenticated):
        return False
    return (
        attestation.proprietaire_id == user.pk
        or is_operator(user)
        or any(is_member(user, organisme_id) for organisme_id in attestation.managers)
    )
