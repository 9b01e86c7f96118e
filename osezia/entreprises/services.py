"""Company use cases: validation, creation, edition, membership, size category."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from osezia.comptes import services as comptes
from osezia.comptes.models import Adhesion, InvitationEntreprise, Role, Utilisateur
from osezia.comptes.services import add_membership, grant_role, remove_membership
from osezia.referentiels.models import CategorieTaille, Departement, Naf, NiveauNaf
from osezia.referentiels.naf import normalize_code

from . import inscription, permissions, recherche_entreprises, taille
from .identifiants import Identifiant, InvalidIdentifier, parse_siren_or_siret
from .models import Entreprise

MAX_DESCRIPTION = 5000


@dataclass
class DonneesEntreprise:
    """What a person gives to register or edit a company (money in euros)."""

    identifiant: str
    denomination: str
    naf: str
    effectif: int | None
    departement: str
    chiffre_affaires_eur: int | None = None
    total_bilan_eur: int | None = None
    adresse: str = ""
    code_postal: str = ""
    commune: str = ""
    description: str = ""


@dataclass(frozen=True)
class DonneesValidees:
    identifiant: Identifiant
    denomination: str
    naf: Naf
    effectif: int
    departement: Departement
    chiffre_affaires_eur: int | None
    total_bilan_eur: int | None
    taille: taille.SizeResult
    adresse: str
    code_postal: str
    commune: str
    description: str


def check_identifier(value: str) -> Identifiant:
    """A valid SIREN/SIRET, or InvalidIdentifier with a French reason."""
    return parse_siren_or_siret(value)


def compute_size(effectif, chiffre_affaires_eur=None, total_bilan_eur=None) -> taille.SizeResult:
    return taille.size_category(effectif, chiffre_affaires_eur, total_bilan_eur)


def find_sous_classe(code: str) -> Naf | None:
    """The sous-classe of a code however it is typed (« 1071 c », « 10.71 C » → 10.71C)."""
    return Naf.objects.filter(code=normalize_code(code), niveau=NiveauNaf.SOUS_CLASSE).first()


def validate(data: DonneesEntreprise) -> DonneesValidees:
    """Check every field; raise ValidationError with one French message per wrong field."""
    errors: dict[str, str] = {}
    identifiant = None
    try:
        identifiant = check_identifier(data.identifiant)
    except InvalidIdentifier as exc:
        errors["identifiant"] = str(exc)
    denomination = (data.denomination or "").strip()
    if not denomination:
        errors["denomination"] = "Indiquez le nom de l'entreprise."
    naf = find_sous_classe(data.naf)
    if naf is None:
        errors["naf"] = (
            f"« {(data.naf or '').strip()} » n'est pas une sous-classe de la NAF rév. 2 "
            "(par exemple 10.71C)."
        )
    departement = Departement.objects.filter(code=(data.departement or "").strip().upper()).first()
    if departement is None:
        errors["departement"] = f"« {data.departement} » n'est pas un code de département connu."
    size = None
    try:
        size = compute_size(data.effectif, data.chiffre_affaires_eur, data.total_bilan_eur)
    except taille.InvalidFigures as exc:
        errors[exc.field] = str(exc)
    code_postal = (data.code_postal or "").strip()
    if code_postal and not (len(code_postal) == 5 and code_postal.isdigit()):
        errors["code_postal"] = "Le code postal compte 5 chiffres."
    if len(data.description or "") > MAX_DESCRIPTION:
        errors["description"] = f"La description ne doit pas dépasser {MAX_DESCRIPTION} caractères."
    if errors:
        raise ValidationError(errors)
    return DonneesValidees(
        identifiant=identifiant,
        denomination=denomination,
        naf=naf,
        effectif=data.effectif,
        departement=departement,
        chiffre_affaires_eur=data.chiffre_affaires_eur,
        total_bilan_eur=data.total_bilan_eur,
        taille=size,
        adresse=(data.adresse or "").strip(),
        code_postal=code_postal,
        commune=(data.commune or "").strip(),
        description=(data.description or "").strip(),
    )


def _cents(euros: int | None) -> int | None:
    return None if euros is None else int(euros) * 100


def _apply(entreprise: Entreprise, valid: DonneesValidees) -> None:
    entreprise.denomination = valid.denomination
    entreprise.siret = valid.identifiant.siret or entreprise.siret or ""
    entreprise.naf = valid.naf
    entreprise.effectif = valid.effectif
    entreprise.chiffre_affaires_cents = _cents(valid.chiffre_affaires_eur)
    entreprise.total_bilan_cents = _cents(valid.total_bilan_eur)
    entreprise.categorie_taille = valid.taille.categorie
    entreprise.taille_estimee = valid.taille.estimation
    entreprise.departement = valid.departement
    entreprise.region_id = valid.departement.region_id
    entreprise.adresse = valid.adresse
    entreprise.code_postal = valid.code_postal
    entreprise.commune = valid.commune
    entreprise.description = valid.description


REGISTER_UNKNOWN = (
    "Le répertoire des entreprises (INSEE) ne connaît pas ce numéro : vérifiez le SIRET ou le "
    "SIREN sur votre extrait Kbis ou votre avis de situation SIRENE."
)
REGISTER_DOWN = (
    "Le répertoire des entreprises ne répond pas pour le moment : réessayez dans quelques "
    "minutes (le nom et l'activité de l'entreprise en sont repris)."
)


def register_enabled() -> bool:
    """True when an operator turned the « Recherche d'entreprises » connector on: the name and
    the NAF code of a company then come from the public register, never from what was typed."""
    return bool(settings.RECHERCHE_ENTREPRISES_ENABLED)


def registration_summary() -> str:
    """What registering a company does, in words true to the platform's settings."""
    if register_enabled():
        identity = (
            "le nom et le secteur d'activité (code NAF) sont repris du répertoire des "
            "entreprises de l'INSEE"
        )
    else:
        identity = "vous indiquez le nom et le code NAF, avec l'aide d'une recherche par métier"
    return (
        f"Avec son SIRET ou son SIREN : {identity} ; la catégorie de taille (TPE, PME, ETI, "
        "grande entreprise) est calculée selon le décret n° 2008-1354 à partir de l'effectif "
        "et du chiffre d'affaires que vous indiquez."
    )


