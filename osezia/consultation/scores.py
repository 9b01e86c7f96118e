"""One proposal's figures from its counts (pure Python, no Django).

From the counts of « pour », « contre », « neutre » and of each qualification:

- the share of each vote with its 95 % Wilson interval;
- Make.org's scores: engagement, adhésion, réalisme (their formulas, written here);
- the platform's ranking `score` (agreement first, qualifications second, see `stats`);
- the controversy (high when opinion is split) and the zone among `ZONES`.

The thresholds are module constants; docs/consultation.md gives the reasoning behind them.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations

from osezia.referentiels import codes

Z_95 = 1.959963984540054  # two-sided 95 % normal quantile

# Zones, named by the referential's codes.
CONSENSUS = "consensus"
REJET = "rejet"
CONTROVERSE = "controverse"
LIMBO = "limbo"
ZONES = (CONSENSUS, REJET, CONTROVERSE, LIMBO)

ZONE_MIN_VOTES = 20  # below: too few votes to say anything (limbo)
ZONE_MAX_NEUTRAL = 0.5  # above this share of « neutre »: people do not take sides (limbo)
CONSENSUS_LOWER = 0.6  # consensus: the lower bound of the « pour » interval is above this
REJET_LOWER = 0.6  # rejet: the lower bound of the « contre » interval is above this
CONTROVERSE_SHARE = (
    0.3  # controverse: « pour » and « contre » each above this share of pour + contre
)

# How much of the room left above the agreement the qualifications may take (≤ 3/4 keeps the
# score increasing with every « pour » vote, see `stats`).
QUALITY_WEIGHT = 0.5

VOTES = codes.codes("vote_consultation")
QUALIFICATIONS = codes.codes("qualification")
_QUALIFICATION_VOTES = {e["code"]: frozenset(e["votes"]) for e in codes.entries("qualification")}


@dataclass(frozen=True)
class Interval:
    part: float
    bas: float
    haut: float

    def as_json(self) -> dict:
        return {"part": round(self.part, 4), "bas": round(self.bas, 4), "haut": round(self.haut, 4)}


@dataclass(frozen=True)
class Stats:
    votes: int
    pour: int
    contre: int
    neutre: int
    qualifications: dict[str, int]
    intervalles: dict[str, Interval]
    engagement: float
    adhesion: float
    realisme: float
    accord: float
    score: float
    controverse: float
    zone: str

    def as_json(self) -> dict:
        return (
            {"votes": self.votes}
            | {vote: getattr(self, vote) for vote in VOTES}
            | {
                "score": round(self.score, 4),
                "controverse": round(self.controverse, 4),
                "zone": self.zone,
                "accord": round(self.accord, 4),
                "engagement": round(self.engagement, 4),
                "adhesion": round(self.adhesion, 4),
                "realisme": round(self.realisme, 4),
                "intervalles": {vote: i.as_json() for vote, i in self.intervalles.items()},
                "qualifications": dict(self.qualifications),
            }
        )


def wilson(successes: int, trials: int, z: float = Z_95) -> Interval:
    """The share successes / trials with its Wilson score interval (0 trials: share 0 in
    [0, 1], nothing is known)."""
    if trials == 0:
        return Interval(0.0, 0.0, 1.0)
    share = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (share + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(share * (1 - share) / trials + z2 / (4 * trials * trials)) / denominator
    return Interval(share, max(0.0, centre - half), min(1.0, centre + half))


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} : un nombre entier est attendu")
    if value < 0:
        raise ValueError(f"{name} : un nombre positif ou nul est attendu (reçu {value})")
    return value


def _check_qualifications(counts: Mapping[str, int], qualifications: Mapping[str, int]) -> None:
    """Each vote carries one qualification at most, of those its vote allows: for every set
    of votes, the qualifications that only these votes may carry are no more than they."""
    for size in range(1, len(VOTES) + 1):
        for chosen in combinations(VOTES, size):
            allowed = set(chosen)
            carried = sum(
                n for q, n in qualifications.items() if _QUALIFICATION_VOTES[q] <= allowed
            )
            available = sum(counts[v] for v in chosen)
            if carried > available:
                raise ValueError(
                    f"qualifications incohérentes : {carried} qualification(s) pour "
                    f"{available} vote(s) {', '.join(chosen)}"
                )


def _above(value: float, threshold: float) -> bool:
    """Strictly above, a share equal to the threshold up to rounding being not above."""
    return value > threshold + 1e-9


def zone(votes: int, intervals: Mapping[str, Interval]) -> str:
    """limbo below ZONE_MIN_VOTES votes or above ZONE_MAX_NEUTRAL neutral; then consensus and
    rejet (lower bound of the « pour », « contre » interval), controverse (« pour » and
    « contre » each above CONTROVERSE_SHARE of the votes that take a side); limbo otherwise."""
    if votes < ZONE_MIN_VOTES or _above(intervals["neutre"].part, ZONE_MAX_NEUTRAL):
        return LIMBO
    if _above(intervals["pour"].bas, CONSENSUS_LOWER):
        return CONSENSUS
    if _above(intervals["contre"].bas, REJET_LOWER):
        return REJET
    pour, contre = intervals["pour"].part, intervals["contre"].part
    sided = pour + contre
    if _above(pour / sided, CONTROVERSE_SHARE) and _above(contre / sided, CONTROVERSE_SHARE):
        return CONTROVERSE
    return LIMBO


def stats(
    pour: int, contre: int, neutre: int, qualifications: Mapping[str, int] | None = None
) -> Stats:
    """The figures of one proposal. Raises ValueError (French message) on a negative or
    non-integer count, an unknown qualification or more qualifications than their votes.

    Make.org's scores (n = votes, b = banalité, the +0.01 are theirs):
      engagement = 1 − (neutre + b + 0.33) / (n + 1)
      adhésion   = ((coup de cœur + 0.01) − (surtout pas + 0.01)) / (n − neutre + 1)
      réalisme   = ((réaliste + 0.01) − (infaisable + 0.01)) / (n − neutre + 1)

    The ranking score, agreement first:
      accord  = (pour − contre) / (n + 1)                                  in (−1, 1)
      qualité = (adhésion + 2 × réalisme) / 3 × (n − neutre + 1) / (n + 1) in (−1, 1)
      score   = accord + QUALITY_WEIGHT × (1 − accord) × qualité          in (−2, 1)
    The qualifications move the score by at most half of what separates the agreement from
    unanimity; with QUALITY_WEIGHT ≤ 3/4 one more « pour » vote never lowers the score.
    """
    # keyword arguments: a literal keyed by the three votes would read as a second copy of
    # the referential's list (tests/referentiels/test_codes.py)
    counts = dict(  # noqa: C408
        pour=_count(pour, "pour"), contre=_count(contre, "contre"), neutre=_count(neutre, "neutre")
    )
    given = dict(qualifications or {})
    unknown = sorted(q for q in given if q not in _QUALIFICATION_VOTES)
    if unknown:
        raise ValueError(f"qualification inconnue : {', '.join(unknown)}")
    quals = {q: _count(given.get(q, 0), q) for q in QUALIFICATIONS}
    _check_qualifications(counts, quals)

    n = counts["pour"] + counts["contre"] + counts["neutre"]
    sided = n - counts["neutre"] + 1
    intervals = {vote: wilson(counts[vote], n) for vote in VOTES}
    engagement = 1 - (counts["neutre"] + quals["banalite"] + 0.33) / (n + 1)
    adhesion = ((quals["coup_de_coeur"] + 0.01) - (quals["surtout_pas"] + 0.01)) / sided
    realisme = ((quals["realiste"] + 0.01) - (quals["infaisable"] + 0.01)) / sided
    accord = (counts["pour"] - counts["contre"]) / (n + 1)
    quality = (adhesion + 2 * realisme) / 3 * sided / (n + 1)
    score = accord + QUALITY_WEIGHT * (1 - accord) * quality
    controversy = min(counts["pour"] + 0.01, counts["contre"] + 0.01) / sided
    return Stats(
        votes=n,
        pour=counts["pour"],
        contre=counts["contre"],
        neutre=counts["neutre"],
        qualifications=quals,
        intervalles=intervals,
        engagement=engagement,
        adhesion=adhesion,
        realisme=realisme,
        accord=accord,
        score=score,
        controverse=controversy,
        zone=zone(n, intervals),
    )
