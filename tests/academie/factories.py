"""Training organisations, sessions and enrolments for tests, through the Académie's services."""

from osezia.academie import services
from osezia.academie.models import OrganismeFormation, Session
from tests.academie.conftest import store, training


def session(reference: str = "T-001", **overrides) -> Session:
    """The first session of a stored training (the default one in Lyon, in 30 days)."""
    store(training(reference=reference, **overrides), reindex=False)
    return Session.objects.filter(action__formation__reference=reference).first()


def organisation_member(user, session: Session) -> OrganismeFormation:
    """`user` becomes a member of the organisation that runs `session`."""
    organisme = session.action.formation.organisme
    services.add_member(organisme, user)
    return organisme


def enrolment(user, session: Session, public: str = "SALARIE", departement: str = "69"):
    services.set_profile(user, public, departement)
    return services.enrol(user, session.pk)
