"""Company invitations are a `comptes` table: written by `comptes.services` only."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from osezia.comptes import services
from osezia.comptes.models import InvitationEntreprise
from osezia.entreprises.models import Entreprise
from tests.comptes.factories import UtilisateurFactory
from tests.entreprises.factories import EntrepriseFactory

pytestmark = pytest.mark.django_db
Statut = InvitationEntreprise.Statut


@pytest.fixture
def company():
    return EntrepriseFactory()


def test_an_invitation_is_recorded_once_per_address_while_it_waits(company):
    admin = UtilisateurFactory()
    invitation = services.create_invitation(company, "  Personne@Exemple.FR ", admin)
    assert (invitation.email, invitation.invite_par, invitation.statut) == (
        "personne@exemple.fr",
        admin,
        Statut.EN_ATTENTE,
    )
    # The same address again, whatever its case, while the first one waits: nothing new.
    assert services.create_invitation(company, "PERSONNE@exemple.fr", admin) is None
    assert InvitationEntreprise.objects.count() == 1


@pytest.mark.parametrize("email", ["pas une adresse", "a@b.fr\x00", "", None, 42])
def test_an_invitation_to_an_invalid_address_is_refused(company, email):
    with pytest.raises(ValidationError) as info:
        services.create_invitation(company, email, None)
    assert info.value.message_dict == {"email": ["Saisissez une adresse électronique valide."]}
    assert not InvitationEntreprise.objects.exists()


def test_an_answered_invitation_cannot_be_answered_nor_cancelled_again(company):
    invitation = services.create_invitation(company, "personne@exemple.fr", None)
    services.answer_invitation(invitation, accept=False)
    invitation.refresh_from_db()
    assert invitation.statut == Statut.DECLINEE and invitation.repondu_le is not None
    with pytest.raises(ValidationError):
        services.answer_invitation(invitation, accept=True)
    with pytest.raises(ValidationError, match="ne peut plus être annulée"):
        services.cancel_invitation(invitation)
    invitation.refresh_from_db()
    assert invitation.statut == Statut.DECLINEE


def test_an_answer_is_yes_or_no(company):
    invitation = services.create_invitation(company, "personne@exemple.fr", None)
    with pytest.raises(ValidationError):
        services.answer_invitation(invitation, accept="oui")
    invitation.refresh_from_db()
    assert invitation.statut == Statut.EN_ATTENTE


def test_cancelling_several_leaves_the_answered_ones_as_they_are(company):
    sender = UtilisateurFactory()
    answered = services.create_invitation(company, "a@exemple.fr", sender)
    services.answer_invitation(answered, accept=True)
    waiting = services.create_invitation(company, "b@exemple.fr", sender)
    other = services.create_invitation(company, "c@exemple.fr", UtilisateurFactory())
    assert services.cancel_invitations_sent_by(company, sender) == 1
    statuses = dict(InvitationEntreprise.objects.values_list("pk", "statut"))
    assert statuses == {
        answered.pk: Statut.ACCEPTEE,
        waiting.pk: Statut.ANNULEE,
        other.pk: Statut.EN_ATTENTE,
    }
    with pytest.raises(ValueError):
        services.cancel_invitations(Entreprise.objects.all())


# The scan: outside `comptes`, no code writes an invitation, whatever the path to it (the
# model, the `invitations` relation of a company, a variable or a function holding them).

WRITE_METHODS = {
    "create",
    "get_or_create",
    "update_or_create",
    "bulk_create",
    "bulk_update",
    "update",
    "delete",
    "save",
    "add",
    "set",
    "remove",
    "clear",
}


def _names_invitations(node: ast.AST, names: set[str], functions: set[str]) -> bool:
    """Whether this expression involves invitations: the model, a company's `invitations`,
    a local name bound to them, or a call of a function returning them."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and (sub.id == "InvitationEntreprise" or sub.id in names):
            return True
        if isinstance(sub, ast.Attribute) and sub.attr in ("invitations", "InvitationEntreprise"):
            return True
        if isinstance(sub, ast.Call):
            callee = (
                sub.func.id if isinstance(sub.func, ast.Name) else getattr(sub.func, "attr", "")
            )
            if callee in functions or "invitation" in callee.lower():
                return True
    return False


def _bound_names(target: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def invitation_writes(source: str) -> list[int]:
    """The lines of `source` that write invitations."""
    tree = ast.parse(source)
    scopes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    scopes.append(tree)
    functions: set[str] = set()
    names_of: dict[ast.AST, set[str]] = {scope: set() for scope in scopes}
    changed = True
    while changed:  # names and functions holding invitations, to a fixed point
        changed = False
        for scope in scopes:
            names = names_of[scope]
            for node in ast.walk(scope):
                bound = set()
                if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
                    if node.value is not None and _names_invitations(node.value, names, functions):
                        targets = getattr(node, "targets", None) or [node.target]
                        bound = set().union(*(_bound_names(t) for t in targets))
                elif isinstance(node, ast.For | ast.comprehension | ast.withitem):
                    value = getattr(node, "iter", None) or getattr(node, "context_expr", None)
                    target = getattr(node, "target", None) or getattr(node, "optional_vars", None)
                    if target is not None and _names_invitations(value, names, functions):
                        bound = _bound_names(target)
                elif (
                    isinstance(node, ast.Return)
                    and node.value is not None
                    and scope is not tree
                    and scope.name not in functions
                    and _names_invitations(node.value, names, functions)
                ):
                    functions.add(scope.name)
                    changed = True
                if bound - names:
                    names |= bound
                    changed = True
    lines = set()
    for scope in scopes:
        for node in ast.walk(scope):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITE_METHODS
                and _names_invitations(node.func.value, names_of[scope], functions)
            ):
                lines.add(node.lineno)
    return sorted(lines)


@pytest.mark.parametrize(
    "source",
    [
        "InvitationEntreprise.objects.create(email='a@b.fr')",
        "def f(e):\n    e.invitations.filter(statut='x').update(statut='y')",
        "def f():\n    waiting = InvitationEntreprise.objects.filter()\n"
        "    live = waiting.filter(a=1)\n    waiting.exclude(pk__in=live).update(statut='y')",
        "def g():\n    return InvitationEntreprise.objects.all()\n"
        "def f():\n    invitation = g().first()\n    invitation.save()",
        "def f(user):\n    for i in invitations_for(user):\n        i.delete()",
    ],
)
def test_the_scan_sees_writes_by_every_path(source):
    assert invitation_writes(source)


def test_the_scan_lets_reads_and_other_writes_through():
    source = (
        "def f(e):\n    n = InvitationEntreprise.objects.filter(entreprise=e).count()\n"
        "    e.save()\n    Adhesion.objects.filter(entreprise=e).exists()\n"
        "    cancel_invitation(e.invitations.first())\n"
    )
    assert invitation_writes(source) == []


def test_no_other_app_writes_invitations():
    root = Path(__file__).resolve().parents[2] / "osezia"
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if relative.parts[0] == "comptes" or "migrations" in relative.parts:
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        offenders += [f"{relative}:{n}: {lines[n - 1].strip()}" for n in invitation_writes(source)]
    assert offenders == []
