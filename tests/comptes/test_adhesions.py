"""Company memberships are written by `comptes.services` only."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from osezia.comptes import services
from osezia.comptes.models import Adhesion
from tests.comptes.factories import UtilisateurFactory
from tests.entreprises.factories import EntrepriseFactory


@pytest.fixture
def company(db):
    return EntrepriseFactory()


def test_the_first_admin_of_a_company_and_then_plain_members(company):
    first, second = UtilisateurFactory(), UtilisateurFactory()
    admin = services.add_membership(first, company, admin=True)
    assert admin.est_admin
    # Asking again changes nothing; a second admin joins as a plain member.
    assert services.add_membership(first, company) == admin
    plain = services.add_membership(second, company, admin=True)
    assert not plain.est_admin
    assert Adhesion.objects.filter(entreprise=company).count() == 2


def test_the_admin_cannot_be_removed_a_plain_member_can(company):
    admin = services.add_membership(UtilisateurFactory(), company, admin=True)
    plain = services.add_membership(UtilisateurFactory(), company)
    with pytest.raises(ValidationError) as excinfo:
        services.remove_membership(admin)
    assert "ne peut pas être retiré" in str(excinfo.value)
    services.remove_membership(plain)
    assert list(Adhesion.objects.filter(entreprise=company)) == [admin]


def test_giving_the_admin_role_to_another_member_keeps_one_admin(company):
    admin = services.add_membership(UtilisateurFactory(), company, admin=True)
    plain = services.add_membership(UtilisateurFactory(), company)
    services.set_admin(plain)
    admins = Adhesion.objects.filter(entreprise=company, est_admin=True)
    assert [a.pk for a in admins] == [plain.pk]
    admin.refresh_from_db()
    assert not admin.est_admin and Adhesion.objects.filter(pk=admin.pk).exists()


WRITES = re.compile(
    r"Adhesion\.objects\b.*\.(create|get_or_create|update_or_create|bulk_create|update|delete)\("
    r"|adhesions\.(create|get_or_create|update|add)\(|adhesion\.(save|delete)\("
)


def test_no_other_app_writes_memberships():
    root = Path(__file__).resolve().parents[2] / "osezia"
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if relative.parts[0] == "comptes" or "migrations" in relative.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WRITES.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []
