"""Opinion groups of a consultation, as Pol.is finds them, on plain data (no Django).

`read_votes` and `read_comments` read the Pol.is open-data export (`votes.csv`,
`comments.csv`) or the platform's own exports; `analyse` turns votes into groups:

1. a participants × statements matrix (agree 1, disagree -1, pass 0, not voted = missing), the
   hidden statements left out, participants and statements sorted by identifier first so that
   the order of the votes never matters;
2. participants with too few votes left out: Pol.is keeps those who voted on at least
   `min(7, number of statements)` statements (`min_votes` overrides the rule);
3. a PCA to two components that handles missing votes as Pol.is does: each statement centred
   on its observed votes (a missing vote counts as the statement's mean, i.e. 0 once centred),
   a participant's projection scaled by sqrt(statements / votes of the participant), so that
   a participant who voted little is not drawn to the centre; the centred matrix stays sparse
   and the two components come from a randomized SVD (power iterations) on it;
4. k-means on the two coordinates, k chosen by the silhouette between 2 and 5 (on a sample of
   fixed seed above `SILHOUETTE_SAMPLE` participants); groups numbered by decreasing size, then
   by their smallest member identifier;
5. representative statements per group (Pol.is's repness) and the group-aware consensus.

Everything random is drawn from `seed`: the same votes give the same result.
"""

import csv
import io
import math
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.utils.extmath import randomized_svd

from osezia.referentiels import codes
from osezia.socle.regles import InvalidExternalId, external_id, forbidden_characters

POLIS_MIN_VOTES = 7  # Pol.is clusters the participants with at least min(7, statements) votes
K_MIN, K_MAX = 2, 5
SILHOUETTE_SAMPLE = 5000  # participants drawn (fixed seed) to compute a silhouette above this
KMEANS_RUNS = 10
MAX_REPRESENTATIVES = 5
MAX_CONSENSUS = 10
Z_90 = 1.2816  # one-sided 90 % normal quantile: Pol.is's significance threshold for repness
MAX_ID_LENGTH = 200

# Pol.is writes 1, -1 and 0; the platform's own export may name the vote by its code
VOTE_VALUES = {"1": 1, "-1": -1, "0": 0} | {
    entry["code"]: entry["valeur"] for entry in codes.entries("vote_consultation")
}
POLIS_VOTES_HEADER = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
PLATFORM_VOTES_HEADER = ("participant", "proposition", "vote")
POLIS_COMMENTS_HEADER = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
PLATFORM_COMMENTS_START = ("id", "texte")
PLATFORM_STATUSES = {"en_attente", "acceptee", "refusee"}
HIDDEN_STATUSES = {"refusee"}


class FormatError(ValueError):
    """A malformed file: `line` is the 1-based line of the fault, `str(exc)` the French message
    (« ligne N : … »)."""

    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(f"ligne {line} : {message}")


# Reading -----------------------------------------------------------------------------------


def _rows(stream) -> Iterator[tuple[int, list[str]]]:
    """The records of a CSV stream (text or bytes) with the line where each one starts;
    blank lines skipped."""
    if isinstance(stream, io.BufferedIOBase | io.RawIOBase) or "b" in getattr(stream, "mode", ""):
        stream = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(stream, strict=True)
    previous_end = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FormatError(reader.line_num or 1, f"CSV mal formé ({error})") from error
        except UnicodeDecodeError as error:
            raise FormatError(
                reader.line_num + 1, "le fichier n'est pas encodé en UTF-8"
            ) from error
        start, previous_end = previous_end + 1, reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        yield start, row


def _header(rows: Iterator[tuple[int, list[str]]], expected: str) -> tuple[int, list[str]]:
    try:
        line, header = next(rows)
    except StopIteration:
        raise FormatError(1, f"fichier vide : l'en-tête {expected} est attendu") from None
    header = [cell.strip().lstrip("\ufeff").strip().lower() for cell in header]
    return line, header


def _columns(header: list[str], line: int, names: Iterable[str], expected: str) -> dict[str, int]:
    positions = {}
    for name in names:
        if name not in header:
            raise FormatError(line, f"colonne « {name} » absente de l'en-tête ; attendu {expected}")
        positions[name] = header.index(name)
    return positions


