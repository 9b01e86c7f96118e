"""The results of a consultation, computed by a background task after votes and stored in
`Resultats.donnees`, which pages and the API read as stored (never computed per page view).

Only the votes of trustworthy participants (`fiable`) on accepted proposals that are not
hidden count. Every figure comes from GROUP BY queries; the one pass over vote rows feeds the
opinion groups, streamed.
"""

import random
import time
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from osezia.referentiels import codes
from osezia.referentiels.models import Region

from .. import opinion, scores
from ..models import Consultation, Participant, Proposition, Resultats, Statut, Vote

SEGMENT_MIN_VOTES = 30  # a segment's figures on a proposal are shown from this many votes
MAP_SAMPLE = 3000  # participants drawn (fixed seed) for the map of opinion groups
MAP_SEED = 0
OPINION_SEED = 0
DEBOUNCE_MARGIN = 60  # seconds the pending mark outlives the delay (a late worker)
STREAM_CHUNK = 5000

# segment kind → the participant's field
SEGMENTS = {"tranche_age": "tranche_age", "region": "region", "profil": "profil"}

_VOTE_VALUES = codes.field("vote_consultation", "valeur")


def _pending_key(consultation_id: int) -> str:
    return f"consultation:resultats:attente:{consultation_id}"


def counted_votes(consultation: Consultation):
    """The votes that count: trustworthy participants, accepted proposals not hidden."""
    return Vote.objects.filter(
        consultation=consultation,
        participant__fiable=True,
        proposition__statut=Statut.ACCEPTEE,
        proposition__masquee=False,
    )


def _tally(rows, keys) -> dict[tuple, dict]:
    """GROUP BY rows (…keys, vote, qualification, n) → key → {"pour": …, "qualifications": …}."""
    tallies: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        tally = tallies.setdefault(key, {"votes": dict.fromkeys(scores.VOTES, 0), "quals": {}})
        tally["votes"][row["vote"]] += row["n"]
        if row["qualification"]:
            quals = tally["quals"]
            quals[row["qualification"]] = quals.get(row["qualification"], 0) + row["n"]
    return tallies


def _stats(tally: dict) -> scores.Stats:
    votes = tally["votes"]
    return scores.stats(votes["pour"], votes["contre"], votes["neutre"], tally["quals"])


def _propositions(consultation: Consultation, votes) -> list[dict]:
    texts = dict(
        Proposition.objects.filter(
            consultation=consultation, statut=Statut.ACCEPTEE, masquee=False
        ).values_list("id", "texte")
    )
    rows = votes.values("proposition_id", "vote", "qualification").annotate(n=Count("id"))
    tallies = _tally(rows.order_by(), ("proposition_id",))
    empty = {"votes": dict.fromkeys(scores.VOTES, 0), "quals": {}}
    result = []
    for pk, text in texts.items():
        figures = _stats(tallies.get((pk,), empty)).as_json()
        result.append({"id": pk, "texte": text, **figures})
    result.sort(key=lambda p: (-p["score"], p["id"]))
    return result


def _segment_labels(kind: str, values) -> dict[str, str]:
    if kind == "region":
        return dict(Region.objects.filter(code__in=values).values_list("code", "libelle"))
    known = codes.labels("profil_participant" if kind == "profil" else "tranche_age")
    return {v: known[v] for v in values if v in known}


def _segments(votes) -> dict[str, list[dict]]:
    """Per kind, per segment (participants who gave it), the proposals it voted on at least
    SEGMENT_MIN_VOTES times, best score first."""
    result = {}
    for kind, column in SEGMENTS.items():
        path = f"participant__{column}"
        rows = (
            votes.exclude(**{path: ""})
            .values(path, "proposition_id", "vote", "qualification")
            .annotate(n=Count("id"))
            .order_by()
        )
        tallies = _tally(rows, (path, "proposition_id"))
        per_segment: dict[str, list[dict]] = defaultdict(list)
        for (segment, pk), tally in tallies.items():
            if sum(tally["votes"].values()) >= SEGMENT_MIN_VOTES:
                per_segment[segment].append({"id": pk, **_stats(tally).as_json()})
        labels = _segment_labels(kind, list(per_segment))
        result[kind] = [
            {
                "code": segment,
                "libelle": labels.get(segment, segment),
                "propositions": sorted(props, key=lambda p: (-p["score"], p["id"])),
            }
            for segment, props in sorted(per_segment.items())
        ]
    return result


def _opinion(votes, texts: dict[str, str]) -> tuple[dict, dict]:
    """The opinion groups (`as_json()`) and the map: a fixed-seed sample of at most MAP_SAMPLE
    classed participants' positions with their group, and each group's size and
    representative proposals."""
    stream = (
        votes.values_list("participant__pseudonyme", "proposition_id", "vote")
        .order_by()
        .iterator(chunk_size=STREAM_CHUNK)
    )
    result = opinion.analyse(
        ((who, str(pk), _VOTE_VALUES[vote]) for who, pk, vote in stream), seed=OPINION_SEED
    )
    names = sorted(result.positions)
    if len(names) > MAP_SAMPLE:
        names = sorted(random.Random(MAP_SEED).sample(names, MAP_SAMPLE))
    points = [
        [round(result.positions[n][0], 3), round(result.positions[n][1], 3), result.groupes[n]]
        for n in names
    ]
    groups = [
        {
            "groupe": int(group),
            "taille": size,
            "representatives": [
                {"id": int(r.id), "texte": texts.get(r.id, ""), "sens": r.sens}
                for r in result.details_representatifs.get(group, [])
            ],
        }
        for group, size in result.tailles.items()
    ]
    carte = {
        "points": points,
        "participants_classes": result.participants_classes,
        "echantillon": len(points) < result.participants_classes,
        "groupes": groups,
    }
    return result.as_json(), carte


