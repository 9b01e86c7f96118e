"""Account use cases: creating people with their roles, granting roles, e-mails to operators,
and the one workflow by which a person joins an organisation that already exists (a claim
operators accept or refuse)."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from osezia.socle.regles import MESSAGE, forbidden_characters
from osezia.socle.validation import clean_text

from . import rattachements
from .models import (
    Adhesion,
    AttributionRole,
    DemandeRattachement,
    InvitationEntreprise,
    Role,
    StatutInvitation,
    Utilisateur,
)

OPERATORS_GROUP = "Opérateurs du plan"
# Besides every app of the platform (`osezia.*`), the other apps whose tables operators manage
# in the admin. Not `mfa`: second factors (and their secrets) belong to their owner alone.
EXTRA_OPERATOR_APPS = ("account",)


def platform_apps() -> tuple[str, ...]:
    """The app labels whose tables operators manage: every installed `osezia.*` app (a new
    module is included the day it is installed) and `EXTRA_OPERATOR_APPS`."""
    from django.apps import apps

    own = [c.label for c in apps.get_app_configs() if c.name.startswith("osezia.")]
    return (*own, *EXTRA_OPERATOR_APPS)


def operators_group() -> Group:
    """The admin group of operators: every permission on the platform's own tables."""
    group, _ = Group.objects.get_or_create(name=OPERATORS_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=platform_apps()))
    return group


@transaction.atomic
def grant_role(user: Utilisateur, role: str) -> None:
    if role not in Role.values:
        raise ValueError(f"Rôle inconnu : {role}")
    AttributionRole.objects.get_or_create(utilisateur=user, role=role)
    if role == Role.OPERATEUR:
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(operators_group())
    user.__dict__.pop("_roles_cache", None)


@transaction.atomic
def create_account(
    email: str,
    password: str | None,
    roles: list[str],
    first_name: str = "",
    last_name: str = "",
    verified: bool = False,
) -> Utilisateur:
    """A new person with the given roles; `verified` marks their e-mail as confirmed."""
    user = Utilisateur.objects.create_user(
        email=email, password=password, first_name=first_name, last_name=last_name
    )
    for role in roles:
        grant_role(user, role)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
    return user


NAME_MAX_LENGTH = 150  # as the user table's columns


def name_errors(first_name: str | None, last_name: str | None) -> dict[str, str]:
    """French errors on a person's first and last name, keyed `prenom` and `nom` (the fields
    of the pages and the API); empty when both are acceptable."""
    errors = {}
    for key, value in (("prenom", first_name), ("nom", last_name)):
        if value is not None and not isinstance(value, str):
            errors[key] = "doit être un texte"
        elif forbidden_characters(value or ""):
            errors[key] = MESSAGE
        elif len((value or "").strip()) > NAME_MAX_LENGTH:
            errors[key] = f"{NAME_MAX_LENGTH} caractères au plus"
    return errors


@transaction.atomic
def rename_user(user: Utilisateur, first_name: str | None, last_name: str | None) -> Utilisateur:
    """Change the name a person bears (their certificates show it). A name left empty keeps
    the current one; an invalid one is refused (ValidationError keyed `prenom` / `nom`) and
    nothing is written."""
    errors = name_errors(first_name, last_name)
    if errors:
        raise ValidationError(errors)
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    changed = []
    if first_name and first_name != user.first_name:
        user.first_name = first_name
        changed.append("first_name")
    if last_name and last_name != user.last_name:
        user.last_name = last_name
        changed.append("last_name")
    if changed:
        user.save(update_fields=changed)
    return user


# E-mails -------------------------------------------------------------------------------


