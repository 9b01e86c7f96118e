"""Catalogue use cases: import and export, providers' drafts and submissions, moderation,
history, contact requests, statistics, recommendations. Every change that spans tables is one
transaction; each change the search index must follow is logged in that same transaction
(`recherche.services.mark_changed`) and applied by the index's applier."""

import json
import logging
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from osezia.referentiels.queries import naf_index
from osezia.socle.regles import MESSAGE, forbidden_characters
from osezia.socle.validation import clean_text

from . import format as fmt
from .models import (
    DemandeContact,
    EvenementSolution,
    Fournisseur,
    JetonAPI,
    Solution,
    VersionSolution,
)

Statut = VersionSolution.Statut
logger = logging.getLogger(__name__)


def known_naf() -> set[str]:
    return set(naf_index())


def validate(raw: dict) -> fmt.SolutionData:
    try:
        return fmt.validate_line(raw, known_naf())
    except fmt.InvalidSolution as exc:
        raise ValidationError(exc.errors) from exc


def _reindex(keys: list[str], schedule: bool = True) -> None:
    """Log in the current transaction that these solutions must be brought up to date in the
    search index (the worker applies the log after the commit; a lost task is repaired by
    the next run of the applier)."""
    from osezia.recherche import services as recherche

    recherche.mark_changed("solution", keys, schedule=schedule)


def _log(solution, action: str, version=None, auteur=None, detail: str = "") -> None:
    EvenementSolution.objects.create(
        solution=solution, version=version, action=action, auteur=auteur, detail=detail
    )


def provider_for(data: fmt.SolutionData) -> Fournisseur:
    fournisseur, created = Fournisseur.objects.get_or_create(
        siren=data.fournisseur_siren, defaults={"nom": data.fournisseur_nom}
    )
    return fournisseur


def _new_version(
    solution: Solution, data: fmt.SolutionData, statut: str, auteur, source: str
) -> VersionSolution:
    last = solution.versions.order_by("-numero").values_list("numero", flat=True).first() or 0
    return VersionSolution.objects.create(
        solution=solution,
        numero=last + 1,
        statut=statut,
        contenu=data.contenu(),
        nom=data.nom,
        auteur=auteur,
        source=source,
    )


def _publish(solution: Solution, version: VersionSolution, moderateur=None) -> None:
    if solution.version_publiee_id and solution.version_publiee_id != version.pk:
        VersionSolution.objects.filter(pk=solution.version_publiee_id).update(
            statut=Statut.REMPLACEE
        )
    version.statut = Statut.PUBLIEE
    version.moderateur = moderateur
    version.decide_le = timezone.now()
    version.save(update_fields=["statut", "moderateur", "decide_le"])
    solution.version_publiee = version
    if solution.version_en_cours_id == version.pk:
        solution.version_en_cours = None
    solution.retiree = False
    solution.save(update_fields=["version_publiee", "version_en_cours", "retiree", "modifie_le"])


# Import and export ----------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    index_problem: str | None = None  # why the search index is not up to date, if it is not

    @property
    def valid(self) -> int:
        return self.created + self.updated + self.unchanged


