"""A consultation's open data (Licence Ouverte 2.0) and conversations brought from Pol.is.

`open_data(consultation, name)` streams one file: the accepted proposals and the votes on them,
in the platform's CSV and Parquet formats and in Pol.is's own formats, so that the Pol.is tools
(and `opinion.read_votes`, `read_comments`, `manage.py opinion_groups`) read them as they are.
A participant is named by their public pseudonym only.

`import_polis(folder, slug, …)` brings a Pol.is conversation (`comments.csv`, `votes.csv`,
optionally `summary.csv`) into a consultation, in one transaction, rerun-safe: participants
and proposals are found again by their Pol.is identifiers (`externe_id`), and the votes of
the imported participants mirror the file. See docs/consultation.md."""

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import chain
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from osezia.consultation import opinion
from osezia.consultation.models import (
    Consultation,
    Participant,
    Proposition,
    Resultats,
    Signalement,
    Statut,
    Vote,
)
from osezia.referentiels import codes
from osezia.socle import csvsafe
from osezia.socle.ecriture import insert_rows
from osezia.socle.ratelimit import address_key, consume
from osezia.socle.regles import forbidden_characters

from . import resultats

# The reason given to the comments the source tool moderated out.
MOTIF_SOURCE = "modere_a_la_source"
VOTE_CODES = {entry["valeur"]: entry["code"] for entry in codes.entries("vote_consultation")}
VOTE_VALUES = {code: value for value, code in VOTE_CODES.items()}
QUALIFICATIONS = codes.codes("qualification")
STATUT_POLIS = {1: Statut.ACCEPTEE, 0: Statut.EN_ATTENTE, -1: Statut.REFUSEE}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MILLISECONDS_ABOVE = 1e11  # a Pol.is timestamp above this is in milliseconds (1973), not seconds
PSEUDONYM_PREFIX = "polis-"
BATCH = 5000  # rows per INSERT / UPDATE statement run
CHUNK = 5000  # rows read at a time by the exports
FLUSH_BYTES = 1 << 16  # bytes gathered before a CSV export yields them
ROW_GROUP = 50_000  # rows per Parquet row group
Progress = Callable[[str, int, int], None]


class ImportPolisError(ValueError):
    """The import refused, with the French message to show; nothing was stored."""


class PolisFileError(ImportPolisError, opinion.FormatError):
    """A malformed file: its name, the 1-based line and the French message."""

    def __init__(self, file: str, line: int, message: str):
        self.file = file
        self.line = line
        self.message = message
        ValueError.__init__(self, f"{file}, ligne {line} : {message}")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


@dataclass
class ImportReport:
    consultation: Counts = field(default_factory=Counts)
    participants: Counts = field(default_factory=Counts)
    propositions: Counts = field(default_factory=Counts)
    votes: Counts = field(default_factory=Counts)
    slug: str = ""

    @property
    def changed(self) -> bool:
        return any(
            c.changed for c in (self.consultation, self.participants, self.propositions, self.votes)
        )


# Import of a Pol.is conversation -----------------------------------------------------------


def polis_moment(stamp: float) -> datetime:
    """A Pol.is timestamp (milliseconds since the epoch, or seconds in older exports) as an
    aware datetime, to the microsecond."""
    micro = round(stamp * 1000) if stamp > MILLISECONDS_ABOVE else round(stamp * 1_000_000)
    try:
        return EPOCH + timedelta(microseconds=micro)
    except OverflowError:
        raise ValueError("horodatage hors des dates possibles") from None


def polis_pseudonym(slug: str, externe_id: str) -> str:
    """The public pseudonym of a Pol.is participant: the same for the same consultation and
    voter, so that a rerun finds it again (26 characters)."""
    digest = hashlib.sha256(f"{slug}\0{externe_id}".encode()).hexdigest()
    return PSEUDONYM_PREFIX + digest[:20]