def _identifier(value: str, line: int, column: str) -> str:
    if forbidden_characters(value):
        raise FormatError(line, f"colonne « {column} » : caractères de contrôle interdits")
    value = value.strip()
    if not value:
        raise FormatError(line, f"colonne « {column} » vide : un identifiant est attendu")
    if len(value) > MAX_ID_LENGTH:
        raise FormatError(
            line, f"colonne « {column} » : identifiant de plus de {MAX_ID_LENGTH} caractères"
        )
    return value


def _cells(row: list[str], width: int, line: int) -> list[str]:
    if len(row) < width:
        raise FormatError(line, f"{len(row)} colonne(s) au lieu de {width}")
    if len(row) > width:
        raise FormatError(line, f"{len(row)} colonnes au lieu de {width} (virgule en trop ?)")
    return row


def _timestamp(value: str, line: int) -> float:
    try:
        when = float(value)
    except ValueError:
        raise FormatError(
            line, f"horodatage « {value.strip()[:30]} » invalide : un nombre est attendu"
        ) from None
    if not math.isfinite(when):
        raise FormatError(line, "horodatage invalide : un nombre fini est attendu")
    return when


def _moderated(value: str, line: int) -> int:
    value = value.strip()
    if value not in ("-1", "0", "1"):
        raise FormatError(line, f"moderated « {value[:20]} » invalide : -1, 0 ou 1 est attendu")
    return int(value)


_VOTES_EXPECTED = (
    f"« {','.join(POLIS_VOTES_HEADER)} » (export Pol.is) ou « {','.join(PLATFORM_VOTES_HEADER)} »"
)


def read_votes(stream) -> list[tuple[str, str, int]]:
    """The votes of a Pol.is `votes.csv` or of the platform's votes export, as (participant,
    statement, value) with value 1 (agree, « pour »), -1 (disagree, « contre ») or 0 (pass,
    « neutre »); one vote per participant and statement: the latest (Pol.is: greatest
    timestamp, then the later line; platform: the later line). Raises `FormatError`."""
    rows = _rows(stream)
    line, header = _header(rows, _VOTES_EXPECTED)
    if "voter-id" in header or "comment-id" in header:
        columns = _columns(header, line, POLIS_VOTES_HEADER, _VOTES_EXPECTED)
        voter, statement, vote = columns["voter-id"], columns["comment-id"], columns["vote"]
        stamp = columns["timestamp"]
        names = ("voter-id", "comment-id")
    elif "participant" in header or "proposition" in header:
        columns = _columns(header, line, PLATFORM_VOTES_HEADER, _VOTES_EXPECTED)
        voter, statement, vote = columns["participant"], columns["proposition"], columns["vote"]
        stamp = None
        names = ("participant", "proposition")
    else:
        raise FormatError(line, f"en-tête non reconnu ; attendu {_VOTES_EXPECTED}")
    width = len(header)
    latest: dict[tuple[str, str], tuple[float, int]] = {}
    # One string object per identifier, not one per line: 10 M votes name 100,000 voters
    # and a few thousand statements.
    shared: dict[str, str] = {}
    for line, row in rows:
        _cells(row, width, line)
        who = _identifier(row[voter], line, names[0])
        what = _identifier(row[statement], line, names[1])
        key = (shared.setdefault(who, who), shared.setdefault(what, what))
        value = VOTE_VALUES.get(row[vote].strip().lower())
        if value is None:
            raise FormatError(
                line, f"vote « {row[vote].strip()[:20]} » invalide : -1, 0 ou 1 est attendu"
            )
        when = 0.0 if stamp is None else _timestamp(row[stamp], line)
        previous = latest.get(key)
        if previous is None or when >= previous[0]:
            latest[key] = (when, value)
    return [(voter, statement, value) for (voter, statement), (_, value) in latest.items()]


_COMMENTS_EXPECTED = (
    f"« {','.join(POLIS_COMMENTS_HEADER)} » (export Pol.is) ou « id,texte,…,statut,… » "
    "(export des propositions)"
)