def _from_register(
    data: DonneesEntreprise, current: Entreprise | None = None
) -> tuple[DonneesEntreprise, bool]:
    """When the connector is on, the data with the register's name and NAF code in place of
    the typed ones (the SIRET, an empty address and department completed from it), and True.
    The connector off, the data unchanged and False. A number the register does not know is
    refused; an edit while the register does not answer keeps the stored name and NAF."""
    from dataclasses import replace

    if not register_enabled():
        return data, False
    try:
        identifiant = check_identifier(data.identifiant)
    except InvalidIdentifier:
        return data, False  # `validate` reports it
    try:
        fiche = recherche_entreprises.lookup(
            identifiant.siret or identifiant.siren,
            settings.RECHERCHE_ENTREPRISES_URL,
            timeout=settings.RECHERCHE_ENTREPRISES_TIMEOUT,
            strict=True,
        )
    except recherche_entreprises.RegisterUnavailable as exc:
        if current is not None:
            return replace(data, denomination=current.denomination, naf=current.naf_id), False
        raise ValidationError({"identifiant": REGISTER_DOWN}) from exc
    if fiche is None:
        raise ValidationError({"identifiant": REGISTER_UNKNOWN})
    completed = replace(
        data,
        identifiant=fiche.siret or data.identifiant,
        denomination=fiche.denomination,
        naf=fiche.naf,
        adresse=data.adresse or fiche.adresse,
        code_postal=data.code_postal or fiche.code_postal,
        commune=data.commune or fiche.commune,
        departement=data.departement or fiche.departement,
    )
    return completed, True


ALREADY_REGISTERED = (
    "Cette entreprise est déjà inscrite sur la plateforme : demandez à son administrateur "
    "de vous inviter, ou demandez votre rattachement aux opérateurs du plan."
)


