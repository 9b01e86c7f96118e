"""The README tells a newcomer every demo account, its password, and where demo e-mails go."""

import json
import re
from pathlib import Path

from django.conf import settings

from osezia.comptes.demo import load_demo_file

README = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
SERVE = (Path(settings.BASE_DIR) / "scripts" / "serve.sh").read_text(encoding="utf-8")


def test_every_demo_account_is_listed_with_its_password():
    data = load_demo_file()
    for account in data["comptes"]:
        rows = [line for line in README.splitlines() if f"`{account['email']}`" in line]
        assert rows, f"{account['email']} manque au README"
        assert f"`{data['mot_de_passe']}`" in rows[0]
    assert "`formation@demo.osez-ia.fr`" in README


def test_the_business_meetings_organiser_is_listed_with_the_password():
    # Created by the business meetings' demo, not by the accounts' file.
    meetings = json.loads(
        (Path(settings.BASE_DIR) / "osezia/evenements/data/demo.json").read_text(encoding="utf-8")
    )
    email = meetings["organisateur"]["email"]
    rows = [line for line in README.splitlines() if f"`{email}`" in line]
    assert rows, f"{email} manque au README"
    assert f"`{load_demo_file()['mot_de_passe']}`" in rows[0]


def test_the_readme_says_where_demo_emails_go():
    # The worker's log is where scripts/serve.sh sends `db_worker`'s output.
    assert re.search(r"db_worker[^\n]*>>\"\$VAR/worker\.log\"", SERVE)
    assert "`var/worker.log`" in README
    assert "terminal où tourne `make demo`" in README
