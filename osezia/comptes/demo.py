"""Demo accounts: one invented person per role (data in `data/demo.json`), the operator with
a published TOTP secret. Idempotent: an existing account is kept as it is."""

import json
from pathlib import Path

from osezia.socle.demo import DemoContext, DemoLogin

from .models import Utilisateur
from .services import create_account

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.json"


def load_demo_file() -> dict:
    """The demo accounts, their shared password and the operator's TOTP secret."""
    with open(DEMO_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def size() -> int:
    return len(load_demo_file()["comptes"])


def _activate_demo_totp(user: Utilisateur, secret: str) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)


def seed(context: DemoContext) -> None:
    data = load_demo_file()
    context.count("comptes", 0)
    for account in data["comptes"]:
        user = Utilisateur.objects.filter(email=account["email"]).first()
        if user is None:
            user = create_account(
                account["email"],
                data["mot_de_passe"],
                account["roles"],
                first_name=account["prenom"],
                last_name=account["nom"],
                verified=True,
            )
            context.count("comptes")
        if "OPERATEUR" in account["roles"]:
            _activate_demo_totp(user, data["totp_operateur"])
        context.users[account["email"]] = user
        context.logins.append(DemoLogin(account["email"], account["libelle"]))
        context.advance()