def _counters(consultation: Consultation, votes) -> dict:
    people = Participant.objects.filter(consultation=consultation).aggregate(
        total=Count("id"), fiables=Count("id", filter=Q(fiable=True))
    )
    all_votes = Vote.objects.filter(consultation=consultation).aggregate(
        total=Count("id"), fiables=Count("id", filter=Q(participant__fiable=True))
    )
    return {
        "participants": people["total"],
        "participants_fiables": people["fiables"],
        "votes": all_votes["total"],
        "votes_fiables": all_votes["fiables"],
        "votes_comptes": votes.count(),
    }


def compute(consultation: Consultation) -> dict:
    """The results as stored in `Resultats.donnees`: `propositions` and `groupes` (the API's
    contract), then `segments`, `carte` and `compteurs`."""
    votes = counted_votes(consultation)
    propositions = _propositions(consultation, votes)
    texts = {str(p["id"]): p["texte"] for p in propositions}
    groupes, carte = _opinion(votes, texts)
    return {
        "propositions": propositions,
        "groupes": groupes,
        "segments": _segments(votes),
        "carte": carte,
        "compteurs": _counters(consultation, votes),
    }


def refresh(consultation: Consultation) -> Resultats:
    """Compute the results and store them (one row per consultation), in one transaction."""
    donnees = compute(consultation)
    with transaction.atomic():
        resultats, _ = Resultats.objects.update_or_create(
            consultation=consultation,
            defaults={"donnees": donnees, "calcule_le": timezone.now()},
        )
    return resultats


def refresh_pending(consultation_id: int) -> bool:
    """The task's work: clear the pending mark first (votes arriving while this computes
    schedule another run), then recompute. False when the consultation is gone."""
    cache.delete(_pending_key(consultation_id))
    _DEFERRED_UNTIL.pop(consultation_id, None)
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        return False
    refresh(consultation)
    return True


def schedule(consultation: Consultation) -> None:
    """Ask for a recompute once the caller's transaction commits, debounced: at most one
    pending per consultation, run CONSULTATION_RESULTATS_DELAI seconds later (when the task
    backend can defer; at once otherwise)."""
    schedule_id(consultation.pk)


def schedule_id(consultation_id: int) -> None:
    """`schedule` for a consultation known by its id (the votes' hot path has no instance)."""
    transaction.on_commit(lambda: _enqueue(consultation_id), robust=True)


# consultation → until when (monotonic clock) a run this process deferred will still read
# what is voted now: until then, a vote asks nothing of the shared cache (a round trip saved
# per vote). Only the process that enqueued the run knows when it will start.
_DEFERRED_UNTIL: dict[int, float] = {}
_SAFETY = 5  # seconds before the run starts: a vote after that asks the cache again
_clock = time.monotonic


def _enqueue(consultation_id: int) -> bool:
    if _clock() < _DEFERRED_UNTIL.get(consultation_id, 0):
        return False  # the run this process deferred will read these votes
    delay = int(settings.CONSULTATION_RESULTATS_DELAI)
    if not cache.add(_pending_key(consultation_id), 1, timeout=delay + DEBOUNCE_MARGIN):
        return False  # one is already pending: it will read these votes
    from ..tasks import refresh_results  # the tasks module imports this one

    task = refresh_results
    deferred = delay > 0 and task.get_backend().supports_defer
    if deferred:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
    enqueued = _clock()
    try:
        task.enqueue(consultation_id)
    except Exception:
        cache.delete(_pending_key(consultation_id))  # let the next vote try again
        raise
    if deferred and delay > _SAFETY:
        _DEFERRED_UNTIL[consultation_id] = enqueued + delay - _SAFETY
    return True


def forget_deferred() -> None:
    """Forget the runs this process deferred (when one ran here, or between tests)."""
    _DEFERRED_UNTIL.clear()


def empty() -> dict:
    """The results of a consultation nobody has voted on yet (same keys as `compute`)."""
    return {
        "propositions": [],
        "groupes": {
            "k": 0,
            "participants_classes": 0,
            "groupes": {},
            "representatifs": {},
            "consensus": [],
        },
        "segments": {kind: [] for kind in SEGMENTS},
        "carte": {"points": [], "participants_classes": 0, "echantillon": False, "groupes": []},
        "compteurs": {},
    }


def stored(consultation: Consultation) -> dict:
    """The results as the last computation stored them (pages and the API never compute)."""
    found = Resultats.objects.filter(consultation=consultation).values_list("donnees", flat=True)
    return found.first() or empty()


def computed_at(consultation: Consultation):
    return (
        Resultats.objects.filter(consultation=consultation)
        .values_list("calcule_le", flat=True)
        .first()
    )