def paris_opening(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def paris_closing(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=timezone.get_default_timezone())


def _read(path: Path, reader, required: bool = True):
    if not path.is_file():
        if not required:
            return None
        raise ImportPolisError(f"Fichier introuvable : {path}")
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as stream:
            return reader(stream)
    except opinion.FormatError as error:
        raise PolisFileError(path.name, error.line, error.message) from error
    except OSError as error:
        raise ImportPolisError(f"{path} : lecture impossible ({error.strerror})") from error


def _question_text(value: str, source: str) -> str:
    text = value.strip()
    limit = Consultation._meta.get_field("question").max_length
    if forbidden_characters(text):
        raise ImportPolisError(f"La question ({source}) contient des caractères de contrôle.")
    if not text:
        raise ImportPolisError(f"La question ({source}) est vide.")
    if len(text) > limit:
        raise ImportPolisError(
            f"La question ({source}) fait {len(text)} caractères : {limit} au plus."
        )
    return text


def _check_slug(slug: str) -> None:
    limit = Consultation._meta.get_field("slug").max_length
    try:
        validate_slug(slug)
    except ValidationError:
        raise ImportPolisError(
            f"Adresse de consultation « {slug[:80]} » invalide : lettres non accentuées, "
            "chiffres, tirets et soulignés seulement."
        ) from None
    if len(slug) > limit:
        raise ImportPolisError(f"Adresse de consultation trop longue : {limit} caractères au plus.")


def _moments(stamps: Iterable[tuple[float, str, int]]) -> dict[float, datetime]:
    """Each distinct timestamp converted once; a file and line named for an impossible one."""
    moments: dict[float, datetime] = {}
    for stamp, file, line in stamps:
        if stamp not in moments:
            try:
                moments[stamp] = polis_moment(stamp)
            except ValueError as error:
                raise PolisFileError(file, line, str(error)) from None
    return moments


def import_polis(
    dossier: Path,
    slug: str,
    question: str | None = None,
    ouverture: date | None = None,
    cloture: date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Bring the Pol.is conversation of `dossier` into the consultation `slug` (created when
    missing), in one transaction. Raises `ImportPolisError` (French message; nothing stored):
    missing file, malformed line (`PolisFileError`, with the file and the line), no question,
    closing not after opening."""
    step = progress or (lambda stage, done, total: None)
    dossier = Path(dossier)
    _check_slug(slug)
    if not dossier.is_dir():
        raise ImportPolisError(f"Dossier introuvable : {dossier}")
    step("Lecture des fichiers", 0, 3)
    comments = _read(dossier / "comments.csv", opinion.read_polis_comments)
    step("Lecture des fichiers", 1, 3)
    votes = _read(dossier / "votes.csv", opinion.read_polis_votes)
    step("Lecture des fichiers", 2, 3)
    summary = _read(dossier / "summary.csv", opinion.read_polis_summary, required=False) or {}
    step("Lecture des fichiers", 3, 3)

    known = {c.id for c in comments}
    for (_, comment), vote in votes.items():
        if comment not in known:
            raise PolisFileError(
                "votes.csv", vote.line, f"commentaire « {comment} » absent de comments.csv"
            )
    moments = _moments(
        chain(
            ((v.first, "votes.csv", v.line) for v in votes.values()),
            ((v.last, "votes.csv", v.line) for v in votes.values()),
            ((c.timestamp, "comments.csv", c.line) for c in comments),
        )
    )
    report = ImportReport(slug=slug)
    with transaction.atomic():
        consultation = _consultation(
            slug, question, ouverture, cloture, summary, votes, moments, report
        )
        people = _participants(consultation, comments, votes, moments, report, step)
        statements, created = _propositions(consultation, comments, people, moments, report)
        _votes(consultation, votes, people, statements, moments, report, step)
        _refresh_statistics()
        _finish_propositions(consultation, comments, people, moments, created, report)
        total = Participant.objects.filter(consultation=consultation).count()
        if consultation.participants != total:
            consultation.participants = total
            consultation.save(update_fields=["participants"])
            if report.consultation.created == 0 and report.consultation.updated == 0:
                report.consultation.unchanged = 0
                report.consultation.updated = 1
    if report.changed:
        # The results of a conversation brought in are there when the command ends.
        resultats.refresh(consultation)
    return report


def _consultation(slug, question, ouverture, cloture, summary, votes, moments, report):
    """The consultation, created or with the options given applied (locked for the import)."""
    existing = Consultation.objects.select_for_update().filter(slug=slug).first()
    fields: dict = {}
    if question is not None:
        fields["question"] = _question_text(question, "--question")
    elif existing is None:
        if "topic" not in summary or not summary["topic"].strip():
            raise ImportPolisError(
                "Question de la consultation inconnue : donnez --question (aucun « topic » "
                "dans un summary.csv du dossier)."
            )
        fields["question"] = _question_text(summary["topic"], "topic de summary.csv")
    if ouverture is not None:
        fields["ouverture"] = paris_opening(ouverture)
    elif existing is None:
        if not votes:
            raise ImportPolisError("Aucun vote dans votes.csv : donnez --ouverture et --cloture.")
        fields["ouverture"] = moments[min(v.first for v in votes.values())]
    if cloture is not None:
        fields["cloture"] = paris_closing(cloture)
    elif existing is None:
        if not votes:
            raise ImportPolisError("Aucun vote dans votes.csv : donnez --ouverture et --cloture.")
        last = moments[max(v.last for v in votes.values())]
        if ouverture is None and last <= fields["ouverture"]:  # a single moment of votes
            last = fields["ouverture"] + timedelta(seconds=1)
        fields["cloture"] = last
    start = fields.get("ouverture", existing and existing.ouverture)
    end = fields.get("cloture", existing and existing.cloture)
    if end <= start:
        raise ImportPolisError(
            f"La clôture ({timezone.localtime(end):%d/%m/%Y %H:%M}) doit suivre l'ouverture "
            f"({timezone.localtime(start):%d/%m/%Y %H:%M})."
        )
    if existing is None:
        description = summary.get("conversation-description", "").strip()
        if forbidden_characters(description, multiline=True):
            description = ""
        report.consultation.created = 1
        return Consultation.objects.create(slug=slug, description=description, **fields)
    changed = [name for name, value in fields.items() if getattr(existing, name) != value]
    for name in changed:
        setattr(existing, name, fields[name])
    if changed:
        existing.save(update_fields=changed)
        report.consultation.updated = 1
    else:
        report.consultation.unchanged = 1
    return existing


def _refresh_statistics() -> None:
    """PostgreSQL plans the next queries (the counters here, the exports after) on fresh
    statistics: right after 500,000 inserted rows the old ones describe near-empty tables and
    a grouped count over the votes takes 30 s instead of 0.1 s."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Participant, Proposition, Vote):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _batches(rows: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _update(model, names: list[str], rows: list[list]) -> None:
    """UPDATE these columns of these rows (values in `names` order, then the id), each value
    prepared by its field; one statement run for every row."""
    if not rows:
        return
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    # Names from the model, quoted by the backend; values passed as parameters.
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    prepared = [
        [f.get_db_prep_save(value, connection) for f, value in zip(fields, row[:-1], strict=True)]
        + [row[-1]]
        for row in rows
    ]
    with connection.cursor() as cursor:
        for batch in _batches(prepared):
            cursor.executemany(sql, batch)


def _participants(consultation, comments, votes, moments, report, step) -> dict[str, int]:
    """externe_id → key of every voter and author, the missing ones created; the creation
    date is the first activity (vote or comment) seen in the files."""
    first: dict[str, float] = {}
    for (voter, _), vote in votes.items():
        if voter not in first or vote.first < first[voter]:
            first[voter] = vote.first
    for comment in comments:
        if comment.author and (
            comment.author not in first or comment.timestamp < first[comment.author]
        ):
            first[comment.author] = comment.timestamp
    existing = {
        externe: (pk, created)
        for externe, pk, created in Participant.objects.filter(
            consultation=consultation, externe_id__isnull=False
        ).values_list("externe_id", "pk", "cree_le")
    }
    missing = [externe for externe in first if externe not in existing]
    stale = [
        [moments[first[externe]], existing[externe][0]]
        for externe in first
        if externe in existing and existing[externe][1] != moments[first[externe]]
    ]
    for done, batch in enumerate(_batches(missing), start=1):
        insert_rows(
            Participant,
            (
                {
                    "consultation_id": consultation.pk,
                    "pseudonyme": polis_pseudonym(consultation.slug, externe),
                    "jeton_hash": None,
                    "externe_id": externe,
                    "cree_le": moments[first[externe]],
                }
                for externe in batch
            ),
        )
        step("Participants", min(done * BATCH, len(missing)), len(missing))
    _update(Participant, ["cree_le"], stale)
    report.participants.created = len(missing)
    report.participants.updated = len(stale)
    report.participants.unchanged = len(first) - len(missing) - len(stale)
    return dict(
        Participant.objects.filter(consultation=consultation, externe_id__isnull=False).values_list(
            "externe_id", "pk"
        )
    )


def _wanted(comment, people, moments) -> dict:
    refused = comment.moderated == -1
    return {
        # the platform's own exports escape a leading formula character: taken off again
        "texte": csvsafe.restore(comment.text),
        "statut": STATUT_POLIS[comment.moderated],
        "motif": MOTIF_SOURCE if refused else "",
        "auteur_id": people.get(comment.author) if comment.author else None,
        "cree_le": moments[comment.timestamp],
    }


def _propositions(consultation, comments, people, moments, report) -> tuple[dict, set]:
    """comment-id → key of every imported proposal, and the keys created now (written with
    zero counters until the votes are; `_finish_propositions` writes the rest)."""
    existing = dict(
        Proposition.objects.filter(consultation=consultation, externe_id__isnull=False).values_list(
            "externe_id", "pk"
        )
    )
    missing = [c for c in comments if c.id not in existing]
    for batch in _batches(missing):
        insert_rows(
            Proposition,
            (
                {"consultation_id": consultation.pk, "externe_id": c.id}
                | _wanted(c, people, moments)
                for c in batch
            ),
        )
    report.propositions.created = len(missing)
    every = dict(
        Proposition.objects.filter(consultation=consultation, externe_id__isnull=False).values_list(
            "externe_id", "pk"
        )
    )
    return every, {every[c.id] for c in missing}


def _votes(consultation, votes, people, statements, moments, report, step) -> None:
    """The votes of the imported participants made equal to the file: created, updated (value
    or dates), deleted when no longer in it."""
    stored = {}
    query = Vote.objects.filter(
        consultation=consultation,
        participant__externe_id__isnull=False,
        participant__jeton_hash__isnull=True,
    ).values_list(
        "participant_id", "proposition_id", "pk", "vote", "qualification", "cree_le", "modifie_le"
    )
    for participant, proposition, *rest in query.iterator(chunk_size=10_000):
        stored[(participant, proposition)] = rest
    created, updated, unchanged = [], [], 0
    for (voter, comment), vote in votes.items():
        key = (people[voter], statements[comment])
        wanted = (VOTE_CODES[vote.value], "", moments[vote.first], moments[vote.last])
        current = stored.pop(key, None)
        if current is None:
            created.append((key, wanted))
        elif tuple(current[1:]) != wanted:
            updated.append([*wanted, current[0]])
        else:
            unchanged += 1
    total = len(created)
    for done, batch in enumerate(_batches(created), start=1):
        insert_rows(
            Vote,
            (
                {
                    "consultation_id": consultation.pk,
                    "participant_id": participant,
                    "proposition_id": proposition,
                    "vote": value,
                    "qualification": qualification,
                    "cree_le": first,
                    "modifie_le": last,
                }
                for (participant, proposition), (value, qualification, first, last) in batch
            ),
        )
        step("Votes", min(done * BATCH, total), total)
    _update(Vote, ["vote", "qualification", "cree_le", "modifie_le"], updated)
    gone = [current[0] for current in stored.values()]
    for batch in _batches(gone):
        Vote.objects.filter(pk__in=batch).delete()
    report.votes.created = len(created)
    report.votes.updated = len(updated)
    report.votes.unchanged = unchanged
    report.votes.deleted = len(gone)


COUNTER_FIELDS = ["votes", *codes.codes("vote_consultation")]
PROPOSITION_FIELDS = ["texte", "statut", "motif", "auteur_id", "cree_le", *COUNTER_FIELDS]


def _finish_propositions(consultation, comments, people, moments, created, report) -> None:
    """Every imported proposal made equal to its comment, its counters recomputed from the
    votes stored (the ones created now are counted as created only)."""
    counted = {
        row["proposition_id"]: row
        for row in Vote.objects.filter(
            consultation=consultation, proposition__externe_id__isnull=False
        )
        .values("proposition_id")
        .annotate(
            **{code: Count("pk", filter=Q(vote=code)) for code in codes.codes("vote_consultation")}
        )
    }
    by_id = {c.id: c for c in comments}
    changed = []
    rows = Proposition.objects.filter(
        consultation=consultation, externe_id__isnull=False
    ).values_list("pk", "externe_id", *PROPOSITION_FIELDS)
    for pk, externe, *current in rows.iterator(chunk_size=CHUNK):
        state = dict(zip(PROPOSITION_FIELDS, current, strict=True))
        wanted = dict(state)
        if externe in by_id:
            wanted |= _wanted(by_id[externe], people, moments)
        tally = counted.get(pk, {})
        for code in codes.codes("vote_consultation"):
            wanted[code] = tally.get(code, 0)
        wanted["votes"] = sum(wanted[code] for code in codes.codes("vote_consultation"))
        if wanted != state:
            changed.append([wanted[name] for name in PROPOSITION_FIELDS] + [pk])
            if pk not in created:
                report.propositions.updated += 1
        elif pk not in created and externe in by_id:
            report.propositions.unchanged += 1
    _update(Proposition, PROPOSITION_FIELDS, changed)


# Open data ---------------------------------------------------------------------------------

LICENCE = "Licence Ouverte 2.0 (Etalab)"
POLIS_DATETIME = "%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)"
PROPOSITIONS_HEADER = (
    "id",
    "texte",
    "statut",
    "auteur",
    "cree_le",
    "votes",
    *codes.codes("vote_consultation"),
    *QUALIFICATIONS,
)
VOTES_HEADER = ("participant", "proposition", "vote", "qualification", "date")
PARTICIPANTS_VOTES_START = (
    "participant",
    "group-id",
    "n-comments",
    "n-votes",
    "n-agree",
    "n-disagree",
)
CSV = "text/csv; charset=utf-8"
PARQUET = "application/vnd.apache.parquet"


def _accepted(consultation):
    return Proposition.objects.filter(consultation=consultation, statut=Statut.ACCEPTEE)


def _accepted_votes(consultation):
    return Vote.objects.filter(consultation=consultation, proposition__statut=Statut.ACCEPTEE)


def _milliseconds(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(milliseconds=1)


def _iso(moment: datetime) -> str:
    """ISO 8601 in UTC, to the second (`2025-06-16T12:01:00+00:00`)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _csv(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[bytes]:
    """CSV lines, encoded and gathered in chunks of about FLUSH_BYTES."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() >= FLUSH_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


class _Sink(io.RawIOBase):
    """A write-only stream that hands over what was written since the last `take`."""

    def __init__(self):
        self._parts: list[bytes] = []
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self._parts.append(data)
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def _parquet(schema, rows: Iterable[tuple]) -> Iterator[bytes]:
    """A Parquet file written one row group of ROW_GROUP rows at a time, each yielded as soon
    as it is written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = _Sink()
    names = schema.names
    with pq.ParquetWriter(pa.PythonFile(sink, mode="w"), schema, compression="zstd") as writer:
        batch: list[tuple] = []

        def flush():
            columns = list(zip(*batch, strict=True)) if batch else [[] for _ in names]
            writer.write_table(
                pa.Table.from_arrays(
                    [pa.array(col, type=schema.field(i).type) for i, col in enumerate(columns)],
                    schema=schema,
                )
            )

        for row in rows:
            batch.append(row)
            if len(batch) >= ROW_GROUP:
                flush()
                batch = []
                yield sink.take()
        if batch or sink.tell() == 0:
            flush()
    yield sink.take()


def _qualification_counts(consultation) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        _accepted_votes(consultation)
        .exclude(qualification="")
        .values_list("proposition_id", "qualification")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for proposition, qualification, n in rows:
        counts[proposition][qualification] = n
    return counts


def _proposition_rows(consultation, text=lambda value: value) -> Iterator[tuple]:
    qualifications = _qualification_counts(consultation)
    rows = (
        _accepted(consultation)
        .order_by("pk")
        .values_list("pk", "texte", "statut", "auteur__pseudonyme", "cree_le", *COUNTER_FIELDS)
    )
    for pk, texte, statut, auteur, created, *counters in rows.iterator(chunk_size=CHUNK):
        counts = qualifications.get(pk, {})
        yield (
            pk,
            text(texte),
            statut,
            auteur or "",
            created,
            *counters,
            *(counts.get(q, 0) for q in QUALIFICATIONS),
        )


def _vote_rows(consultation) -> Iterator[tuple]:
    rows = (
        _accepted_votes(consultation)
        .order_by("pk")
        .values_list(
            "participant__pseudonyme", "proposition_id", "vote", "qualification", "modifie_le"
        )
    )
    for pseudonyme, proposition, vote, qualification, moment in rows.iterator(chunk_size=CHUNK):
        yield pseudonyme, proposition, VOTE_VALUES[vote], qualification, moment


def _propositions_csv(consultation):
    for row in _proposition_rows(consultation, text=csvsafe.neutralise):
        yield (*row[:4], _iso(row[4]), *row[5:])


def _votes_csv(consultation):
    for *row, moment in _vote_rows(consultation):
        yield (*row, _iso(moment))


def _propositions_parquet(consultation):
    import pyarrow as pa

    stamp = pa.timestamp("us", tz="UTC")
    schema = pa.schema(
        [("id", pa.int64()), ("texte", pa.string()), ("statut", pa.string())]
        + [("auteur", pa.string()), ("cree_le", stamp)]
        + [(name, pa.int64()) for name in PROPOSITIONS_HEADER[5:]],
        metadata={"licence": LICENCE},
    )
    return _parquet(schema, _proposition_rows(consultation))


def _votes_parquet(consultation):
    import pyarrow as pa

    schema = pa.schema(
        [
            ("participant", pa.string()),
            ("proposition", pa.int64()),
            ("vote", pa.int8()),
            ("qualification", pa.string()),
            ("date", pa.timestamp("us", tz="UTC")),
        ],
        metadata={"licence": LICENCE},
    )
    return _parquet(schema, _vote_rows(consultation))


def _polis_comments(consultation):
    agrees = PROPOSITIONS_HEADER.index(VOTE_CODES[1])
    disagrees = PROPOSITIONS_HEADER.index(VOTE_CODES[-1])
    for row in _proposition_rows(consultation):
        moment = row[4].astimezone(UTC)
        yield (
            _milliseconds(moment),
            moment.strftime(POLIS_DATETIME),
            row[0],
            row[3],
            row[agrees],
            row[disagrees],
            1,  # accepted only
            csvsafe.neutralise(row[1]),
        )


def _polis_votes(consultation):
    for pseudonyme, proposition, value, _, moment in _vote_rows(consultation):
        moment = moment.astimezone(UTC)
        yield (
            _milliseconds(moment),
            moment.strftime(POLIS_DATETIME),
            proposition,
            pseudonyme,
            value,
        )


def _groups(consultation) -> dict:
    donnees = (
        Resultats.objects.filter(consultation=consultation)
        .values_list("donnees", flat=True)
        .first()
    )
    groups = (donnees or {}).get("groupes") or {}
    if isinstance(groups.get("groupes"), dict):  # the whole `opinion.Result.as_json()` stored
        groups = groups["groupes"]
    return groups if isinstance(groups, dict) else {}


def _participants_votes(consultation, statements: list[int]):
    """One row per participant who wrote or voted on an accepted proposal, in the order of
    their key: the votes read once, ordered by participant (the unique index's order)."""
    column = {pk: i for i, pk in enumerate(statements)}
    groups = _groups(consultation)
    written = dict(
        _accepted(consultation)
        .exclude(auteur=None)
        .values_list("auteur_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    people = (
        Participant.objects.filter(consultation=consultation)
        .order_by("pk")
        .values_list("pk", "pseudonyme")
        .iterator(chunk_size=CHUNK)
    )
    votes = (
        _accepted_votes(consultation)
        .order_by("participant_id", "proposition_id")
        .values_list("participant_id", "proposition_id", "vote")
        .iterator(chunk_size=CHUNK)
    )
    pending = next(votes, None)
    for pk, pseudonyme in people:
        cells = [""] * len(statements)
        agree = disagree = voted = 0
        while pending is not None and pending[0] <= pk:
            if pending[0] == pk:
                value = VOTE_VALUES[pending[2]]
                cells[column[pending[1]]] = value
                voted += 1
                agree += value == 1
                disagree += value == -1
            pending = next(votes, None)
        if not voted and pk not in written:
            continue
        group = groups.get(pseudonyme, "")
        yield (pseudonyme, group, written.get(pk, 0), voted, agree, disagree, *cells)


def _participants_votes_csv(consultation):
    statements = list(_accepted(consultation).order_by("pk").values_list("pk", flat=True))
    header = (*PARTICIPANTS_VOTES_START, *map(str, statements))
    return _csv(header, _participants_votes(consultation, statements))


OPEN_DATA_NAMES = (
    "propositions.csv",
    "propositions.parquet",
    "votes.csv",
    "votes.parquet",
    "polis/comments.csv",
    "polis/votes.csv",
    "polis/participants-votes.csv",
)


EXPORTS_PER_MINUTE = 30


def open_data_for(consultation, name: str, address: str):
    """`open_data` for a visitor, counted per address (the files are read whole)."""
    consume("consultation-export", address_key(address), EXPORTS_PER_MINUTE, 60)
    return open_data(consultation, name)


def open_data(consultation: Consultation, name: str) -> tuple[str, str, Iterator[bytes]]:
    """(content type, file name, the file's bytes in chunks) of one open-data file of the
    consultation; an unknown `name` raises `KeyError`. The rows are read as the iterator is
    consumed (in chunks, never a whole table in memory)."""
    if name == "propositions.csv":
        content = _csv(PROPOSITIONS_HEADER, _propositions_csv(consultation))
    elif name == "votes.csv":
        content = _csv(VOTES_HEADER, _votes_csv(consultation))
    elif name == "propositions.parquet":
        content = _propositions_parquet(consultation)
    elif name == "votes.parquet":
        content = _votes_parquet(consultation)
    elif name == "polis/comments.csv":
        content = _csv(opinion.POLIS_COMMENTS_HEADER, _polis_comments(consultation))
    elif name == "polis/votes.csv":
        content = _csv(opinion.POLIS_VOTES_HEADER, _polis_votes(consultation))
    elif name == "polis/participants-votes.csv":
        content = _participants_votes_csv(consultation)
    else:
        raise KeyError(name)
    kind = PARQUET if name.endswith(".parquet") else CSV
    return kind, f"{consultation.slug}-{name.replace('/', '-')}", content


# A consultation held elsewhere, brought in whole -----------------------------------------------


@dataclass
class PastConsultation:
    """A consultation run elsewhere (or simulated, as the demo's), as plain rows: participants
    and proposals by position in their lists, votes as (participant, proposal, vote,
    qualification, when)."""

    slug: str
    question: str
    description: str
    ouverture: datetime
    cloture: datetime
    participants: list[dict]
    propositions: list[dict]
    votes: list[tuple[int, int, str, str, datetime]]
    moderateur: object = None


def bring_in(data: PastConsultation) -> Consultation:
    """Store `data` as a new consultation with its participants, proposals (accepted unless
    said otherwise), votes and reports, counters from the votes, in one transaction; then
    compute its results. The votes' codes are checked as the platform's own."""
    for _, _, vote, qualification, _ in data.votes:
        if not codes.is_code("vote_consultation", vote):
            raise ValueError(f"vote « {vote} » inconnu")
        if qualification and qualification not in codes.qualifications_for(vote):
            raise ValueError(f"qualification « {qualification} » impossible avec « {vote} »")
    with transaction.atomic():
        consultation = Consultation.objects.create(
            slug=data.slug,
            question=data.question,
            description=data.description,
            ouverture=data.ouverture,
            cloture=data.cloture,
            participants=len(data.participants),
        )
        people = Participant.objects.bulk_create(
            [Participant(consultation=consultation, **row) for row in data.participants]
        )
        counts = [dict.fromkeys(codes.codes("vote_consultation"), 0) for _ in data.propositions]
        for _, index, vote, _, _ in data.votes:
            counts[index][vote] += 1
        proposals = Proposition.objects.bulk_create(
            [
                Proposition(
                    consultation=consultation,
                    texte=row["texte"],
                    auteur=people[row["auteur"]],
                    statut=row.get("statut", Statut.ACCEPTEE),
                    masquee=bool(row.get("signale_par")),
                    signalements=len(row.get("signale_par", ())),
                    modere_par=None if row.get("statut") == Statut.EN_ATTENTE else data.moderateur,
                    modere_le=None if row.get("statut") == Statut.EN_ATTENTE else data.ouverture,
                    cree_le=row.get("cree_le", data.ouverture),
                    votes=sum(counted.values()),
                    **counted,
                )
                for row, counted in zip(data.propositions, counts, strict=True)
            ]
        )
        Vote.objects.bulk_create(
            (
                Vote(
                    consultation=consultation,
                    participant=people[who],
                    proposition=proposals[what],
                    vote=vote,
                    qualification=qualification,
                    cree_le=when,
                    modifie_le=when,
                )
                for who, what, vote, qualification, when in data.votes
            ),
            batch_size=2000,
        )
        Signalement.objects.bulk_create(
            Signalement(participant=people[who], proposition=proposals[index])
            for index, row in enumerate(data.propositions)
            for who in row.get("signale_par", ())
        )
    resultats.refresh(consultation)
    return consultation