def create_entreprise(user: Utilisateur | None, data: DonneesEntreprise, request=None):
    """Register a company; its creator becomes its admin member (none when `user` is None,
    for a company an operator registers on its behalf) and the `Entreprise` is returned.
    With the register connector on, its name and NAF code are the register's
    (`_from_register`). After the commit, `inscription.entreprise_inscrite` is sent (with the
    page's `request` when there is one), so that the apps above can follow up (the diagnostic
    just completed is attached to the company).

    When the SIREN is already registered, nobody joins it by typing it: the person's request
    goes to the operators as a pending claim (`DemandeRattachement`, returned instead); the
    company and its admin are left untouched."""
    data, from_register = _from_register(data)  # the register is asked before the transaction
    return _create(user, data, from_register, request)


@transaction.atomic
def _create(user, data: DonneesEntreprise, from_register: bool, request):
    valid = validate(data)
    existing = Entreprise.objects.filter(siren=valid.identifiant.siren).first()
    if existing is not None:
        return _claim_or_refuse(user, existing, valid)
    entreprise = Entreprise(siren=valid.identifiant.siren)
    _apply(entreprise, valid)
    if from_register:
        entreprise.source = Entreprise.Source.RECHERCHE_ENTREPRISES
    try:
        with transaction.atomic():
            entreprise.save()
    except IntegrityError as exc:  # a concurrent registration of the same SIREN
        existing = Entreprise.objects.filter(siren=valid.identifiant.siren).first()
        if existing is None:
            raise ValidationError({"identifiant": ALREADY_REGISTERED}) from exc
        return _claim_or_refuse(user, existing, valid)
    if user is not None:
        add_membership(user, entreprise, admin=True)
        grant_role(user, Role.ENTREPRISE)
    inscription.send_after_commit(entreprise, user, request)
    return entreprise


def _claim_or_refuse(user, existing: Entreprise, valid: DonneesValidees):
    from osezia.comptes.models import TypeOrganisation
    from osezia.comptes.services import submit_claim

    if user is None:
        raise ValidationError({"identifiant": ALREADY_REGISTERED})
    if Adhesion.objects.filter(utilisateur=user, entreprise=existing).exists():
        raise ValidationError({"identifiant": "Vous êtes déjà membre de cette entreprise."})
    return submit_claim(
        user,
        TypeOrganisation.ENTREPRISE,
        existing.pk,
        f"Demande faite en inscrivant l'entreprise sous le nom « {valid.denomination} ».",
    )


def update_entreprise(entreprise: Entreprise, data: DonneesEntreprise) -> Entreprise:
    """Edit a company; its SIREN never changes (a SIRET of another company is refused). With
    the register connector on, the name and NAF code are the register's, never the typed ones."""
    try:
        same_siren = check_identifier(data.identifiant).siren == entreprise.siren
    except InvalidIdentifier:
        same_siren = True  # `validate` reports it
    if not same_siren:
        raise ValidationError(
            {"identifiant": "Le SIRET doit appartenir à cette entreprise (même SIREN)."}
        )
    data, from_register = _from_register(data, current=entreprise)  # before the transaction
    return _update(entreprise, data, from_register)


@transaction.atomic
def _update(entreprise: Entreprise, data: DonneesEntreprise, from_register: bool) -> Entreprise:
    valid = validate(data)
    _apply(entreprise, valid)
    if from_register:
        entreprise.source = Entreprise.Source.RECHERCHE_ENTREPRISES
    entreprise.save()
    return entreprise


@transaction.atomic
def add_member(entreprise: Entreprise, user: Utilisateur, admin: bool = False) -> Adhesion:
    """Make a person a member (an accepted invitation or claim); idempotent. `admin` makes
    them the company's admin, only when it has none.

    The company row is locked first, so that two claims accepted at the same time on a
    company without admin give one admin and one plain member (not a constraint error)."""
    Entreprise.objects.select_for_update().filter(pk=entreprise.pk).first()
    adhesion = add_membership(user, entreprise, admin=admin)
    grant_role(user, Role.ENTREPRISE)
    return adhesion


INVITATIONS_PER_DAY = 20
INVITATION_VALIDITY = timedelta(days=14)
INVITATION_EXPIRED = (
    "Cette invitation a expiré : demandez à l'administrateur de l'entreprise de vous inviter "
    "à nouveau."
)
INVITATION_SENT = (
    "Invitation envoyée à {email}. La personne rejoindra l'entreprise quand elle l'aura "
    "acceptée depuis son espace, avec un compte qui utilise cette adresse."
)


