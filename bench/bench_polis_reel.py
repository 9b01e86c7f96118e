"""Opinion groups (`consultation/opinion.py`) against Pol.is's own groups, on real Pol.is
conversations stored in bench/data/polis/ (open data, see SOURCES.md there).

For each conversation folder holding votes.csv, comments.csv and participants-votes.csv:
the platform's analysis (`read_votes`, `read_comments`, `analyse`, as `manage.py
opinion_groups`) against the `group-id` column of participants-votes.csv: number of groups,
adjusted Rand index on the participants both class, share of Pol.is's classed participants
we class (and the converse); Pol.is publishes no representative statements, so the overlap
of representatives is measured against the same repness computed on Pol.is's groups; our
consensus list against the statements most agreed overall (comments.csv counts). Time and
peak memory of the analysis. An evaluation only: nothing here tunes opinion.py."""

import csv
import resource
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _support import emit  # noqa: E402

from osezia.consultation import opinion  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "polis"
FILES = ("votes.csv", "comments.csv", "participants-votes.csv")


def polis_groups(folder: Path) -> dict[str, str]:
    with (folder / "participants-votes.csv").open(encoding="utf-8", newline="") as stream:
        return {
            row["participant"]: row["group-id"]
            for row in csv.DictReader(stream)
            if row["group-id"].strip()
        }


def most_agreed(folder: Path, hidden: set[str], size: int) -> list[str]:
    """Shown statements by agree share (agrees / (agrees + disagrees)), at least 10 votes."""
    with (folder / "comments.csv").open(encoding="utf-8", newline="") as stream:
        rows = [r for r in csv.DictReader(stream) if r["comment-id"] not in hidden]
    scored = []
    for row in rows:
        agrees, disagrees = int(row["agrees"]), int(row["disagrees"])
        if agrees + disagrees >= 10:
            scored.append((-agrees / (agrees + disagrees), -agrees, row["comment-id"]))
    return [ident for *_, ident in sorted(scored)[:size]]


def representatives_for(votes, hidden: set[str], groups: dict[str, str], threshold: int):
    """The platform's repness (same code) computed on the given grouping of participants."""
    labels = {g: i for i, g in enumerate(sorted(set(groups.values())))}
    statements = sorted({s for _, s, _ in votes if s not in hidden})
    index = {s: j for j, s in enumerate(statements)}
    k, m = len(labels), len(statements)
    agree, disagree, seen = np.zeros((k, m)), np.zeros((k, m)), np.zeros((k, m))
    latest = {(p, s): v for p, s, v in votes if s not in hidden}
    counts: dict[str, int] = {}
    for p, _ in latest:
        counts[p] = counts.get(p, 0) + 1
    for (p, s), v in latest.items():
        if p not in groups or counts[p] < threshold:
            continue
        g, j = labels[groups[p]], index[s]
        seen[g, j] += 1
        agree[g, j] += v == 1
        disagree[g, j] += v == -1
    chosen = opinion._representatives(agree, disagree, seen, statements)
    return {g: [r.id for _, r in chosen[labels[g]]] for g in labels}


def compare(folder: Path) -> dict:
    with (folder / "votes.csv").open(encoding="utf-8", newline="") as stream:
        votes = opinion.read_votes(stream)
    with (folder / "comments.csv").open(encoding="utf-8", newline="") as stream:
        _, hidden = opinion.read_comments(stream)
    start, cpu = time.perf_counter(), time.process_time()
    result = opinion.analyse(votes, hidden=hidden)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    polis = polis_groups(folder)
    ours = result.groupes
    both = sorted(set(polis) & set(ours))
    ari = adjusted_rand_score([polis[p] for p in both], [ours[p] for p in both]) if both else 0.0
    # representatives: ours against the same repness on Pol.is's groups, groups matched by
    # the largest overlap of members
    theirs = representatives_for(votes, hidden, polis, result.seuil_votes)
    overlaps = []
    for g, ids in result.representatifs.items():
        members = {p for p, label in ours.items() if str(label) == g}
        match = max(theirs, key=lambda h: len(members & {p for p, x in polis.items() if x == h}))
        union = set(ids) | set(theirs[match])
        overlaps.append(len(set(ids) & set(theirs[match])) / len(union) if union else 1.0)
    top = most_agreed(folder, hidden, opinion.MAX_CONSENSUS)
    consensus_in_top = (
        len(set(result.consensus) & set(top)) / len(result.consensus) if result.consensus else None
    )
    return {
        "conversation": folder.name,
        "votes": len(votes),
        "k": result.k,
        "k_polis": len(set(polis.values())),
        "participants_classes": len(ours),
        "participants_classes_polis": len(polis),
        "part_classes_polis_aussi_classes": round(len(both) / len(polis), 4) if polis else None,
        "part_nos_classes_classes_par_polis": round(len(both) / len(ours), 4) if ours else None,
        "indice_rand_ajuste": round(ari, 4),
        "tailles": result.tailles,
        "silhouettes": {k: round(v, 3) for k, v in result.silhouettes.items()},
        "jaccard_representatives_moyen": round(float(np.mean(overlaps)), 4) if overlaps else None,
        "consensus": result.consensus,
        "plus_approuvees": top,
        "part_consensus_parmi_plus_approuvees": consensus_in_top,
        "secondes": round(seconds, 3),
        "secondes_processeur": round(cpu, 3),
        "memoire_max_mo": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    folders = sorted(p for p in DATA.iterdir() if all((p / name).exists() for name in FILES))
    rows = [compare(folder) for folder in folders]
    print(
        f"{'conversation':<24} {'k':>2} {'k Pol.is':>8} {'classés':>7} {'Pol.is':>6} "
        f"{'IRA':>6} {'Jaccard repr.':>13} {'s':>6}"
    )
    for row in rows:
        print(
            f"{row['conversation']:<24} {row['k']:>2} {row['k_polis']:>8} "
            f"{row['participants_classes']:>7} {row['participants_classes_polis']:>6} "
            f"{row['indice_rand_ajuste']:>6} {row['jaccard_representatives_moyen']!s:>13} "
            f"{row['secondes']:>6}"
        )
    for row in rows:
        emit(bench="groupes_opinion_polis_reel", **row)


if __name__ == "__main__":
    main()
