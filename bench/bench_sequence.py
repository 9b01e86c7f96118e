"""The next proposals to show (`consultation/sequence.py`), simulated: 200 proposals with
hidden true approval rates, 20,000 participants who each get a sequence of 12 and vote on
every proposal of it (« pour » with the proposal's true rate, « neutre » one time in ten,
« contre » otherwise). Checked: every proposal reaches 10 votes, the decile of the best
proposals (by true rate) gets more votes than every other decile, and the 10 best by
posterior mean overlap the true 10 best by at least 8. Pure Python and numpy, no database."""

import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _support import emit  # noqa: E402

from osezia.consultation.sequence import Candidate, choose  # noqa: E402

PROPOSALS = int(os.environ.get("BENCH_PROPOSITIONS", "200"))
PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "20000"))
SIZE = 12
SEED = 2026


def main() -> None:
    rng = random.Random(SEED)
    truth = [rng.betavariate(2, 2) for _ in range(PROPOSALS)]
    # 150 authors: some wrote two or three proposals (distinct authors in a sequence)
    authors = [f"auteur-{rng.randrange(150)}" for _ in range(PROPOSALS)]
    counts = [[0, 0, 0] for _ in range(PROPOSALS)]  # pour, contre, neutre
    start, cpu = time.perf_counter(), time.process_time()
    shown = 0
    for _ in range(PARTICIPANTS):
        candidates = [
            Candidate(i, authors[i], pour=c[0], contre=c[1], neutre=c[2])
            for i, c in enumerate(counts)
        ]
        for i in choose(candidates, size=SIZE, rng=rng):
            shown += 1
            draw = rng.random()
            if draw < 0.1:
                counts[i][2] += 1
            elif rng.random() < truth[i]:
                counts[i][0] += 1
            else:
                counts[i][1] += 1
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu

    votes = [sum(c) for c in counts]
    by_truth = sorted(range(PROPOSALS), key=lambda i: -truth[i])
    tenth = PROPOSALS // 10
    deciles = [sum(votes[i] for i in by_truth[d * tenth : (d + 1) * tenth]) for d in range(10)]
    mean = [(c[0] + c[2] / 2 + 1) / (sum(c) + 2) for c in counts]
    found = set(sorted(range(PROPOSALS), key=lambda i: -mean[i])[:10])
    overlap = len(found & set(by_truth[:10]))
    emit(
        bench="sequence_simulation",
        propositions=PROPOSALS,
        participants=PARTICIPANTS,
        votes=shown,
        votes_min_par_proposition=min(votes),
        votes_par_decile_du_meilleur_au_moins_bon=deciles,
        recouvrement_10_meilleures=overlap,
        secondes=round(seconds, 1),
        secondes_processeur=round(cpu, 1),
        sequences_par_seconde=round(PARTICIPANTS / seconds),
        memoire_max_mo=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    )
    assert min(votes) >= 10, f"une proposition n'a que {min(votes)} votes"
    assert all(deciles[0] > d for d in deciles[1:]), deciles
    assert overlap >= 8, f"recouvrement des 10 meilleures : {overlap}"


if __name__ == "__main__":
    main()