@transaction.atomic
def invite_member(entreprise: Entreprise, email: str, invited_by: Utilisateur) -> str:
    """Invite an e-mail address to join the company and return the message to show.

    The answer is the same whether or not an account uses the address (and whether or not the
    person is already a member): an admin cannot use it to find out who has an account. The
    e-mail goes to the address itself, which is the only one to learn anything; the person
    joins by accepting, logged in with that address verified."""
    from osezia.comptes.services import send_email_later, site_url
    from osezia.socle.ratelimit import consume

    email = comptes.invitation_email(email)
    answer = INVITATION_SENT.format(email=email)
    already_member = Adhesion.objects.filter(
        entreprise=entreprise, utilisateur__email__iexact=email
    ).exists()
    waiting = InvitationEntreprise.objects.filter(
        entreprise=entreprise,
        email__iexact=email,
        statut=InvitationEntreprise.Statut.EN_ATTENTE,
    )
    live = waiting.filter(_inviter_still_allowed(), cree_le__gt=expiry_threshold())
    pending = live.exists()
    if already_member or pending:
        return answer
    consume(
        "invitation_entreprise",
        f"u{invited_by.pk}" if invited_by else f"e{entreprise.pk}",
        INVITATIONS_PER_DAY,
        86400,
        "Vous avez envoyé beaucoup d'invitations aujourd'hui : réessayez demain.",
    )
    # An expired or void invitation to the same address gives way to the new one.
    comptes.cancel_invitations(waiting.exclude(pk__in=live.values("pk")))
    if comptes.create_invitation(entreprise, email, invited_by) is None:
        return answer  # the same invitation sent twice at once
    who = (invited_by.get_full_name() or invited_by.email) if invited_by else "Un opérateur"
    send_email_later(
        f"Invitation à rejoindre {entreprise.denomination}",
        f"Bonjour,\n\n{who} vous invite à rejoindre l'entreprise « {entreprise.denomination} » "
        f"(SIREN {entreprise.siren}) sur la plateforme Osez l'IA.\n\n"
        "Connectez-vous avec cette adresse électronique, ou créez votre compte avec elle, puis "
        f"acceptez l'invitation dans « Mon espace » : {site_url('/espace/')}\n\n"
        f"L'invitation est valable {INVITATION_VALIDITY.days} jours.\n\n"
        "Si vous ne connaissez pas cette entreprise, ignorez ce message : rien ne se passera.\n",
        [email],
    )
    return answer


def verified_emails(user) -> list[str]:
    from allauth.account.models import EmailAddress

    return [
        e.lower()
        for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    ]


def expiry_threshold():
    """Invitations created at or before this instant have expired."""
    return timezone.now() - INVITATION_VALIDITY


def _inviter_still_allowed() -> Q:
    """The invitation was sent by someone who may still add members: the company's current
    admin, an operator, or nobody in particular (sent by the platform). An invitation whose
    sender lost these rights by any path (the back office included) can no longer be
    accepted, even before it is cancelled."""
    from osezia.comptes.models import AttributionRole

    return (
        Q(invite_par__isnull=True)
        | Q(invite_par__is_superuser=True)
        | Exists(
            Adhesion.objects.filter(
                utilisateur=OuterRef("invite_par"),
                entreprise=OuterRef("entreprise"),
                est_admin=True,
            )
        )
        | Exists(
            AttributionRole.objects.filter(utilisateur=OuterRef("invite_par"), role=Role.OPERATEUR)
        )
    )


def _addressed_to(user):
    """Every waiting invitation addressed to one of this person's verified addresses, expired
    or not."""
    from django.db.models.functions import Lower

    if not (user and user.is_authenticated):
        return InvitationEntreprise.objects.none()
    return (
        InvitationEntreprise.objects.annotate(email_l=Lower("email"))
        .filter(email_l__in=verified_emails(user), statut=InvitationEntreprise.Statut.EN_ATTENTE)
        .filter(_inviter_still_allowed())
        .select_related("entreprise", "invite_par")
        .order_by("-cree_le", "-pk")
    )