def read_comments(stream) -> tuple[list[str], set[str]]:
    """The statements of a Pol.is `comments.csv` (hidden: moderated = -1) or of the platform's
    proposals export (header beginning `id,texte`, a `statut` column; hidden: `refusee`), as
    (identifiers in file order, hidden identifiers). Raises `FormatError`."""
    rows = _rows(stream)
    line, header = _header(rows, _COMMENTS_EXPECTED)
    if "comment-id" in header:
        columns = _columns(header, line, POLIS_COMMENTS_HEADER, _COMMENTS_EXPECTED)
        ident, state, name = columns["comment-id"], columns["moderated"], "comment-id"
        polis = True
    elif tuple(header[:2]) == PLATFORM_COMMENTS_START:
        columns = _columns(header, line, ("id", "statut"), _COMMENTS_EXPECTED)
        ident, state, name = columns["id"], columns["statut"], "id"
        polis = False
    else:
        raise FormatError(line, f"en-tête non reconnu ; attendu {_COMMENTS_EXPECTED}")
    width = len(header)
    ids: list[str] = []
    hidden: set[str] = set()
    seen: dict[str, int] = {}
    for line, row in rows:
        _cells(row, width, line)
        statement = _identifier(row[ident], line, name)
        if statement in seen:
            raise FormatError(line, f"identifiant « {statement} » déjà vu ligne {seen[statement]}")
        seen[statement] = line
        value = row[state].strip()
        if polis:
            is_hidden = _moderated(value, line) == -1
        else:
            if value not in PLATFORM_STATUSES:
                raise FormatError(
                    line,
                    f"statut « {value[:20]} » invalide : "
                    + ", ".join(sorted(PLATFORM_STATUSES))
                    + " est attendu",
                )
            is_hidden = value in HIDDEN_STATUSES
        ids.append(statement)
        if is_hidden:
            hidden.add(statement)
    return ids, hidden


# A whole Pol.is conversation (the platform's import) ---------------------------------------


@dataclass(frozen=True, slots=True)
class PolisComment:
    """A line of a Pol.is `comments.csv`; `author` "" when the cell is empty; `moderated` 1
    (accepted), 0 (not moderated yet) or -1 (moderated out); `timestamp` as written
    (milliseconds or seconds since the epoch)."""

    id: str
    author: str
    text: str
    moderated: int
    timestamp: float
    line: int


@dataclass(frozen=True, slots=True)
class PolisVote:
    """The vote that counts for a voter and a comment (`value` 1, -1 or 0), with the timestamp
    of their first vote on it, of the one that counts, and the line of the latter."""

    value: int
    first: float
    last: float
    line: int


def _external(value: str, line: int, column: str) -> str:
    try:
        return external_id(value)
    except InvalidExternalId as error:
        raise FormatError(line, f"colonne « {column} » : {error}") from None


def _polis_header(rows, header_names, expected: str) -> tuple[dict[str, int], int]:
    line, header = _header(rows, expected)
    if "comment-id" not in header:
        raise FormatError(line, f"en-tête non reconnu ; attendu {expected}")
    return _columns(header, line, header_names, expected), len(header)


def read_polis_comments(stream) -> list[PolisComment]:
    """Every comment of a Pol.is `comments.csv`, in file order, its text kept as written.
    Identifiers follow the platform's external-identifier rule. Raises `FormatError`."""
    expected = f"« {','.join(POLIS_COMMENTS_HEADER)} » (export Pol.is)"
    rows = _rows(stream)
    columns, width = _polis_header(rows, POLIS_COMMENTS_HEADER, expected)
    comments: list[PolisComment] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        _cells(row, width, line)
        ident = _external(row[columns["comment-id"]], line, "comment-id")
        if ident in seen:
            raise FormatError(line, f"identifiant « {ident} » déjà vu ligne {seen[ident]}")
        seen[ident] = line
        text = row[columns["comment-body"]]
        if forbidden_characters(text, multiline=True):
            raise FormatError(line, "colonne « comment-body » : caractères de contrôle interdits")
        if not text.strip():
            raise FormatError(line, "colonne « comment-body » vide : un texte est attendu")
        author = row[columns["author-id"]]
        comments.append(
            PolisComment(
                id=ident,
                author=_external(author, line, "author-id") if author.strip() else "",
                text=text,
                moderated=_moderated(row[columns["moderated"]], line),
                timestamp=_timestamp(row[columns["timestamp"]], line),
                line=line,
            )
        )
    return comments


