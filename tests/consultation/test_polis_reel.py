"""`manage.py opinion_groups` on a real Pol.is conversation stored in bench/data/polis/
(open data, see SOURCES.md there): the output contract on a real export (quoted multi-line
comment bodies, moderated-out comments, repeated votes), not the agreement with Pol.is's
groups, which bench/bench_polis_reel.py measures."""

import csv
import json
from pathlib import Path

from django.core.management import call_command

from osezia.consultation import opinion

DATA = Path(__file__).resolve().parents[2] / "bench" / "data" / "polis"


def smallest_conversation() -> Path:
    folders = [
        p for p in DATA.iterdir() if (p / "votes.csv").exists() and (p / "comments.csv").exists()
    ]
    return min(folders, key=lambda p: (p / "votes.csv").stat().st_size)


def test_opinion_groups_on_a_real_polis_conversation_keeps_its_contract(tmp_path):
    folder = smallest_conversation()
    out = tmp_path / "groupes.json"
    call_command(
        "opinion_groups",
        "--votes",
        str(folder / "votes.csv"),
        "--comments",
        str(folder / "comments.csv"),
        "--out",
        str(out),
    )
    data = json.loads(out.read_text(encoding="utf-8"))

    with (folder / "votes.csv").open(encoding="utf-8", newline="") as stream:
        voters = {row["voter-id"] for row in csv.DictReader(stream)}
    with (folder / "comments.csv").open(encoding="utf-8", newline="") as stream:
        comments = list(csv.DictReader(stream))
    shown = {row["comment-id"] for row in comments if row["moderated"] != "-1"}
    moderated_out = {row["comment-id"] for row in comments if row["moderated"] == "-1"}
    assert moderated_out, "the stored conversation has moderated-out comments to leave out"

    assert 1 <= data["k"] <= 5
    assert data["groupes"], "a real conversation has participants to class"
    assert set(data["groupes"]) <= voters
    assert data["participants_classes"] == len(data["groupes"])
    assert set(data["groupes"].values()) == set(range(data["k"]))
    assert set(data["representatifs"]) == {str(g) for g in range(data["k"])}
    for ids in data["representatifs"].values():
        assert len(ids) <= 5
        assert set(ids) <= shown
    assert len(data["consensus"]) <= 10
    assert set(data["consensus"]) <= shown


def test_the_real_comments_file_is_read_whole_with_its_multi_line_bodies():
    folder = smallest_conversation()
    with (folder / "comments.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    with (folder / "comments.csv").open(encoding="utf-8", newline="") as stream:
        ids, hidden = opinion.read_comments(stream)
    assert any("\n" in row["comment-body"] for row in rows)
    assert ids == [row["comment-id"] for row in rows]
    assert hidden == {row["comment-id"] for row in rows if row["moderated"] == "-1"}