def invitations_for(user):
    """The pending (not expired) invitations addressed to one of this person's verified
    addresses."""
    return _addressed_to(user).filter(cree_le__gt=expiry_threshold())


@transaction.atomic
def answer_invitation(user, invitation_id: int, accept: bool):
    """The invited person accepts (becomes a member) or declines. An invitation addressed to
    someone else is unknown to them (`Http404`); an expired one cannot be accepted
    (`ValidationError`)."""
    invitation = (
        _addressed_to(user).select_for_update(of=("self",)).filter(pk=invitation_id).first()
    )
    if invitation is None:
        raise Http404("Invitation introuvable")
    if accept and invitation.cree_le <= expiry_threshold():
        raise ValidationError({"invitation": INVITATION_EXPIRED})
    if accept:
        add_member(invitation.entreprise, user)
    return comptes.answer_invitation(invitation, accept)


def pending_invitations(entreprise: Entreprise):
    """The company's unanswered invitations, newest first, for its admin: each with `expire_le`
    and `expiree` (an expired one can no longer be accepted). Those whose sender lost the
    right to invite are void and not shown."""
    return (
        entreprise.invitations.filter(statut=InvitationEntreprise.Statut.EN_ATTENTE)
        .filter(_inviter_still_allowed())
        .annotate(
            expire_le=ExpressionWrapper(
                F("cree_le") + INVITATION_VALIDITY, output_field=InvitationEntreprise.cree_le.field
            ),
            expiree=ExpressionWrapper(
                Q(cree_le__lte=expiry_threshold()), output_field=BooleanField()
            ),
        )
        .order_by("-cree_le", "-pk")
    )


@transaction.atomic
def cancel_invitation(entreprise: Entreprise, invitation_id: int, by) -> InvitationEntreprise:
    """The company's admin (or an operator) cancels an unanswered invitation: it can no longer
    be accepted. Unknown to anyone else (`Http404`), as is an invitation of another company."""
    if not permissions.can_manage_members(by, entreprise):
        raise Http404("Invitation introuvable")
    invitation = (
        InvitationEntreprise.objects.select_for_update()
        .filter(entreprise=entreprise, pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise Http404("Invitation introuvable")
    return comptes.cancel_invitation(invitation)


def cancel_invitations_sent_by(entreprise: Entreprise, user) -> int:
    """Cancel the unanswered invitations `user` sent for the company: to call, in the same
    transaction, wherever a person leaves the company or loses its admin rights."""
    return comptes.cancel_invitations_sent_by(entreprise, user)


@transaction.atomic
def remove_member(entreprise: Entreprise, adhesion_id: int) -> None:
    """Remove a plain member; the invitations they sent that are still unanswered are
    cancelled with it."""
    adhesion = (
        Adhesion.objects.select_for_update()
        .filter(entreprise=entreprise, pk=adhesion_id)
        .select_related("utilisateur")
        .first()
    )
    if adhesion is None:
        raise ValidationError({"membre": "Ce membre n'appartient pas à l'entreprise."})
    remove_membership(adhesion)  # refuses the admin
    cancel_invitations_sent_by(entreprise, adhesion.utilisateur)


def lookup_register(identifiant: str) -> recherche_entreprises.FicheEntreprise | None:
    """What the public register says of a SIRET, when an operator enabled the connector."""
    if not settings.RECHERCHE_ENTREPRISES_ENABLED:
        return None
    return recherche_entreprises.lookup(
        identifiant,
        settings.RECHERCHE_ENTREPRISES_URL,
        timeout=settings.RECHERCHE_ENTREPRISES_TIMEOUT,
    )


def count_by_size() -> list[dict]:
    """Registered companies per size category, with the plan's 2030 target for each."""
    from osezia.socle import plan

    counts = dict(
        Entreprise.objects.values_list("categorie_taille").annotate(n=Count("id")).order_by()
    )
    return [
        {
            "code": c.code,
            "libelle": c.libelle,
            "count": counts.get(c.code, 0),
            "target": plan.target_pct(c.code),
        }
        for c in CategorieTaille.objects.all()
    ]
