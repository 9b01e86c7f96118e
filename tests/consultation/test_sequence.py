"""The next proposals to show (`consultation/sequence.py`)."""

import random

import pytest

from osezia.consultation.sequence import Candidate, choose


def pool(n=40, votes=20):
    rng = random.Random(3)
    out = []
    for i in range(n):
        pour = rng.randint(0, votes)
        out.append(Candidate(i, f"auteur{i}", pour=pour, contre=votes - pour))
    return out


def test_at_most_size_never_excluded_and_distinct_authors():
    candidates = pool() + [Candidate(100, "auteur1", pour=20), Candidate(101, "auteur1")]
    chosen = choose(candidates, exclude={0, 1, 2}, rng=random.Random(1))
    assert len(chosen) == 12
    assert not {0, 1, 2} & set(chosen)
    authors = [next(c.author for c in candidates if c.id == i) for i in chosen]
    assert len(authors) == len(set(authors))


def test_new_proposals_are_explored_first():
    candidates = pool() + [Candidate(200 + i, f"nouveau{i}", pour=i) for i in range(3)]
    chosen = choose(candidates, rng=random.Random(2))
    assert chosen[:3] == [200, 201, 202]  # fewest votes first


def test_the_best_proposals_come_most_often():
    # 19 votes each: posteriors overlap, so the sampling still gives the others a chance
    candidates = [Candidate(i, f"a{i}", pour=i, contre=19 - i) for i in range(20)]
    rng = random.Random(5)
    counts = dict.fromkeys(range(20), 0)
    for _ in range(200):
        for i in choose(candidates, size=3, controversial=0, rng=rng):
            counts[i] += 1
    assert counts[19] == max(counts.values())
    assert sum(counts[i] for i in range(10)) < sum(counts[i] for i in range(10, 20))
    assert sum(1 for n in counts.values() if n) > 3  # not always the same three


def test_same_seed_same_sequence_and_bounds():
    assert choose(pool(), rng=random.Random(9)) == choose(pool(), rng=random.Random(9))
    assert choose(pool(), size=5, rng=random.Random(9))[:5] and len(choose(pool(), size=5)) == 5
    with pytest.raises(ValueError):
        choose(pool(), size=-1)