def read_polis_votes(stream) -> dict[tuple[str, str], PolisVote]:
    """The votes of a Pol.is `votes.csv` by (voter-id, comment-id): the latest counts, as in
    `read_votes` (greatest timestamp, then the later line). Identifiers follow the platform's
    external-identifier rule. Raises `FormatError`."""
    expected = f"« {','.join(POLIS_VOTES_HEADER)} » (export Pol.is)"
    rows = _rows(stream)
    columns, width = _polis_header(rows, POLIS_VOTES_HEADER, expected)
    voter, statement, vote = columns["voter-id"], columns["comment-id"], columns["vote"]
    stamp = columns["timestamp"]
    votes: dict[tuple[str, str], PolisVote] = {}
    shared: dict[str, str] = {}
    for line, row in rows:
        _cells(row, width, line)
        # an identifier checked once: 500,000 votes name a few thousand voters and comments
        who, what = shared.get(row[voter]), shared.get(row[statement])
        if who is None:
            who = shared[row[voter]] = _external(row[voter], line, "voter-id")
        if what is None:
            what = shared[row[statement]] = _external(row[statement], line, "comment-id")
        key = (who, what)
        raw = row[vote].strip()
        if raw not in ("1", "-1", "0"):
            raise FormatError(line, f"vote « {raw[:20]} » invalide : -1, 0 ou 1 est attendu")
        value = int(raw)
        when = _timestamp(row[stamp], line)
        previous = votes.get(key)
        if previous is None:
            votes[key] = PolisVote(value, when, when, line)
        elif when >= previous.last:
            votes[key] = PolisVote(value, min(previous.first, when), when, line)
        elif when < previous.first:
            votes[key] = PolisVote(previous.value, when, previous.last, previous.line)
    return votes


def read_polis_summary(stream) -> dict[str, str]:
    """The key-value lines of a Pol.is `summary.csv` (`topic,…`, `conversation-description,…`),
    keys in lower case. Raises `FormatError` on a malformed CSV."""
    summary: dict[str, str] = {}
    for _, row in _rows(stream):
        if len(row) >= 2:
            summary.setdefault(row[0].strip().lstrip("\ufeff").lower(), row[1])
    return summary


# Analysis ----------------------------------------------------------------------------------


@dataclass
class Representative:
    """Why a statement represents a group: `sens` « pour » (the group agrees more than the
    others) or « contre »; probabilities with Pol.is's pseudo-counts."""

    id: str
    sens: str
    probabilite_groupe: float
    probabilite_autres: float
    score: float


@dataclass
class Result:
    k: int
    participants_classes: int
    groupes: dict[str, int]
    representatifs: dict[str, list[str]]
    consensus: list[str]
    positions: dict[str, tuple[float, float]]
    tailles: dict[str, int]
    silhouettes: dict[int, float] = field(default_factory=dict)
    details_representatifs: dict[str, list[Representative]] = field(default_factory=dict)
    seuil_votes: int = 0

    def as_json(self) -> dict:
        """The shape of `manage.py opinion_groups` and of the results' `groupes`."""
        return {
            "k": self.k,
            "participants_classes": self.participants_classes,
            "groupes": dict(self.groupes),
            "representatifs": {g: list(ids) for g, ids in self.representatifs.items()},
            "consensus": list(self.consensus),
        }


def _empty(threshold: int) -> Result:
    return Result(0, 0, {}, {}, [], {}, {}, seuil_votes=threshold)


def _factorize(votes: Iterable[tuple[str, str, int]]):
    """Integer codes of participants and statements (first-seen order) and the values."""
    participants: dict[str, int] = {}
    statements: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    values: list[int] = []
    add_p, add_s = participants.setdefault, statements.setdefault
    for participant, statement, value in votes:
        if value not in (-1, 0, 1):
            raise ValueError(f"vote {value!r} invalide : -1, 0 ou 1 est attendu")
        rows.append(add_p(participant, len(participants)))
        cols.append(add_s(statement, len(statements)))
        values.append(value)
    return (
        list(participants),
        list(statements),
        np.asarray(rows, dtype=np.int64),
        np.asarray(cols, dtype=np.int64),
        np.asarray(values, dtype=np.int8),
    )


