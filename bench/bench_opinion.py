"""Opinion groups (`consultation/opinion.py`), on simulated votes, no database.

1. Planted groups: 300, 200 and 100 participants, 60 statements, 40 % of the votes missing;
   a participant agrees with the statements of their own group with probability 0.85 and with
   the others' with 0.15. The analysis must find k = 3 and an adjusted Rand index ≥ 0.9, and
   the same groups when the participants and the votes come in another order.
2. Scale: 100,000 participants × 2,000 statements, 10,000,000 votes (each participant votes on
   100 statements drawn at random, three planted groups): under 60 s and 4 GiB of memory.
   BENCH_OPINION_PARTICIPANTS, BENCH_OPINION_STATEMENTS, BENCH_OPINION_VOTES change the size."""

import os
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _support import emit  # noqa: E402

from osezia.consultation import opinion  # noqa: E402
from tests.consultation.test_opinion import planted  # noqa: E402


def quality() -> None:
    votes, truth = planted((300, 200, 100), 60, 0.4, 0.85, 0.15, seed=2026)
    start = time.perf_counter()
    result = opinion.analyse(votes)
    seconds = time.perf_counter() - start
    names = sorted(truth)
    ari = adjusted_rand_score([truth[n] for n in names], [result.groupes.get(n, -1) for n in names])
    shuffled = votes[:]
    random.Random(7).shuffle(shuffled)
    same = opinion.analyse(shuffled).groupes == result.groupes
    emit(
        bench="groupes_opinion_plantes",
        participants=len(truth),
        votes=len(votes),
        k=result.k,
        indice_rand_ajuste=round(ari, 4),
        memes_groupes_apres_permutation=same,
        secondes=round(seconds, 2),
    )
    assert result.k == 3, result.k
    assert ari >= 0.9, ari
    assert same


def scale() -> None:
    n = int(os.environ.get("BENCH_OPINION_PARTICIPANTS", "100000"))
    m = int(os.environ.get("BENCH_OPINION_STATEMENTS", "2000"))
    per = int(os.environ.get("BENCH_OPINION_VOTES", "10000000")) // n
    generator = np.random.default_rng(2026)
    groups = generator.integers(0, 3, n)
    rows = np.repeat(np.arange(n), per)
    cols = np.concatenate([generator.choice(m, per, replace=False) for _ in range(n)])
    agree = np.where(cols % 3 == groups[rows], 0.8, 0.25)
    draw = generator.random(len(rows))
    values = np.where(draw < agree, 1, np.where(draw < agree + 0.1, 0, -1))
    participants = [f"v{i}" for i in range(n)]
    statements = [str(j) for j in range(m)]
    votes = list(
        zip(
            (participants[i] for i in rows.tolist()),
            (statements[j] for j in cols.tolist()),
            values.tolist(),
            strict=True,
        )
    )
    del rows, cols, values, draw, agree
    start, cpu = time.perf_counter(), time.process_time()
    result = opinion.analyse(votes)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found = [result.groupes.get(name, -1) for name in participants]
    ari = adjusted_rand_score(groups.tolist(), found)
    emit(
        bench="groupes_opinion_echelle",
        participants=n,
        propositions=m,
        votes=len(votes),
        k=result.k,
        participants_classes=result.participants_classes,
        indice_rand_ajuste=round(ari, 4),
        secondes=round(seconds, 1),
        secondes_processeur=round(cpu, 1),
        memoire_max_mo=round(memory),
        seuil_secondes=60,
        seuil_memoire_mo=4096,
    )
    assert seconds < 60, seconds
    assert memory < 4096, memory


if __name__ == "__main__":
    quality()
    if "--sans-echelle" not in sys.argv:
        scale()
