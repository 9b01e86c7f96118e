"""Opinion groups (`consultation/opinion.py`): the Pol.is and platform vote files read as
Pol.is reads them, groups planted in simulated votes found again whatever the order of the
votes, representative statements and group-aware consensus."""

import io
import random

import pytest
from sklearn.metrics import adjusted_rand_score

from osezia.consultation import opinion

POLIS_HEADER = "timestamp,datetime,comment-id,voter-id,vote\n"


def planted(sizes=(60, 40, 30), statements=30, missing=0.3, inside=0.85, outside=0.15, seed=1):
    """Votes of participants in planted groups: group g agrees with the statements s where
    s % len(sizes) == g with probability `inside`, with the others with `outside`."""
    rng = random.Random(seed)
    votes, truth = [], {}
    person = 0
    for group, size in enumerate(sizes):
        for _ in range(size):
            name = f"p{person:04d}"
            truth[name] = group
            person += 1
            for s in range(statements):
                if rng.random() < missing:
                    continue
                agree = inside if s % len(sizes) == group else outside
                votes.append((name, f"c{s:03d}", 1 if rng.random() < agree else -1))
    return votes, truth


def test_planted_groups_are_found_whatever_the_order_of_the_votes():
    votes, truth = planted()
    result = opinion.analyse(votes)
    assert result.k == 3
    names = sorted(truth)
    assert adjusted_rand_score([truth[n] for n in names], [result.groupes[n] for n in names]) > 0.9
    shuffled = votes[:]
    random.Random(7).shuffle(shuffled)
    again = opinion.analyse(shuffled)
    assert again.groupes == result.groupes
    assert again.as_json() == result.as_json()


def test_representatives_are_what_each_group_agrees_with():
    votes, truth = planted()
    result = opinion.analyse(votes)
    for group, statements in result.representatifs.items():
        members = {n for n, g in result.groupes.items() if g == int(group)}
        planted_group = max(range(3), key=lambda g: sum(truth[n] == g for n in members))
        assert 1 <= len(statements) <= 5
        assert int(statements[0][1:]) % 3 == planted_group


def test_consensus_is_a_statement_every_group_agrees_with():
    votes, _ = planted()
    everyone = {name for name, _, _ in votes}
    votes += [(name, "c-tous", 1) for name in sorted(everyone)]
    result = opinion.analyse(votes)
    assert result.consensus[0] == "c-tous"
    assert len(result.consensus) <= 10


def test_hidden_statements_and_participants_with_too_few_votes_are_left_out():
    votes, _ = planted()
    votes += [("p-rare", "c000", 1), ("p-rare", "c001", -1)]
    result = opinion.analyse(votes, hidden={"c000"})
    assert "p-rare" not in result.groupes
    assert all("c000" not in s for s in result.representatifs.values())
    assert "c000" not in result.consensus
    assert result.participants_classes == len(result.groupes) == 130


def test_polis_file_the_latest_vote_of_a_voter_counts():
    text = POLIS_HEADER + (
        "1000,Mon Jun 16 2025,3,7,1\n"
        "2000,Mon Jun 16 2025,3,7,-1\n"  # the same voter changes their mind
        "1500,Mon Jun 16 2025,4,7,0\n"
    )
    assert sorted(opinion.read_votes(io.StringIO(text))) == [("7", "3", -1), ("7", "4", 0)]


def test_platform_export_is_read_too():
    text = "participant,proposition,vote\nabc,12,1\nabc,13,-1\n"
    assert opinion.read_votes(io.StringIO(text)) == [("abc", "12", 1), ("abc", "13", -1)]


@pytest.mark.parametrize(
    "text, line",
    [
        (POLIS_HEADER + "1,x,3,7,1\n1,x,3,8,5\n", 3),  # a vote of 5
        (POLIS_HEADER + "1,x,3,7\n", 2),  # a missing column
        ("voter,comment\n1,2\n", 1),  # an unknown header
        (POLIS_HEADER + "1,x,,7,1\n", 2),  # an empty id
    ],
)
def test_a_malformed_votes_file_names_its_line(text, line):
    with pytest.raises(opinion.FormatError) as error:
        opinion.read_votes(io.StringIO(text))
    assert error.value.line == line
    assert "ligne" in str(error.value) or str(line) in str(error.value)


def test_polis_comments_moderated_out_are_hidden():
    text = (
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1,x,1,3,10,2,1,Il faut former les salariés\n"
        "2,x,2,4,1,9,-1,Publicité\n"
        "3,x,3,5,0,0,0,Il faut attendre\n"
    )
    ids, hidden = opinion.read_comments(io.StringIO(text))
    assert ids == ["1", "2", "3"]
    assert hidden == {"2"}