def _canonical(ids: list[str], codes: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Identifiers sorted, and the codes renumbered in that order."""
    order = sorted(range(len(ids)), key=ids.__getitem__)
    rank = np.empty(len(ids), dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(ids))
    return [ids[i] for i in order], rank[codes] if len(codes) else codes


def _project(rows, cols, values, n: int, m: int, seed: int) -> np.ndarray:
    """Pol.is's sparsity-aware PCA projection of the participants, shape (n, 2)."""
    observed = np.bincount(cols, minlength=m).astype(np.float64)
    sums = np.bincount(cols, weights=values, minlength=m)
    means = np.divide(sums, observed, out=np.zeros(m), where=observed > 0)
    centred = sp.csr_matrix((values - means[cols], (rows, cols)), shape=(n, m))
    components = min(2, n, m)
    positions = np.zeros((n, 2))
    if components == 0:
        return positions
    _, _, vt = randomized_svd(
        centred, n_components=components, n_iter=7, random_state=seed, flip_sign=False
    )
    for c in range(components):  # a canonical sign: the largest loading is positive
        if vt[c, int(np.argmax(np.abs(vt[c])))] < 0:
            vt[c] = -vt[c]
    positions[:, :components] = centred @ vt.T
    per_participant = np.bincount(rows, minlength=n)
    positions *= np.sqrt(m / np.maximum(per_participant, 1))[:, None]
    return positions


def _cluster(positions: np.ndarray, seed: int) -> tuple[np.ndarray, dict[int, float]]:
    """Labels (0 … k-1, arbitrary numbering) and the silhouette of each k tried."""
    n = len(positions)
    distinct = len(np.unique(positions.round(9), axis=0)) if n else 0
    best, silhouettes = None, {}
    for k in range(K_MIN, K_MAX + 1):
        if n < 2 * k or distinct < k:
            break
        labels = KMeans(n_clusters=k, n_init=KMEANS_RUNS, random_state=seed).fit_predict(positions)
        if len(np.unique(labels)) < 2:
            continue
        sample = SILHOUETTE_SAMPLE if n > SILHOUETTE_SAMPLE else None
        score = float(silhouette_score(positions, labels, sample_size=sample, random_state=seed))
        silhouettes[k] = score
        if best is None or score > best[0] + 1e-12:
            best = (score, labels)
    if best is None:  # too few participants (or all alike) for two groups: one group
        return np.zeros(n, dtype=np.int64), silhouettes
    return best[1].astype(np.int64), silhouettes


def _relabel(labels: np.ndarray) -> tuple[np.ndarray, int]:
    """Groups numbered by decreasing size, then by smallest member (participants are sorted)."""
    groups = np.unique(labels)
    sizes = np.bincount(labels)
    first = {g: int(np.argmax(labels == g)) for g in groups}
    order = sorted(groups, key=lambda g: (-sizes[g], first[g]))
    mapping = np.empty(int(labels.max()) + 1, dtype=np.int64)
    for new, old in enumerate(order):
        mapping[old] = new
    return mapping[labels], len(order)


def _prop_test(successes, trials):
    """Pol.is's one-proportion z statistic against ½, with a pseudo-count."""
    return 2 * np.sqrt(trials + 1) * ((successes + 1) / (trials + 1) - 0.5)


def _two_prop_test(s1, n1, s2, n2):
    """Pol.is's two-proportion z statistic (group vs the others), with pseudo-counts."""
    s1, n1, s2, n2 = s1 + 1, n1 + 1, s2 + 1, n2 + 1
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return np.divide(s1 / n1 - s2 / n2, spread, out=np.zeros_like(spread), where=spread > 0)


def _representatives(agree, disagree, seen, statements: list[str]) -> dict[int, list]:
    """Per group, up to MAX_REPRESENTATIVES (index, Representative), best first."""
    k = agree.shape[0]
    result: dict[int, list] = {}
    total_a, total_d, total_s = agree.sum(0), disagree.sum(0), seen.sum(0)
    for g in range(k):
        na, nd, ns = agree[g], disagree[g], seen[g]
        oa, od, os_ = total_a - na, total_d - nd, total_s - ns
        pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
        qa, qd = (oa + 1) / (os_ + 2), (od + 1) / (os_ + 2)
        pat, pdt = _prop_test(na, ns), _prop_test(nd, ns)
        rat, rdt = _two_prop_test(na, ns, oa, os_), _two_prop_test(nd, ns, od, os_)
        agrees = rat > rdt
        p = np.where(agrees, pa, pd)
        q = np.where(agrees, qa, qd)
        pt = np.where(agrees, pat, pdt)
        rt = np.where(agrees, rat, rdt)
        metric = (p / q) * rt * p * pt
        significant = np.flatnonzero((rt > Z_90) & (pt > Z_90))
        if not len(significant):  # none significant: the best leaning one, if any (Pol.is too)
            leaning = np.flatnonzero((rt > 0) & (pt > 0))
            significant = leaning[np.argsort(-metric[leaning], kind="stable")[:1]]
        chosen = significant[np.argsort(-metric[significant], kind="stable")]
        result[g] = [
            (
                int(j),
                Representative(
                    statements[j],
                    "pour" if agrees[j] else "contre",
                    round(float(p[j]), 4),
                    round(float(q[j]), 4),
                    round(float(metric[j]), 4),
                ),
            )
            for j in chosen[:MAX_REPRESENTATIVES]
        ]
    return result


def _consensus(agree, seen) -> list[int]:
    """Pol.is's group-aware consensus: the product over groups of each group's agree
    probability (pseudo-counts); kept when every group leans to agree (probability > ½)."""
    probabilities = (agree + 1) / (seen + 2)
    score = probabilities.prod(axis=0)
    kept = np.flatnonzero((probabilities > 0.5).all(axis=0))
    return [int(j) for j in kept[np.argsort(-score[kept], kind="stable")][:MAX_CONSENSUS]]


def analyse(
    votes: Iterable[tuple[str, str, int]],
    hidden: Collection[str] = (),
    seed: int = 0,
    min_votes: int | None = None,
) -> Result:
    """Opinion groups from (participant, statement, value ∈ {-1, 0, 1}) votes; a pair given
    twice counts once, with its last value. Fewer than 4 participants kept (two groups of two
    are needed): one group « 0 » without representatives; none kept: k = 0 and empty lists."""
    if min_votes is not None and not 1 <= min_votes <= 1_000_000:
        raise ValueError("min_votes : un nombre entre 1 et 1 000 000 est attendu")
    participants, statements, rows, cols, values = _factorize(votes)
    participants, rows = _canonical(participants, rows)
    statements, cols = _canonical(statements, cols)
    if hidden:
        hidden = set(hidden)
        shown = np.array([s not in hidden for s in statements], dtype=bool)
        keep = shown[cols]
        rows, cols, values = rows[keep], cols[keep], values[keep]
    # one vote per pair, the last given; sorted by participant then statement
    m_all = max(len(statements), 1)
    keys = rows * m_all + cols
    _, last = np.unique(keys[::-1], return_index=True)
    last = len(keys) - 1 - last
    rows, cols, values = rows[last], cols[last], values[last]
    used_statements = np.unique(cols)
    m = len(used_statements)
    threshold = min_votes if min_votes is not None else min(POLIS_MIN_VOTES, max(m, 1))
    counts = np.bincount(rows, minlength=len(participants))
    kept = np.flatnonzero(counts >= threshold)
    if not len(kept) or not m:
        return _empty(threshold)
    # renumber to the kept participants and the statements voted on (orders preserved)
    p_new = np.full(len(participants), -1, dtype=np.int64)
    p_new[kept] = np.arange(len(kept))
    s_new = np.full(len(statements), -1, dtype=np.int64)
    s_new[used_statements] = np.arange(m)
    inside = p_new[rows] >= 0
    rows, cols, values = p_new[rows[inside]], s_new[cols[inside]], values[inside]
    names = [participants[i] for i in kept]
    statement_names = [statements[j] for j in used_statements]
    n = len(kept)

    positions = _project(rows, cols, values.astype(np.float64), n, m, seed)
    labels, silhouettes = _cluster(positions, seed)
    labels, k = _relabel(labels)

    cells = labels[rows] * m + cols
    agree = np.bincount(cells, weights=values == 1, minlength=k * m).reshape(k, m)
    disagree = np.bincount(cells, weights=values == -1, minlength=k * m).reshape(k, m)
    seen = np.bincount(cells, minlength=k * m).reshape(k, m).astype(np.float64)

    representatives = _representatives(agree, disagree, seen, statement_names) if k > 1 else {}
    consensus = _consensus(agree, seen)
    sizes = np.bincount(labels, minlength=k)
    return Result(
        k=k,
        participants_classes=n,
        groupes={name: int(g) for name, g in zip(names, labels, strict=True)},
        representatifs={
            str(g): [statement_names[j] for j, _ in representatives.get(g, [])] for g in range(k)
        },
        consensus=[statement_names[j] for j in consensus],
        positions={
            name: (round(float(x), 6), round(float(y), 6))
            for name, (x, y) in zip(names, positions, strict=True)
        },
        tailles={str(g): int(sizes[g]) for g in range(k)},
        silhouettes=silhouettes,
        details_representatifs={
            str(g): [r for _, r in representatives.get(g, [])] for g in range(k)
        },
        seuil_votes=threshold,
    )
