"""`manage.py opinion_groups`: the contract's JSON, exit status 2 and nothing written on a
malformed file; no database (these tests have no database access)."""

import json

import pytest
from django.core.management import call_command

from .test_opinion import POLIS_HEADER, planted


def write_votes(path, votes):
    lines = [f"{t},x,{c},{p},{v}" for t, (p, c, v) in enumerate(votes)]
    path.write_text(POLIS_HEADER + "\n".join(lines) + "\n", encoding="utf-8")


def test_groups_written_as_the_contract_says(tmp_path):
    votes, truth = planted()
    write_votes(tmp_path / "votes.csv", votes)
    out = tmp_path / "groupes.json"
    call_command("opinion_groups", "--votes", str(tmp_path / "votes.csv"), "--out", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["k"] == 3
    assert data["participants_classes"] == len(truth) == len(data["groupes"])
    assert set(data["representatifs"]) == {"0", "1", "2"}
    assert all(len(v) <= 5 for v in data["representatifs"].values())
    assert len(data["consensus"]) <= 10


def test_a_malformed_file_exits_2_with_its_line_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "votes.csv").write_text(POLIS_HEADER + "1,x,3,7,1\n2,x,3,8,oui\n")
    out = tmp_path / "groupes.json"
    with pytest.raises(SystemExit) as stop:
        from django.core.management import ManagementUtility

        ManagementUtility(
            [
                "manage.py",
                "opinion_groups",
                "--votes",
                str(tmp_path / "votes.csv"),
                "--out",
                str(out),
            ]
        ).execute()
    assert stop.value.code == 2
    assert "ligne 3" in capsys.readouterr().err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "votes.csv"]
