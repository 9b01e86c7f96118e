"""The next proposals to show a participant (a sequence), on plain data (no Django).

`choose` returns up to `size` proposal identifiers, never one in `exclude` (already voted on or
already shown to this participant), never two by the same author:

1. exploration first: the proposals with fewer than `explore_below` votes, fewest votes first
   (ties in random order), so that each new proposal soon has enough votes to be judged;
2. then Thompson sampling: for each other proposal, one draw of its vote shares from their
   posterior, Dirichlet(1 + pour, 1 + contre, 1 + neutre) (uniform prior); its sampled score is
   pour + neutre / 2 (a neutral vote counts half for, half against: it neither supports nor
   rejects the idea), the highest sampled scores fill the places;
3. `controversial` of those places are kept for the most controversial proposals by a sampled
   controversy, 2 × min(pour, contre) of the same draw (1 when the voters split evenly between
   for and against, 0 when they all agree, or all abstain): a divisive idea is shown too, not
   only the popular ones. Places left empty (too few controversial proposals) go to the score.

The order of the result is the order to show: explored proposals, then by sampled score, the
controversial ones last. With a seeded `rng` the result is reproducible.
"""

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

MAX_SIZE = 100


@dataclass(frozen=True)
class Candidate:
    id: int | str
    author: str
    pour: int = 0
    contre: int = 0
    neutre: int = 0

    @property
    def votes(self) -> int:
        return self.pour + self.contre + self.neutre


def _draws(pool: list[Candidate], rng: random.Random) -> tuple[np.ndarray, np.ndarray]:
    """One posterior draw per proposal: (sampled score, sampled controversy)."""
    alphas = np.array([(1 + c.pour, 1 + c.contre, 1 + c.neutre) for c in pool], dtype=np.float64)
    generator = np.random.default_rng(rng.getrandbits(64))
    shares = generator.gamma(alphas)
    shares /= shares.sum(axis=1, keepdims=True)
    score = shares[:, 0] + shares[:, 2] / 2
    controversy = 2 * np.minimum(shares[:, 0], shares[:, 1])
    return score, controversy


def choose(
    candidates: Sequence[Candidate],
    exclude: Collection = (),
    size: int = 12,
    rng: random.Random | None = None,
    explore_below: int = 10,
    controversial: int = 2,
) -> list:
    """Up to `size` identifiers of `candidates` to show next (see the module's docstring)."""
    if not 0 <= size <= MAX_SIZE:
        raise ValueError(f"size : un nombre entre 0 et {MAX_SIZE} est attendu")
    if explore_below < 0 or controversial < 0:
        raise ValueError("explore_below et controversial : des nombres positifs sont attendus")
    rng = rng if rng is not None else random.Random()
    excluded = set(exclude)
    seen_ids: set = set()
    pool: list[Candidate] = []
    for candidate in candidates:
        if candidate.id in excluded or candidate.id in seen_ids:
            continue
        seen_ids.add(candidate.id)
        pool.append(candidate)

    chosen: list = []
    picked: set = set()
    authors: set[str] = set()

    def take(candidate: Candidate) -> None:
        if len(chosen) < size and candidate.id not in picked and candidate.author not in authors:
            chosen.append(candidate.id)
            picked.add(candidate.id)
            authors.add(candidate.author)

    young = [c for c in pool if c.votes < explore_below]
    tiebreak = {id(c): rng.random() for c in young}
    for candidate in sorted(young, key=lambda c: (c.votes, tiebreak[id(c)])):
        take(candidate)

    mature = [c for c in pool if c.votes >= explore_below]
    if len(chosen) >= size or not mature:
        return chosen
    score, controversy = _draws(mature, rng)
    by_score = [mature[i] for i in np.argsort(-score, kind="stable")]
    by_controversy = [mature[i] for i in np.argsort(-controversy, kind="stable")]

    places = size - len(chosen)
    reserved = min(controversial, places)
    for candidate in by_score:
        if len(chosen) >= size - reserved:
            break
        take(candidate)
    for candidate in by_controversy:
        take(candidate)
    for candidate in by_score:  # controversial places no proposal could fill
        take(candidate)
    return chosen
