"""`manage.py import_polis`: a French summary of what was brought in, a French error (non-zero
exit) and nothing stored on a bad option or file."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from osezia.consultation.models import Consultation, Proposition, Vote

from .polis import QUESTION, VOTES, conversation, write_summary, write_votes

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def run(folder, *extra) -> str:
    out = StringIO()
    call_command(
        "import_polis",
        "--dossier",
        str(folder),
        "--consultation",
        "commerces-lyon",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_import_then_rerun_says_nothing_changed(tmp_path):
    folder = conversation(tmp_path / "export", summary=True)
    text = run(folder, "--ouverture", "2025-06-01", "--cloture", "2025-06-30")
    assert "Consultation « commerces-lyon » créée." in text
    assert "Participants : 7 créé(s), 0 mis à jour, 0 inchangé(s)." in text
    assert "Propositions : 6 créé(s)" in text
    assert "Votes : 19 créé(s), 0 mis à jour, 0 inchangé(s), 0 supprimé(s)." in text
    consultation = Consultation.objects.get(slug="commerces-lyon")
    assert consultation.question == QUESTION
    again = run(folder)
    assert "Consultation « commerces-lyon » inchangée." in again
    assert "Votes : 0 créé(s), 0 mis à jour, 19 inchangé(s), 0 supprimé(s)." in again
    assert "Rien n'a changé depuis le dernier import." in again


def test_a_changed_vote_is_reported_and_counted(tmp_path):
    folder = conversation(tmp_path / "export")
    run(folder, "--question", QUESTION)
    write_votes(folder, [*VOTES, (40, "0", "12", 1)])  # voter 12 now agrees with comment 0
    text = run(folder)
    assert "Votes : 0 créé(s), 1 mis à jour, 18 inchangé(s), 0 supprimé(s)." in text
    assert "Propositions : 0 créé(s), 1 mis à jour, 5 inchangé(s)." in text
    assert Proposition.objects.get(externe_id="0").pour == 6


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--ouverture", "01/06/2025"], "--ouverture « 01/06/2025 » : date invalide"),
        (["--cloture", "2025-02-30"], "--cloture « 2025-02-30 » : date invalide"),
        (
            ["--ouverture", "2025-06-30", "--cloture", "2025-06-01"],
            "--cloture (01/06/2025) précède --ouverture (30/06/2025)",
        ),
        (["--ouverture", "2025-07-01"], "La clôture"),
        (["--question", " "], "La question (--question) est vide"),
    ],
)
def test_bad_options_are_french_errors_and_store_nothing(tmp_path, options, message):
    folder = conversation(tmp_path / "export", summary=True)
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(folder, *options)
    assert not Consultation.objects.exists()


def test_missing_file_and_malformed_line(tmp_path):
    folder = conversation(tmp_path / "export", summary=True)
    (folder / "comments.csv").unlink()
    with pytest.raises(CommandError, match="Fichier introuvable : .*comments.csv"):
        run(folder)
    conversation(folder)
    with (folder / "votes.csv").open("a", encoding="utf-8") as handle:
        handle.write("1750076000000,x,0,17,peut-être\n")
    with pytest.raises(CommandError) as error:
        run(folder)
    assert str(error.value) == (
        "votes.csv, ligne 22 : vote « peut-être » invalide : -1, 0 ou 1 est attendu — "
        "rien n'a été enregistré."
    )
    assert not Consultation.objects.exists() and not Vote.objects.exists()


def test_the_command_line_exits_non_zero_with_the_french_message(tmp_path):
    folder = conversation(tmp_path / "export")
    write_summary(folder)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_polis",
            "--dossier",
            str(folder),
            "--consultation",
            "commerces-lyon",
            "--cloture",
            "demain",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "--cloture « demain » : date invalide, au format AAAA-MM-JJ" in result.stderr


def test_an_imported_conversation_has_its_results_and_open_data(tmp_path, client):
    folder = conversation(tmp_path / "export", summary=True)
    run(folder, "--ouverture", "2025-06-01", "--cloture", "2025-06-30")
    body = client.get("/api/v1/consultations/commerces-lyon/resultats").json()
    accepted = Proposition.objects.filter(statut="acceptee").count()
    assert len(body["propositions"]) == accepted
    assert (
        sum(p["votes"] for p in body["propositions"])
        == Vote.objects.filter(proposition__statut="acceptee").count()
    )
    export = client.get("/api/v1/consultations/commerces-lyon/export/polis/comments.csv")
    assert export.status_code == 200
    assert b"".join(export.streaming_content).startswith(b"timestamp,datetime,comment-id")
    assert client.get("/api/v1/consultations/commerces-lyon/export/inconnu.csv").status_code == 404