def read_lines(path) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line number, parsed object or None, French error) for a JSON Lines or CSV file.

    CSV cells written by the platform's own export carry a leading `'` against formula
    injection (`osezia.socle.csvsafe`); the reader takes it off so that export → import is exact."""
    from osezia.socle import csvsafe

    name = str(path).lower()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        if name.endswith(".csv"):
            reader = csvsafe.DictReader(handle)
            missing = [c for c in ("id_externe", "nom") if c not in (reader.fieldnames or [])]
            if missing:
                yield (
                    1,
                    None,
                    f"en-tête CSV incomplet : colonne(s) manquante(s) {', '.join(missing)}",
                )
                return
            for number, row in enumerate(reader, start=2):
                yield number, fmt.csv_row_to_line(row), None
            return
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                yield number, json.loads(text), None
            except json.JSONDecodeError as exc:
                yield number, None, f"JSON illisible ({exc.msg}, colonne {exc.colno})"


APPLY_EVERY = 500  # an import applies the search change log every so many changed lines


def import_lines(
    lines: Iterable[tuple[int, dict | None, str | None]],
    auteur=None,
    dry_run: bool = False,
    progress=None,
) -> ImportReport:
    """Import a trusted catalogue (operators): each valid line is published at once, in its
    own transaction; a re-import updates by `id_externe` and never duplicates; bad lines are
    reported with their number and skipped. Each line's change is logged for the search index
    in the line's transaction, and the log is applied every `APPLY_EVERY` lines: an import
    killed half-way leaves the log to finish the job, and the end of the import finishes it
    (`recherche.finish_after_import`; `report.index_problem` says when it could not)."""
    from osezia.recherche import services as recherche

    report = ImportReport()
    for number, raw, error in lines:
        if progress:
            progress()
        if error:
            report.errors.append((number, {"ligne": error}))
            continue
        try:
            data = validate(raw)
        except ValidationError as exc:
            report.errors.append((number, {k: " ".join(v) for k, v in exc.message_dict.items()}))
            continue
        try:
            outcome = _import_one(data, auteur, dry_run)
        except ValidationError as exc:
            report.errors.append((number, {k: " ".join(v) for k, v in exc.message_dict.items()}))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
        if outcome != "unchanged":
            report.keys.append(data.id_externe)
            if not dry_run and len(report.keys) % APPLY_EVERY == 0:
                recherche.apply_or_schedule()
    if not dry_run:
        report.index_problem = recherche.finish_after_import()
    return report


def _import_one(data: fmt.SolutionData, auteur, dry_run: bool) -> str:
    with transaction.atomic():
        solution = (
            Solution.objects.select_for_update(of=("self",))
            .select_related("fournisseur", "version_publiee")
            .filter(id_externe=data.id_externe)
            .first()
        )
        if solution and solution.fournisseur.siren != data.fournisseur_siren:
            raise ValidationError(
                {
                    "fournisseur.siren": "cet identifiant appartient déjà à la solution d'un autre fournisseur"
                }
            )
        if (
            solution
            and solution.version_publiee
            and solution.version_publiee.contenu == data.contenu()
            and not solution.retiree
        ):
            return "unchanged"
        outcome = "updated" if solution else "created"
        if dry_run:
            transaction.set_rollback(True)
            return outcome
        fournisseur = provider_for(data)
        if solution is None:
            try:
                with transaction.atomic():
                    solution = Solution.objects.create(
                        id_externe=data.id_externe, fournisseur=fournisseur
                    )
            except IntegrityError as exc:
                raise ValidationError(
                    {"id_externe": "importé en même temps par ailleurs : relancez l'import"}
                ) from exc
        version = _new_version(solution, data, Statut.SOUMISE, auteur, "import")
        _publish(solution, version, auteur)
        _log(solution, "import", version, auteur, "publiée directement (import d'un opérateur)")
        _reindex([solution.id_externe], schedule=False)  # applied by the import as it goes
        return outcome


def export_lines() -> Iterator[dict]:
    """The published catalogue in the exchange format."""
    solutions = (
        Solution.objects.filter(version_publiee__isnull=False, retiree=False)
        .select_related("fournisseur", "version_publiee")
        .order_by("id_externe")
    )
    for solution in solutions.iterator(chunk_size=500):
        yield fmt.to_line(
            solution.id_externe,
            solution.fournisseur.nom,
            solution.fournisseur.siren,
            solution.version_publiee.contenu,
        )


# Providers ----------------------------------------------------------------------------


ID_TAKEN = (
    "Une solution porte déjà cet identifiant : modifiez-la avec PUT (ou choisissez-en un autre)."
)
ID_FIXED = "L'identifiant d'une solution ne change pas : il reste « {id_externe} »."


def create_solution(
    fournisseur: Fournisseur, raw: dict, auteur, source: str = "espace", submit_now: bool = False
) -> Solution:
    """A new solution of this provider (page, API): its identifier must be new to the
    catalogue (compared exactly: `SOL-1` and `sol-1` are two solutions), else a French
    ValidationError on `id_externe`, also when two requests create it at the same moment."""
    return save_draft(fournisseur, raw, auteur, source, submit_now=submit_now, creation=True)


def update_solution(
    fournisseur: Fournisseur,
    solution: Solution,
    raw: dict,
    auteur,
    source: str = "espace",
    submit_now: bool = False,
) -> Solution:
    """New content for one of this provider's solutions (page, API). The identifier never
    changes: a line without one gets the solution's, a different one is a French
    ValidationError on `id_externe`; another provider's solution is PermissionDenied."""
    if solution.fournisseur_id != fournisseur.pk:
        raise PermissionDenied("Cette solution appartient à un autre fournisseur.")
    given = raw.get("id_externe")
    if given not in (None, "") and (
        not isinstance(given, str) or given.strip() != solution.id_externe
    ):
        raise ValidationError({"id_externe": ID_FIXED.format(id_externe=solution.id_externe)})
    return save_draft(
        fournisseur,
        {**raw, "id_externe": solution.id_externe},
        auteur,
        source,
        submit_now=submit_now,
    )


@transaction.atomic
def save_draft(
    fournisseur: Fournisseur,
    raw: dict,
    auteur,
    source: str = "espace",
    submit_now: bool = False,
    creation: bool = False,
) -> Solution:
    """Create or update a solution of this provider as a draft (or submitted) version; the
    published version, if any, stays online until a moderator publishes the new one.

    A solution has at most one version in progress: a draft, a refused version or a version
    still waiting for moderation is replaced in place (the history keeps each change).
    `creation` (a POST): the identifier must be new, else a French ValidationError, also when
    two requests create it at the same moment."""
    data = validate(raw)
    if data.fournisseur_siren != fournisseur.siren:
        raise ValidationError(
            {"fournisseur.siren": "ce SIREN n'est pas celui de votre organisation"}
        )
    solution = Solution.objects.select_for_update().filter(id_externe=data.id_externe).first()
    if solution is not None and creation:
        raise ValidationError({"id_externe": ID_TAKEN})
    if solution is None:
        try:
            with transaction.atomic():
                solution = Solution.objects.create(
                    id_externe=data.id_externe, fournisseur=fournisseur
                )
        except IntegrityError as exc:
            # Created by a concurrent request between our look-up and our insert.
            raise ValidationError({"id_externe": ID_TAKEN}) from exc
        action = "creation"
    elif solution.fournisseur_id != fournisseur.pk:
        raise PermissionDenied("Cette solution appartient à un autre fournisseur.")
    else:
        action = "modification"
    statut = Statut.SOUMISE if submit_now else Statut.BROUILLON
    detail = "soumise à la modération" if submit_now else "brouillon"
    current = solution.version_en_cours
    if current and current.statut in (Statut.BROUILLON, Statut.REFUSEE):
        current.contenu, current.nom, current.statut, current.motif_refus = (
            data.contenu(),
            data.nom,
            statut,
            "",
        )
        current.auteur = auteur
        current.save(update_fields=["contenu", "nom", "statut", "motif_refus", "auteur"])
        version = current
    else:
        if current and current.statut == Statut.SOUMISE:
            # Still waiting for moderation: the new content takes its place (one row, never a
            # pile). It gets a new key, so that a moderator's decision taken on
            # the old content cannot publish the new one unseen.
            detail += " (remplace la soumission précédente, jamais modérée)"
            solution.version_en_cours = None
            solution.save(update_fields=["version_en_cours"])
            current.delete()
        version = _new_version(solution, data, statut, auteur, source)
    solution.version_en_cours = version
    solution.save(update_fields=["version_en_cours", "modifie_le"])
    _log(solution, action, version, auteur, detail)
    return solution


@transaction.atomic
def submit(solution: Solution, auteur) -> VersionSolution:
    """Send the version in progress to moderation (`permissions.can_submit` says which)."""
    from .permissions import can_submit

    solution = (
        Solution.objects.select_for_update(of=("self",))
        .select_related("version_en_cours")
        .get(pk=solution.pk)
    )
    if not can_submit(solution):
        raise ValidationError("Aucun brouillon à soumettre.")
    version = solution.version_en_cours
    version.statut = Statut.SOUMISE
    version.motif_refus = ""
    version.save(update_fields=["statut", "motif_refus"])
    _log(solution, "soumission", version, auteur)
    return version


@transaction.atomic
def publish(version: VersionSolution, moderateur) -> Solution:
    version = VersionSolution.objects.select_for_update().get(pk=version.pk)
    if version.statut != Statut.SOUMISE:
        raise ValidationError("Seule une version soumise peut être publiée.")
    solution = Solution.objects.select_for_update().get(pk=version.solution_id)
    _publish(solution, version, moderateur)
    _log(solution, "publication", version, moderateur)
    _reindex([solution.id_externe])
    return solution


@transaction.atomic
def refuse(version: VersionSolution, moderateur, motif: str) -> VersionSolution:
    if forbidden_characters(motif or "", multiline=True):
        raise ValidationError({"motif": MESSAGE})
    motif = (motif or "").strip()
    if not motif:
        raise ValidationError({"motif": "Indiquez au fournisseur la raison du refus."})
    version = VersionSolution.objects.select_for_update().get(pk=version.pk)
    if version.statut != Statut.SOUMISE:
        raise ValidationError("Seule une version soumise peut être refusée.")
    version.statut = Statut.REFUSEE
    version.motif_refus = motif[:2000]
    version.moderateur = moderateur
    version.decide_le = timezone.now()
    version.save(update_fields=["statut", "motif_refus", "moderateur", "decide_le"])
    _log(version.solution, "refus", version, moderateur, motif)
    return version


@transaction.atomic
def withdraw(solution: Solution, auteur, motif: str = "") -> Solution:
    """Take a solution off the catalogue at once (no moderation: a provider must be able to do
    it immediately); recorded in its history with its author and reason, and the operators are
    told by e-mail (they also see it among the recent withdrawals of the moderation page)."""
    from osezia.comptes.services import notify_operators

    solution = (
        Solution.objects.select_for_update(of=("self",))
        .select_related("fournisseur", "version_publiee")
        .get(pk=solution.pk)
    )
    try:
        motif = clean_text(motif, "Motif du retrait", 2000, multiline=True)
    except ValidationError as exc:
        raise ValidationError({"motif": exc.messages}) from exc
    solution.retiree = True
    solution.save(update_fields=["retiree", "modifie_le"])
    _log(solution, "retrait", solution.version_publiee, auteur, motif)
    _reindex([solution.id_externe])
    who = (auteur.get_full_name() or auteur.email) if auteur else "un opérateur"
    notify_operators(
        f"Solution retirée du catalogue : {solution}",
        f"« {solution} » ({solution.fournisseur.nom}, SIREN {solution.fournisseur.siren}) "
        f"a été retirée du catalogue par {who}"
        f"{f' ({auteur.email})' if auteur else ''}.\n\nMotif : {motif or '(aucun)'}\n\n"
        "Le retrait est immédiat ; il figure dans l'historique de la solution et parmi les "
        "retraits récents de la page de modération.\n",
    )
    return solution


def recent_withdrawals(days: int = 30):
    """The withdrawals of the last `days` days, newest first (for the moderation page)."""
    since = timezone.now() - timedelta(days=days)
    return (
        EvenementSolution.objects.filter(action="retrait", cree_le__gte=since)
        .select_related("solution__fournisseur", "auteur", "version")
        .order_by("-cree_le", "-pk")
    )


# API tokens ----------------------------------------------------------------------------


def create_token(fournisseur: Fournisseur, user, nom: str) -> str:
    """A new token; its secret is shown once and only its hash is kept."""
    if forbidden_characters(nom or ""):
        nom = ""  # a label only: control characters are never stored, the default name is used
    secret = "osz_" + secrets.token_urlsafe(32)
    JetonAPI.objects.create(
        fournisseur=fournisseur,
        utilisateur=user,
        nom=nom[:100] or "Jeton",
        prefixe=secret[:10],
        empreinte=JetonAPI.hash(secret),
    )
    return secret


@transaction.atomic
def revoke_token(fournisseur: Fournisseur, token_id: int, by) -> JetonAPI:
    """Revoke one of this provider's tokens at once, recording who and when (`revoque_par`,
    `revoque_le`, shown to operators). A member of the provider or an operator may;
    PermissionDenied for anyone else; `JetonAPI.DoesNotExist` when the provider has no
    such token; a French ValidationError when it is revoked already."""
    from .permissions import can_revoke_tokens

    if not can_revoke_tokens(by, fournisseur):
        raise PermissionDenied(
            "Seuls les membres du fournisseur et les opérateurs révoquent ses jetons."
        )
    token = JetonAPI.objects.select_for_update().get(pk=token_id, fournisseur=fournisseur)
    if token.revoque:
        raise ValidationError("Ce jeton est déjà révoqué.")
    token.revoque, token.revoque_le, token.revoque_par = True, timezone.now(), by
    token.save(update_fields=["revoque", "revoque_le", "revoque_par"])
    logger.info(
        "API token %s (%s…) of provider %s revoked by user %s",
        token.pk,
        token.prefixe,
        fournisseur.siren,
        getattr(by, "pk", None),
    )
    return token


def authenticate_token(secret: str) -> JetonAPI | None:
    token = (
        JetonAPI.objects.select_related("fournisseur", "utilisateur")
        .filter(empreinte=JetonAPI.hash(secret or ""), revoque=False)
        .first()
    )
    if (
        token is None
        or not token.utilisateur.is_active
        or not token.fournisseur.membres.filter(pk=token.utilisateur_id).exists()
    ):
        return None
    JetonAPI.objects.filter(pk=token.pk).update(utilise_le=timezone.now())
    return token


# Contact requests and statistics ------------------------------------------------------------


def record_view(solution: Solution) -> None:
    Solution.objects.filter(pk=solution.pk).update(vues=F("vues") + 1)


@transaction.atomic
def contact(
    solution: Solution, nom: str, email: str, entreprise: str, message: str, ip: str, emetteur=None
) -> DemandeContact:
    """Store a contact request and e-mail it to the provider; limited per sender against spam."""
    if not solution.est_publiee:
        raise ValidationError("Cette solution n'est pas au catalogue.")
    fingerprint = DemandeContact.fingerprint(ip or "inconnue")
    since = timezone.now() - timedelta(hours=1)
    if (
        DemandeContact.objects.filter(empreinte_ip=fingerprint, cree_le__gte=since).count()
        >= settings.CONTACT_RATE_PER_HOUR
    ):
        raise ValidationError(
            "Trop de demandes envoyées depuis votre connexion : réessayez dans une heure."
        )
    if DemandeContact.objects.filter(
        solution=solution, email__iexact=email, cree_le__gte=timezone.now() - timedelta(days=1)
    ).exists():
        raise ValidationError(
            "Vous avez déjà écrit à ce fournisseur au sujet de cette solution aujourd'hui."
        )
    demande = DemandeContact.objects.create(
        solution=solution,
        nom=nom.strip()[:150],
        email=email.strip(),
        entreprise=(entreprise or "").strip()[:255],
        message=message.strip()[:3000],
        emetteur=emetteur if emetteur and emetteur.is_authenticated else None,
        empreinte_ip=fingerprint,
    )
    Solution.objects.filter(pk=solution.pk).update(contacts=F("contacts") + 1)
    from .tasks import send_contact_email

    transaction.on_commit(lambda: send_contact_email.enqueue(demande.pk))
    return demande


def send_contact_email(demande_id: int) -> bool:
    """E-mail a stored contact request to the provider (run by the task worker).

    The subject carries the solution's name on one clean line. Whatever stops the e-mail (no
    contact address, a refused header, the relay down or refusing the recipient), the request
    is marked failed with the reason, and the operators are told, so that no request is lost
    silently. A request already sent is never sent twice."""
    from django.core.mail import send_mail

    from osezia.socle.mail import header_safe

    demande = (
        DemandeContact.objects.select_related("solution__version_publiee", "solution__fournisseur")
        .filter(pk=demande_id)
        .first()
    )
    if demande is None:
        return False
    if demande.statut == DemandeContact.Statut.ENVOYEE:
        return True
    content = demande.solution.version_publiee.contenu if demande.solution.version_publiee else {}
    recipient = content.get("contact_email")
    if not recipient:
        _contact_failed(demande, "la solution n'a pas d'adresse e-mail de contact")
        return False
    name = header_safe(content.get("nom") or demande.solution.id_externe, max_len=120)
    company = header_safe(demande.entreprise, max_len=255)
    try:
        send_mail(
            subject=f"[Osez l'IA] Demande de contact : {name}",
            message=(
                f"{header_safe(demande.nom)} ({demande.email}){' — ' + company if company else ''} "
                f"vous écrit au sujet de « {name} » depuis le catalogue Osez l'IA :\n\n"
                f"{demande.message}\n"
            ),
            from_email=None,
            recipient_list=[recipient],
            fail_silently=False,
        )
    except Exception as exc:  # noqa: BLE001 - any backend error must leave a trace, not vanish
        logger.exception("contact request %s could not be e-mailed", demande.pk)
        _contact_failed(demande, f"envoi refusé ({type(exc).__name__} : {exc})")
        return False
    DemandeContact.objects.filter(pk=demande.pk).update(
        statut=DemandeContact.Statut.ENVOYEE, envoye_le=timezone.now(), erreur=""
    )
    return True


def _contact_failed(demande: DemandeContact, reason: str) -> None:
    """Mark the request failed and e-mail every active operator about it."""
    from django.core.mail import send_mail

    from osezia.comptes.services import operator_emails
    from osezia.socle.mail import header_safe

    reason = header_safe(reason, max_len=300)
    DemandeContact.objects.filter(pk=demande.pk).update(
        statut=DemandeContact.Statut.ECHEC, erreur=reason
    )
    operators = operator_emails()
    if not operators:
        logger.error("contact request %s failed and no operator can be told", demande.pk)
        return
    try:
        send_mail(
            subject=f"[Osez l'IA] Demande de contact non transmise (n° {demande.pk})",
            message=(
                f"La demande de contact n° {demande.pk} du {timezone.localtime(demande.cree_le):%d/%m/%Y à %H:%M}, "
                f"au sujet de la solution « {header_safe(demande.solution.id_externe)} », "
                f"n'a pas pu être transmise au fournisseur : {reason}.\n\n"
                "Elle est listée sur la page « Modération du catalogue » (/catalogue/moderation/), "
                "d'où vous pouvez la renvoyer une fois la cause corrigée.\n"
            ),
            from_email=None,
            recipient_list=operators,
            fail_silently=False,
        )
    except Exception:  # noqa: BLE001 - the failure is already recorded on the request
        logger.exception("operators could not be told that contact request %s failed", demande.pk)


def failed_contacts():
    """Contact requests whose e-mail could not be sent, newest first (operators' view)."""
    return DemandeContact.objects.filter(statut=DemandeContact.Statut.ECHEC).select_related(
        "solution"
    )


def retry_contact(demande: DemandeContact) -> None:
    """An operator sends a failed request again (after fixing the address or the relay)."""
    from .tasks import send_contact_email as task

    with transaction.atomic():
        updated = DemandeContact.objects.filter(
            pk=demande.pk, statut=DemandeContact.Statut.ECHEC
        ).update(statut=DemandeContact.Statut.EN_ATTENTE, erreur="")
        if not updated:
            raise ValidationError("Cette demande n'est pas en échec d'envoi.")
        transaction.on_commit(lambda: task.enqueue(demande.pk))


def parse_siren(value: str) -> str:
    """A SIREN from a SIREN or SIRET typed by a person; ValidationError in French."""
    from osezia.entreprises.identifiants import InvalidIdentifier, parse_siren_or_siret

    try:
        return parse_siren_or_siret(value).siren
    except InvalidIdentifier as exc:
        raise ValidationError({"siren": str(exc)}) from exc


@transaction.atomic
def register_provider(user, nom: str, siren: str, message: str = ""):
    """A person registers their provider organisation.

    When the SIREN is new to the platform, the organisation is created with this person as its
    first member and returned (a `Fournisseur`). When it already exists (imported by operators,
    or with members), nobody becomes a member by typing its SIREN: a pending claim is sent to
    the operators and returned instead (a `DemandeRattachement`)."""
    from osezia.comptes.models import Role, TypeOrganisation
    from osezia.comptes.services import grant_role, submit_claim

    siren = parse_siren(siren)
    if not (nom or "").strip():
        raise ValidationError({"nom": "Indiquez le nom de l'organisation."})
    existing = Fournisseur.objects.filter(siren=siren).first()
    if existing is not None:
        return submit_claim(user, TypeOrganisation.FOURNISSEUR, existing.pk, message)
    try:
        with transaction.atomic():
            fournisseur = Fournisseur.objects.create(siren=siren, nom=nom.strip()[:255])
    except IntegrityError:  # registered at the same moment by someone else: ask operators
        existing = Fournisseur.objects.get(siren=siren)
        return submit_claim(user, TypeOrganisation.FOURNISSEUR, existing.pk, message)
    fournisseur.membres.add(user)
    grant_role(user, Role.FOURNISSEUR)
    return fournisseur


@transaction.atomic
def add_member(fournisseur: Fournisseur, user) -> None:
    """Make a person a member of a provider organisation, with the provider role: the one
    write of `Fournisseur.membres` (claims accepted by operators, operators' page, demo)."""
    from osezia.comptes.models import Role
    from osezia.comptes.services import grant_role

    fournisseur.membres.add(user)
    grant_role(user, Role.FOURNISSEUR)


def verified_account(email: str):
    """The active account whose confirmed address is `email` (any case), or None."""
    from allauth.account.models import EmailAddress

    found = (
        EmailAddress.objects.filter(email__iexact=(email or "").strip(), verified=True)
        .select_related("user")
        .first()
    )
    return found.user if found is not None and found.user.is_active else None


@transaction.atomic
def add_member_by_email(fournisseur: Fournisseur, email: str, operator):
    """An operator adds an existing person, by the confirmed address of their account, to a
    provider organisation. PermissionDenied for anyone but an operator; a French
    ValidationError on `email` when no active account has this confirmed address or when the
    person is a member already."""
    from .permissions import can_moderate

    if not can_moderate(operator):
        raise PermissionDenied("Seuls les opérateurs ajoutent des membres à un fournisseur.")
    fournisseur = Fournisseur.objects.select_for_update().get(pk=fournisseur.pk)
    user = verified_account(email)
    if user is None:
        raise ValidationError(
            {"email": "Aucun compte actif n'a confirmé cette adresse électronique."}
        )
    if fournisseur.membres.filter(pk=user.pk).exists():
        raise ValidationError({"email": f"Cette personne est déjà membre de {fournisseur.nom}."})
    add_member(fournisseur, user)
    logger.info(
        "user %s added to provider %s by operator %s", user.pk, fournisseur.siren, operator.pk
    )
    return user