def operator_emails() -> list[str]:
    """The addresses of the active accounts holding the operator role."""
    return sorted(
        set(
            Utilisateur.objects.filter(is_active=True, attributions__role=Role.OPERATEUR)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def send_email_later(subject: str, body: str, recipients: list[str]) -> None:
    """Send an e-mail through the worker once the current transaction commits (one message
    per recipient, so that nobody sees the others' addresses)."""
    recipients = [r for r in dict.fromkeys(recipients) if r]
    if not recipients:
        return
    from .tasks import send_email

    def enqueue():
        # One task per recipient: a task run again after a killed worker (see
        # `recherche.services.reclaim_stale_tasks`) sends at most one message twice.
        for recipient in recipients:
            send_email.enqueue(subject, body, [recipient])

    transaction.on_commit(enqueue)


def deliver_email(subject: str, body: str, recipients: list[str]) -> int:
    from django.core.mail import send_mass_mail

    from osezia.socle.mail import header_safe

    # Subjects are built from names people and files typed: one line, always.
    subject = header_safe("[Osez l'IA] " + subject, max_len=200)
    return send_mass_mail(
        [(subject, body, None, [recipient]) for recipient in recipients],
        fail_silently=False,
    )


def notify_operators(subject: str, body: str) -> None:
    send_email_later(subject, body, operator_emails())


# Membership claims ---------------------------------------------------------------------

CLAIMS_PER_DAY = 5
MAX_MESSAGE = 2000
Statut = DemandeRattachement.Statut


def _lower_first(label: str) -> str:
    """« Fournisseur de solutions d'IA » inside a sentence: only the first letter changes."""
    return label[:1].lower() + label[1:]


def site_url(path: str) -> str:
    """An address for e-mails: absolute when the `SITE_URL` setting is defined (e.g.
    https://osez-ia.gouv.fr), else the path alone."""
    from django.conf import settings

    return getattr(settings, "SITE_URL", "").rstrip("/") + path


# Company memberships --------------------------------------------------------------------
# `Adhesion` is written here only; `entreprises` calls these inside its own transactions
# (it locks the company row first, and grants the role).


@transaction.atomic
def add_membership(user: Utilisateur, entreprise, admin: bool = False) -> Adhesion:
    """Make a person a member of a company; idempotent (an existing membership is returned as
    it is). `admin` makes them its admin only when it has none: otherwise, and when another
    admin was added at the same moment, they join as a plain member."""
    if admin and Adhesion.objects.filter(entreprise=entreprise, est_admin=True).exists():
        admin = False
    try:
        with transaction.atomic():
            adhesion, _ = Adhesion.objects.get_or_create(
                utilisateur=user, entreprise=entreprise, defaults={"est_admin": admin}
            )
    except IntegrityError:
        # Where row locks do not exist (SQLite), another admin may have been added since the
        # check: the person joins as a plain member.
        if not admin:
            raise
        adhesion, _ = Adhesion.objects.get_or_create(
            utilisateur=user, entreprise=entreprise, defaults={"est_admin": False}
        )
    return adhesion


@transaction.atomic
def remove_membership(adhesion: Adhesion) -> None:
    """End a plain membership; a company's admin cannot be removed (give the role to someone
    else first)."""
    if adhesion.est_admin:
        raise ValidationError(
            {"membre": "L'administrateur de l'entreprise ne peut pas être retiré."}
        )
    adhesion.delete()


@transaction.atomic
def set_admin(adhesion: Adhesion) -> Adhesion:
    """Make this member the company's admin; the previous admin stays a plain member."""
    if adhesion.est_admin:
        return adhesion
    Adhesion.objects.filter(entreprise_id=adhesion.entreprise_id, est_admin=True).update(
        est_admin=False
    )
    adhesion.est_admin = True
    adhesion.save(update_fields=["est_admin"])
    return adhesion


# Company invitations --------------------------------------------------------------------
# `InvitationEntreprise` is written here only. `entreprises` keeps the company's rules (who
# may invite, how long an invitation lasts, the membership on acceptance, the e-mails) and
# calls these inside its own transactions.

INVALID_EMAIL = "Saisissez une adresse électronique valide."
ALREADY_ANSWERED = (
    "Cette invitation a déjà reçu une réponse ou été annulée : elle ne peut plus être annulée."
)


def invitation_email(email) -> str:
    """The address, trimmed and in lower case; ValidationError keyed `email` otherwise."""
    from django.core.validators import validate_email

    if not isinstance(email, str) or forbidden_characters(email):
        raise ValidationError({"email": INVALID_EMAIL})
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": INVALID_EMAIL}) from exc
    return email


@transaction.atomic
def create_invitation(entreprise, email: str, invited_by: Utilisateur | None):
    """Record a waiting invitation of `email` to the company, sent by `invited_by` (None: by
    the platform). None when one to the same address already waits (sent at the same moment,
    say): there is only ever one."""
    email = invitation_email(email)
    if entreprise is None or entreprise.pk is None:
        raise ValueError("L'entreprise doit être enregistrée.")
    if invited_by is not None and not isinstance(invited_by, Utilisateur):
        raise ValueError("L'invitation est envoyée par une personne ou par la plateforme.")
    try:
        with transaction.atomic():
            return InvitationEntreprise.objects.create(
                entreprise=entreprise, email=email, invite_par=invited_by
            )
    except IntegrityError:  # the unique waiting invitation per address
        return None


def _waiting(invitation: InvitationEntreprise, message: str) -> InvitationEntreprise:
    """The invitation's row, locked, refused (ValidationError) unless it still waits."""
    locked = InvitationEntreprise.objects.select_for_update().filter(pk=invitation.pk).first()
    if locked is None or locked.statut != StatutInvitation.EN_ATTENTE:
        raise ValidationError({"invitation": message})
    return locked


def _close(invitation: InvitationEntreprise, statut: str) -> InvitationEntreprise:
    invitation.statut = statut
    invitation.repondu_le = timezone.now()
    invitation.save(update_fields=["statut", "repondu_le"])
    return invitation


@transaction.atomic
def answer_invitation(invitation: InvitationEntreprise, accept: bool) -> InvitationEntreprise:
    """Record the invitee's answer (accepted or declined) to a waiting invitation. Making them
    a member is the company's part (`entreprises.services.answer_invitation`)."""
    if not isinstance(accept, bool):
        raise ValidationError({"accepter": "La réponse est oui (true) ou non (false)."})
    invitation = _waiting(invitation, "Cette invitation a déjà reçu une réponse ou été annulée.")
    return _close(invitation, StatutInvitation.ACCEPTEE if accept else StatutInvitation.DECLINEE)


@transaction.atomic
def cancel_invitation(invitation: InvitationEntreprise) -> InvitationEntreprise:
    """Cancel a waiting invitation: it can no longer be accepted."""
    return _close(_waiting(invitation, ALREADY_ANSWERED), StatutInvitation.ANNULEE)


@transaction.atomic
def cancel_invitations(invitations) -> int:
    """Cancel those of these invitations (a queryset) that still wait, e.g. expired ones an
    admin replaces; the answered ones stay as they are. Returns how many were cancelled."""
    if getattr(invitations, "model", None) is not InvitationEntreprise:
        raise ValueError("cancel_invitations attend des invitations.")
    return invitations.filter(statut=StatutInvitation.EN_ATTENTE).update(
        statut=StatutInvitation.ANNULEE, repondu_le=timezone.now()
    )


def cancel_invitations_sent_by(entreprise, user) -> int:
    """Cancel the waiting invitations `user` sent for the company."""
    if user is None or user.pk is None:
        raise ValueError("cancel_invitations_sent_by attend une personne enregistrée.")
    return cancel_invitations(
        InvitationEntreprise.objects.filter(entreprise=entreprise, invite_par=user)
    )


def claim_notice(kind: str) -> str:
    """What the person is told once their claim is recorded."""
    handler = rattachements.get(kind)
    return (
        "Cette organisation est déjà inscrite sur la plateforme : votre demande de rattachement "
        "est transmise aux opérateurs du plan, qui vont la vérifier. Ils pourront vous demander "
        f"{handler.pieces}. Vous recevrez leur réponse par courriel."
    )


@transaction.atomic
def submit_claim(user, kind: str, organisation_id: int, message: str = "") -> DemandeRattachement:
    """Ask operators to make `user` a member of an existing organisation.

    Idempotent while a request is pending (the same one is returned); limited to
    `CLAIMS_PER_DAY` new requests per account."""
    from osezia.socle.ratelimit import consume

    handler = rattachements.get(kind)
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied("Connectez-vous pour demander un rattachement.")
    try:
        message = clean_text(message, "Message", MAX_MESSAGE, multiline=True)
    except ValidationError as exc:
        raise ValidationError({"message": exc.messages}) from exc
    organisation = handler.describe(organisation_id)
    if organisation is None:
        raise ValidationError({"identifiant": "Cette organisation n'existe pas."})
    if handler.is_member(user, organisation.pk):
        raise ValidationError({"identifiant": "Vous êtes déjà membre de cette organisation."})
    pending = DemandeRattachement.objects.filter(
        demandeur=user,
        type_organisation=kind,
        organisation_id=organisation.pk,
        statut=Statut.EN_ATTENTE,
    ).first()
    if pending is not None:
        return pending
    # Counted per account (the key `consume_request` uses for a logged-in person), so that the
    # page, the API and every organisation kind share one allowance.
    consume(
        "demande_rattachement",
        f"u{user.pk}",
        CLAIMS_PER_DAY,
        86400,
        "Vous avez déjà envoyé plusieurs demandes de rattachement aujourd'hui : "
        "réessayez demain ou écrivez aux opérateurs du plan.",
    )
    try:
        with transaction.atomic():
            demande = DemandeRattachement.objects.create(
                demandeur=user,
                type_organisation=kind,
                organisation_id=organisation.pk,
                identifiant=organisation.identifiant,
                nom_organisation=organisation.nom[:255],
                message=message,
            )
    except IntegrityError:  # the same request sent twice at once
        return DemandeRattachement.objects.get(
            demandeur=user,
            type_organisation=kind,
            organisation_id=organisation.pk,
            statut=Statut.EN_ATTENTE,
        )
    notify_operators(
        f"Demande de rattachement : {demande.nom_organisation}",
        f"{user.get_full_name() or user.email} ({user.email}) demande à devenir membre de "
        f"« {demande.nom_organisation} » ({_lower_first(demande.get_type_organisation_display())}, "
        f"{'SIRET' if len(demande.identifiant) == 14 else 'SIREN'} {demande.identifiant}).\n\n"
        f"Message : {message or '(aucun)'}\n\n"
        f"Vérifiez la demande et décidez : {site_url('/espace/operateur/rattachements/')}\n",
    )
    return demande


def request_membership(user, kind: str, identifiant: str, message: str = "") -> DemandeRattachement:
    """A claim on the organisation of this kind with this SIREN/SIRET (typed by the person)."""
    handler = rattachements.get(kind)
    number = handler.parse(identifiant)
    organisation = handler.find(number)
    if organisation is None:
        raise ValidationError({"identifiant": handler.unknown})
    return submit_claim(user, kind, organisation.pk, message)


def _decision_email(demande: DemandeRattachement) -> None:
    if demande.statut == Statut.ACCEPTEE:
        subject = f"Votre demande de rattachement à {demande.nom_organisation} est acceptée"
        body = (
            f"Bonjour,\n\nLes opérateurs du plan ont accepté votre demande : vous êtes désormais "
            f"membre de « {demande.nom_organisation} » sur Osez l'IA.\n\n"
            f"Votre espace : {site_url('/espace/')}\n"
        )
    else:
        subject = f"Votre demande de rattachement à {demande.nom_organisation} est refusée"
        body = (
            f"Bonjour,\n\nLes opérateurs du plan ont refusé votre demande de rattachement à "
            f"« {demande.nom_organisation} ».\n\nMotif : {demande.motif_refus}\n\n"
            "Vous pouvez envoyer une nouvelle demande avec les justificatifs demandés.\n"
        )
    send_email_later(subject, body, [demande.demandeur.email])


@transaction.atomic
def accept_claim(demande: DemandeRattachement, operator) -> DemandeRattachement:
    """The operator accepts: the person becomes a member, through the organisation's app."""
    from .permissions import is_operator

    if not is_operator(operator):
        raise PermissionDenied("Seuls les opérateurs décident des rattachements.")
    demande = (
        DemandeRattachement.objects.select_for_update()
        .select_related("demandeur")
        .get(pk=demande.pk)
    )
    if demande.statut != Statut.EN_ATTENTE:
        raise ValidationError("Cette demande a déjà été traitée.")
    handler = rattachements.get(demande.type_organisation)
    if handler.describe(demande.organisation_id) is None:
        raise ValidationError("L'organisation n'existe plus : refusez la demande.")
    if not handler.is_member(demande.demandeur, demande.organisation_id):
        handler.add_member(demande.demandeur, demande.organisation_id)
    demande.statut = Statut.ACCEPTEE
    demande.decide_par = operator
    demande.decide_le = timezone.now()
    demande.save(update_fields=["statut", "decide_par", "decide_le"])
    _decision_email(demande)
    return demande


@transaction.atomic
def refuse_claim(demande: DemandeRattachement, operator, motif: str) -> DemandeRattachement:
    from .permissions import is_operator

    if not is_operator(operator):
        raise PermissionDenied("Seuls les opérateurs décident des rattachements.")
    try:
        motif = clean_text(motif, "Motif", MAX_MESSAGE, multiline=True)
    except ValidationError as exc:
        raise ValidationError({"motif": exc.messages}) from exc
    if not motif:
        raise ValidationError({"motif": "Indiquez au demandeur la raison du refus."})
    demande = (
        DemandeRattachement.objects.select_for_update()
        .select_related("demandeur")
        .get(pk=demande.pk)
    )
    if demande.statut != Statut.EN_ATTENTE:
        raise ValidationError("Cette demande a déjà été traitée.")
    demande.statut = Statut.REFUSEE
    demande.motif_refus = motif
    demande.decide_par = operator
    demande.decide_le = timezone.now()
    demande.save(update_fields=["statut", "motif_refus", "decide_par", "decide_le"])
    _decision_email(demande)
    return demande


def pending_claims():
    return (
        DemandeRattachement.objects.filter(statut=Statut.EN_ATTENTE)
        .select_related("demandeur")
        .order_by("cree_le", "pk")
    )


def recent_decisions(limit: int = 10):
    """The last claims operators decided, newest first (for the operators' page)."""
    return (
        DemandeRattachement.objects.exclude(statut=Statut.EN_ATTENTE)
        .select_related("demandeur", "decide_par")
        .order_by("-decide_le", "-pk")[:limit]
    )


def claims_of(user):
    return DemandeRattachement.objects.filter(demandeur=user).order_by("-cree_le", "-pk")
