"""Taking part in a consultation: participants, proposals, votes, reports and moderation.

Every write that touches several rows is one transaction; every public write is rate-limited
through `socle.ratelimit` (the limits are settings, see `config/settings.py`). The trust rule
of docs/consultation.md marks participants whose votes are kept but left out of the scores.
"""

import contextlib
import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connections, router, transaction
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from osezia.referentiels import codes
from osezia.referentiels.models import Departement
from osezia.socle.ratelimit import RateLimited, address_key, consume, consume_all, consume_many
from osezia.socle.texte import fold
from osezia.socle.validation import clean_text

from ..models import (
    Affichage,
    Consultation,
    Etat,
    Participant,
    Proposition,
    Signalement,
    Statut,
    Vote,
)
from ..sequence import Candidate, choose
from . import resultats
from .donnees import MOTIF_SOURCE

MAX_LENGTH = 140
MIN_LENGTH = 15  # « Il faut » and a few words
OPENER = "il faut"
REPORTS_TO_HIDE = 3
SEQUENCE_SIZE = 12
TOKEN_BYTES = 32

__all__ = [
    "RateLimited",
    "ConsultationError",
    "create_participant",
    "participant_for_account",
    "participant_for_token",
    "participant_for_slug_and_token",
    "propose",
    "cast_vote",
    "qualify",
    "report",
    "next_sequence",
    "moderation_queue",
    "moderate",
    "review_reports",
    "summary",
]


class ConsultationError(ValidationError):
    """A request the consultation refuses, with its French reason (`.message`; 422 in the
    API, a form error on the pages)."""


def limits() -> dict:
    return settings.CONSULTATION_LIMITES


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _must_be_open(consultation: Consultation, action: str) -> None:
    state = consultation.etat()
    if state == Etat.A_VENIR:
        raise ConsultationError(f"La consultation n'est pas encore ouverte : {action} impossible.")
    if state == Etat.CLOSE:
        raise ConsultationError(f"La consultation est close : {action} impossible.")


def _choice(kind: str, value, label: str) -> str:
    value = clean_text(value, label, max_length=30)
    if value and not codes.is_code(kind, value):
        allowed = ", ".join(codes.codes(kind))
        raise ConsultationError(
            f"{label} : « {value} » est inconnu ; valeurs possibles : {allowed}."
        )
    return value


def _profile(tranche_age, departement, profil) -> dict:
    try:
        fields = {
            "tranche_age": _choice("tranche_age", tranche_age, "Tranche d'âge"),
            "profil": _choice("profil_participant", profil, "Profil"),
        }
        code = clean_text(departement, "Département", max_length=3).upper()
    except ValidationError as exc:
        raise ConsultationError(exc.messages[0]) from None
    fields["departement"], fields["region"] = "", ""
    if code:
        region = Departement.objects.filter(code=code).values_list("region_id", flat=True).first()
        if region is None:
            raise ConsultationError(f"Département : « {code} » n'est pas un code INSEE connu.")
        fields["departement"], fields["region"] = code, region
    return fields


def _new_pseudonym() -> str:
    return "p" + secrets.token_hex(10)


def _count_new_participant(address: str) -> bool:
    """Count a new participant for its address; True while the address stays trustworthy."""
    rates = limits()
    count = consume(
        "consultation-participants-adresse",
        address_key(address),
        rates["participants_par_adresse_heure"],
        3600,
        "Trop de participants créés depuis cette adresse : réessayez plus tard.",
    )
    return count <= rates["confiance_participants_par_adresse_heure"]


def _create(consultation: Consultation, fields: dict, trusted: bool) -> Participant:
    with transaction.atomic():
        participant = Participant.objects.create(
            consultation=consultation, pseudonyme=_new_pseudonym(), fiable=trusted, **fields
        )
        Consultation.objects.filter(pk=consultation.pk).update(participants=F("participants") + 1)
    return participant


def create_participant(
    consultation: Consultation,
    address: str,
    tranche_age: str = "",
    departement: str = "",
    profil: str = "",
) -> tuple[Participant, str]:
    """A new pseudonymous participant and its secret token (shown once, stored hashed)."""
    _must_be_open(consultation, "participation")
    fields = _profile(tranche_age, departement, profil)
    trusted = _count_new_participant(address)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    fields["jeton_hash"] = hash_token(token)
    return _create(consultation, fields, trusted), token


def participant_for_token(consultation: Consultation, token: str | None) -> Participant | None:
    if not token or len(token) > 200:
        return None
    return Participant.objects.filter(
        consultation=consultation, jeton_hash=hash_token(token)
    ).first()


def participant_for_slug_and_token(slug: str, token: str | None) -> Participant | None:
    """The participant of this token in the consultation `slug`, with its consultation (one
    query); None when either is unknown."""
    token = (token or "").strip()
    if not token or len(token) > 200 or len(slug) > 80:
        return None
    return _participant_by_hash(slug, hash_token(token))


def _participant_by_hash(slug: str, token_hash: str) -> Participant | None:
    # Every vote of the API starts here: one statement written once, the two rows made into
    # instances as the ORM would (`from_db`), without compiling a query each time.
    connection = connections[router.db_for_read(Participant)]
    sql, participant_fields, consultation_fields, _ = _participant_lookup(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug, token_hash])
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for index, expression, converters in _LOOKUPS[connection.vendor][3]:
        for convert in converters:  # as the ORM converts values (aware datetimes on SQLite…)
            row[index] = convert(row[index], expression, connection)
    size = len(participant_fields)
    participant = Participant.from_db(connection.alias, participant_fields, row[:size])
    participant.consultation = Consultation.from_db(
        connection.alias, consultation_fields, row[size:]
    )
    return participant


_LOOKUPS: dict[str, tuple] = {}


def _participant_lookup(connection) -> tuple[str, list[str], list[str], list]:
    found = _LOOKUPS.get(connection.vendor)
    if found is None:
        quote = connection.ops.quote_name
        pf = Participant._meta.concrete_fields
        cf = Consultation._meta.concrete_fields
        p_table, c_table = Participant._meta.db_table, Consultation._meta.db_table
        columns = [f"p.{quote(f.column)}" for f in pf] + [f"c.{quote(f.column)}" for f in cf]

        def column(model, name: str) -> str:
            return quote(model._meta.get_field(name).column)

        consultation_column = column(Participant, "consultation")
        sql = (
            f"SELECT {', '.join(columns)} FROM {quote(p_table)} p "  # noqa: S608 (names quoted)
            f"JOIN {quote(c_table)} c ON c.{column(Consultation, 'id')} = p.{consultation_column} "
            f"WHERE c.{column(Consultation, 'slug')} = %s "
            f"AND p.{column(Participant, 'jeton_hash')} = %s"
        )
        converters = []
        for index, (model, field) in enumerate(
            [(Participant, f) for f in pf] + [(Consultation, f) for f in cf]
        ):
            expression = field.get_col(model._meta.db_table)
            found = connection.ops.get_db_converters(expression) + field.get_db_converters(
                connection
            )
            if found:
                converters.append((index, expression, found))
        found = _LOOKUPS[connection.vendor] = (
            sql,
            [f.attname for f in pf],
            [f.attname for f in cf],
            converters,
        )
    return found


def participant_for_account(
    consultation: Consultation, user, address: str, create: bool = True
) -> Participant | None:
    """The account's participant in this consultation (one per account), created on demand."""
    found = Participant.objects.filter(consultation=consultation, compte=user).first()
    if found is not None or not create:
        return found
    _must_be_open(consultation, "participation")
    trusted = _count_new_participant(address)
    try:
        with transaction.atomic():
            return _create(consultation, {"compte": user}, trusted)
    except IntegrityError:  # created at the same moment by another request of this account
        return Participant.objects.get(consultation=consultation, compte=user)


def update_profile(participant: Participant, tranche_age="", departement="", profil="") -> None:
    fields = _profile(tranche_age, departement, profil)
    Participant.objects.filter(pk=participant.pk).update(**fields)
    for name, value in fields.items():
        setattr(participant, name, value)


# Proposals ----------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def clean_proposal(texte) -> str:
    """The proposal as stored, or ConsultationError saying what to change (Make.org's rule:
    one sentence of at most 140 characters beginning « Il faut »)."""
    try:
        texte = clean_text(texte, "Proposition", required=True)
    except ValidationError as exc:
        raise ConsultationError(exc.messages[0]) from None
    texte = _SPACES.sub(" ", texte)
    if len(texte) > MAX_LENGTH:
        raise ConsultationError(
            f"Proposition : {MAX_LENGTH} caractères au plus ({len(texte)} saisis)."
        )
    if not fold(texte).startswith(OPENER + " "):
        raise ConsultationError("Proposition : elle doit commencer par « Il faut ».")
    if len(texte) < MIN_LENGTH:
        raise ConsultationError("Proposition : complétez la phrase après « Il faut ».")
    return "Il faut" + texte[len(OPENER) :]


def propose(consultation: Consultation, participant: Participant, texte) -> Proposition:
    """A new proposal, pending moderation."""
    _must_be_open(consultation, "proposer")
    texte = clean_proposal(texte)
    rates = limits()
    consume(
        "consultation-proposition",
        f"p{participant.pk}",
        rates["propositions_par_participant_heure"],
        3600,
        "Vous avez déjà fait beaucoup de propositions : réessayez dans une heure.",
    )
    duplicate = (
        Proposition.objects.filter(consultation=consultation, texte__iexact=texte)
        .exclude(statut=Statut.REFUSEE)
        .exists()
    )
    if duplicate:
        raise ConsultationError("Proposition : cette proposition a déjà été faite.")
    return Proposition.objects.create(consultation=consultation, texte=texte, auteur=participant)


# Votes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoteResult:
    proposition: int
    vote: str
    qualification: str
    created: bool


def _clean_vote(vote, qualification) -> tuple[str, str]:
    if not isinstance(vote, str) or not codes.is_code("vote_consultation", vote):
        allowed = ", ".join(codes.codes("vote_consultation"))
        raise ConsultationError(f"Vote : valeurs possibles : {allowed}.")
    qualification = qualification or ""
    if not isinstance(qualification, str):
        raise ConsultationError("Qualification : doit être un texte.")
    if qualification and qualification not in codes.qualifications_for(vote):
        allowed = ", ".join(codes.qualifications_for(vote))
        raise ConsultationError(
            f"Qualification : « {qualification[:30]} » ne va pas avec le vote « {vote} » ; "
            f"possibles : {allowed}."
        )
    return vote, qualification


def _participant_key(participant: Participant) -> str:
    """The key of a participant's own rate limit: its token's hash when it has one, so that
    a vote counts the same whether it names its participant by token or by instance."""
    if participant.jeton_hash:
        return f"t{participant.jeton_hash[:32]}"
    return f"p{participant.pk}"


def _flooding(count: int) -> bool:
    """The trust rule's first half (docs/consultation.md): more votes this minute than people
    cast."""
    return count > limits()["confiance_votes_par_minute"]


def _accepted(consultation: Consultation, proposition_id) -> Proposition:
    if isinstance(proposition_id, bool) or not isinstance(proposition_id, int):
        raise ConsultationError("Proposition : un identifiant numérique est attendu.")
    found = (
        Proposition.objects.filter(consultation=consultation, pk=proposition_id)
        .only("id", "statut", "masquee")
        .first()
    )
    if found is None:
        raise ConsultationError("Proposition inconnue dans cette consultation.")
    if found.statut != Statut.ACCEPTEE or found.masquee:
        raise ConsultationError("Cette proposition n'est pas soumise au vote.")
    return found


def _why_not_votable(consultation: Consultation, proposition_id) -> ConsultationError:
    """The reason a vote on this proposal was refused (read only when it was)."""
    try:
        _accepted(consultation, proposition_id)
    except ConsultationError as exc:
        return exc
    return ConsultationError("Cette proposition n'est pas soumise au vote.")


def cast_vote(
    consultation: Consultation,
    participant: Participant,
    proposition_id,
    vote,
    qualification="",
    address: str = "",
    also_limits: tuple = (),
) -> VoteResult:
    """Store the participant's vote (a second vote replaces the first and moves the counters).

    The hot path of a consultation, in three statements: a new vote is inserted only if its
    proposal is open to votes (accepted, not hidden, in this consultation) and only if the
    pair is not stored yet (`ON CONFLICT DO NOTHING`), then its proposal's counters are moved,
    then the transaction commits. When nothing was inserted, the stored vote is locked and
    replaced (or the reason the proposal is not open is read): concurrent identical requests
    store one vote and count it once."""
    vote, qualification = _clean_vote(vote, qualification)
    _check_id(proposition_id)
    _must_be_open(consultation, "voter")
    *_, count = consume_all(_vote_limits(_participant_key(participant), address, also_limits))
    if _flooding(count):
        _distrust(participant)
    created = _store(consultation, participant, proposition_id, vote, qualification)
    _results_changed(consultation)
    return VoteResult(proposition_id, vote, qualification, created)


def _store(consultation, participant, proposition_id, vote, qualification, now=None) -> bool:
    """The vote's rows, in one transaction: a new vote is inserted only if its proposal is
    open to votes and the pair is not stored yet, then its proposal's counters are moved; else
    the stored vote is replaced (`_replace`). True when the vote is new."""
    now = now or timezone.now()
    with transaction.atomic():
        connection = transaction.get_connection()
        with connection.cursor() as cursor:
            cursor.execute(
                _statements(connection)["new"],
                [
                    consultation.pk,
                    participant.pk,
                    vote,
                    qualification,
                    now,
                    now,
                    proposition_id,
                    consultation.pk,
                    Statut.ACCEPTEE,
                    False,
                ],
            )
            created = cursor.fetchone() is not None
            if created:
                cursor.execute(_statements(connection)[vote], [proposition_id])
        if not created:
            _replace(consultation, participant, proposition_id, vote, qualification, now)
    return created


def _check_id(proposition_id) -> None:
    if isinstance(proposition_id, bool) or not isinstance(proposition_id, int):
        raise ConsultationError("Proposition : un identifiant numérique est attendu.")
    if not 0 < proposition_id <= MAX_ID:
        raise ConsultationError("Proposition inconnue dans cette consultation.")


def _distrust(participant: Participant) -> None:
    if participant.fiable:
        Participant.objects.filter(pk=participant.pk).update(fiable=False)
        participant.fiable = False


def _replace(consultation, participant, proposition_id: int, vote: str, qualification: str, now):
    """A second vote on the pair (or a proposal not open to votes): the stored vote locked and
    replaced, its proposal's counters moved; inside the caller's transaction."""
    proposition = _accepted(consultation, proposition_id)
    stored = (
        Vote.objects.select_for_update()
        .filter(participant=participant, proposition=proposition)
        .only("id", "vote", "qualification")
        .first()
    )
    if stored is None:  # open to votes now, not a moment ago: nothing stored
        raise ConsultationError("Cette proposition n'est pas soumise au vote.")
    if stored.vote != vote:
        accepted(consultation).filter(pk=proposition_id).update(
            **{stored.vote: F(stored.vote) - 1, vote: F(vote) + 1}
        )
    if (stored.vote, stored.qualification) != (vote, qualification):
        Vote.objects.filter(pk=stored.pk).update(
            vote=vote, qualification=qualification, modifie_le=now
        )


@dataclass(frozen=True)
class VoteByToken:
    """A vote of the API, its participant named by its secret token."""

    slug: str
    token: str | None
    proposition: object
    vote: object
    qualification: object = ""
    address: str = ""
    also_limits: tuple = ()  # limits the caller counts with the vote's (one round trip)


VoteAnswer = VoteResult | ConsultationError | RateLimited | None


def cast_vote_with_token(
    slug: str,
    token: str | None,
    proposition_id,
    vote,
    qualification="",
    address: str = "",
    also_limits: tuple = (),
) -> VoteResult | None:
    """`cast_vote` for a participant named by its token: the same checks, limits, trust rule
    and rows. None, with nothing written, when the token names no participant of the
    consultation `slug` or the consultation is not open: the caller answers that as the API
    does (the limits have been counted)."""
    (answer,) = cast_votes_with_tokens(
        [VoteByToken(slug, token, proposition_id, vote, qualification, address, also_limits)]
    )
    if isinstance(answer, Exception):
        raise answer
    return answer


def cast_votes_with_tokens(requests: list[VoteByToken]) -> list[VoteAnswer]:
    """Several votes of several participants at once, each answered as `cast_vote_with_token`
    answers it (its result, its refusal, or None), in order — the votes' hot path, where the
    requests that arrive together in one process are written together.

    Every counter of every vote is counted in one round trip to the shared cache. On
    PostgreSQL the new votes are then one statement (data-modifying `WITH`, atomic on its
    own): the participants found by their tokens in open consultations, each vote inserted if
    its proposal is open to votes and its pair not stored yet (`ON CONFLICT DO NOTHING`), the
    proposals' counters moved by the votes inserted. What that statement did not insert — a
    second vote, a proposal not open, the same pair twice in the batch — then takes
    `cast_vote`'s path one by one, as does every vote elsewhere (SQLite cannot modify data in
    `WITH`) or when the statement fails (a deadlock with another batch)."""
    answers: list[VoteAnswer] = [None] * len(requests)
    ready = []  # (position, request, vote, qualification, token hash)
    for position, request in enumerate(requests):
        try:
            vote, qualification = _clean_vote(request.vote, request.qualification)
            _check_id(request.proposition)
        except ConsultationError as exc:
            answers[position] = exc
            continue
        token = (request.token or "").strip()
        if token and len(token) <= 200 and len(request.slug) <= 80:
            ready.append((position, request, vote, qualification, hash_token(token)))
    counted = consume_many(
        [_vote_limits(f"t{h[:32]}", r.address, r.also_limits) for _, r, _, _, h in ready]
    )
    writable = []
    for item, counts in zip(ready, counted, strict=True):
        if isinstance(counts, RateLimited):
            answers[item[0]] = counts
        else:
            writable.append((*item, _flooding(counts[-1])))
    if not writable:
        return answers
    now = timezone.now()
    changed: set[int] = set()  # the consultations whose results the batch changed
    connection = connections[router.db_for_write(Vote)]
    batch = _insert_new_votes(connection, writable, now)
    if batch is None:
        # One transaction for the batch (one commit, what a write costs most on SQLite); each
        # vote in its own savepoint, so that a refused vote leaves the others written.
        with transaction.atomic(using=connection.alias):
            for position, request, vote, qualification, token_hash, flooding in writable:
                answers[position] = _vote_one_by_one(
                    request, vote, qualification, token_hash, flooding, now, changed
                )
            for consultation_id in changed:  # once a consultation, after the commit
                resultats.schedule_id(consultation_id)
        return answers
    found, deferred = batch
    # Second votes on pairs already stored: one more statement for all of them.
    replaced = _replace_stored_votes(
        connection,
        [
            (position, *found[position][:2], request.proposition, vote, qualification)
            for position, request, vote, qualification, _, _ in writable
            if position in found and not found[position][2]
        ],
        now,
    )
    for position, request, vote, qualification, token_hash, flooding in writable:
        row = found.get(position)
        if row is None and position not in deferred:
            continue  # None: no such participant, or its consultation is not open
        if row is not None and (row[2] or position in replaced):  # inserted or replaced
            participant_id, consultation_id, inserted = row
            if flooding:
                Participant.objects.filter(pk=participant_id, fiable=True).update(fiable=False)
            changed.add(consultation_id)
            answers[position] = VoteResult(request.proposition, vote, qualification, inserted)
        else:
            answers[position] = _vote_one_by_one(
                request, vote, qualification, token_hash, flooding, now, changed
            )
    # The results' recompute asked once a consultation for the whole batch (one round trip to
    # the shared cache at most), not once a vote.
    for consultation_id in changed:
        resultats.schedule_id(consultation_id)
    return answers


def _vote_limits(key: str, address: str, also: tuple = ()) -> list[tuple]:
    """A vote's limits: `also` (the API's per-address counter, when the caller counts it
    here), its address's, its participant's (last)."""
    rates = limits()
    return [
        *also,
        (
            "consultation-votes-adresse",
            address_key(address),
            rates["votes_par_adresse_minute"],
            60,
            "Trop de votes depuis cette adresse : réessayez dans une minute.",
        ),
        (
            "consultation-votes",
            key,
            rates["votes_par_participant_minute"],
            60,
            "Vous votez très vite : réessayez dans une minute.",
        ),
    ]


def _vote_one_by_one(
    request, vote, qualification, token_hash, flooding, now, changed: set[int]
) -> VoteAnswer:
    """One vote of a batch through `cast_vote`'s path; the consultation whose results it
    changed is added to `changed` (the caller asks for their recompute once)."""
    participant = _participant_by_hash(request.slug, token_hash)
    if participant is None or participant.consultation.etat(now) != Etat.OUVERTE:
        return None
    if flooding:
        _distrust(participant)
    try:
        created = _store(
            participant.consultation, participant, request.proposition, vote, qualification, now
        )
    except ConsultationError as exc:
        return exc
    changed.add(participant.consultation_id)
    return VoteResult(request.proposition, vote, qualification, created)


def _insert_new_votes(connection, writable, now) -> tuple[dict, set] | None:
    """PostgreSQL: the batch's new votes in one statement. Gives {position: (participant,
    consultation, inserted?)} for the votes whose token names a participant of an open
    consultation, and the positions left out of the statement (a pair already in the batch:
    the first one only is in it). None elsewhere, or when the statement failed."""
    if connection.vendor != "postgresql":
        return None
    columns: tuple[list, ...] = ([], [], [], [], [], [])
    seen, deferred = set(), set()
    for position, request, vote, qualification, token_hash, _ in writable:
        pair = (request.slug, token_hash, request.proposition)
        if pair in seen:
            deferred.add(position)
            continue
        seen.add(pair)
        row = (position, request.slug, token_hash, request.proposition, vote, qualification)
        for column, value in zip(columns, row, strict=True):
            column.append(value)
    rows = _run_batch(connection, _batch_statement(connection), [*columns, now, now, now, now])
    if rows is None:
        return None
    return {position: (p, c, inserted) for position, p, c, inserted in rows}, deferred


def _replace_stored_votes(connection, rows: list[tuple], now) -> set[int]:
    """PostgreSQL: second votes (position, participant, consultation, proposition, vote,
    qualification) on pairs stored before this batch, in one statement: each stored vote
    locked, then replaced and its proposal's counters moved, as `_replace` does one by one.
    Gives the positions replaced; the others (a proposal no longer open to votes, a vote
    removed meanwhile, or the statement failed) take `_replace`'s path, which says why."""
    if not rows:
        return set()
    columns = [list(column) for column in zip(*rows, strict=True)]
    found = _run_batch(connection, _replacement_statement(connection), [*columns, now])
    return {position for (position,) in found or ()}


def _run_batch(connection, statement: str, params: list) -> list[tuple] | None:
    """One of the batch's statements, its rows; None when it failed (a deadlock with another
    batch: the caller then writes the votes one by one). Sent as a prepared statement of this
    connection (psycopg's server-side binding): its text is the same whatever the batch's size
    (the votes travel as arrays), so PostgreSQL plans it once per connection — planning it
    cost more than running it — and psycopg converts its text once."""
    import psycopg

    connection.ensure_connection()
    try:
        # In the caller's transaction, a savepoint: a failure leaves the caller's work intact.
        # Else one statement, its own transaction: no BEGIN and COMMIT round trips.
        savepoint = (
            transaction.atomic(using=connection.alias)
            if connection.in_atomic_block
            else contextlib.nullcontext()
        )
        with (
            savepoint,
            connection.wrap_database_errors,
            psycopg.Cursor(connection.connection) as cursor,
        ):
            cursor.execute(statement, params, prepare=True)
            return cursor.fetchall()
    except DatabaseError:
        return None


_BATCH_STATEMENTS: dict[str, str] = {}


def _names(connection, model) -> dict[str, str]:
    """A model's fields → their quoted column names."""
    return {f.name: connection.ops.quote_name(f.column) for f in model._meta.concrete_fields}


def _open_to_votes(p: dict[str, str], row: str) -> str:
    """The join condition of the batch statements: the proposal `pr` named by `row`'s
    proposition, in `row`'s consultation, accepted and not hidden. « + 0 »: the proposal is
    found by its primary key, never by scanning the consultation's accepted proposals in the
    (consultation, statut) index."""
    return (
        f"pr.{p['id']} = {row}.proposition AND pr.{p['consultation']} + 0 = {row}.consultation "
        f"AND pr.{p['statut']} = '{Statut.ACCEPTEE.value}' AND NOT pr.{p['masquee']}"
    )


def _batch_statement(connection) -> str:
    """PostgreSQL's statement for new votes given as arrays (built once): one row (position,
    participant, consultation, inserted?) per vote whose token names a participant of an open
    consultation."""
    found = _BATCH_STATEMENTS.get("new")
    if found is not None:
        return found
    quote = connection.ops.quote_name
    v, p = _names(connection, Vote), _names(connection, Proposition)
    a, c = _names(connection, Participant), _names(connection, Consultation)
    votes, propositions = quote(Vote._meta.db_table), quote(Proposition._meta.db_table)
    participants = quote(Participant._meta.db_table)
    consultations = quote(Consultation._meta.db_table)
    value_codes = codes.codes("vote_consultation")  # each value is its counter's field
    tallies = ", ".join(
        f"count(*) FILTER (WHERE vote = '{value}') AS {value}" for value in value_codes
    )
    moves = ", ".join(f"{p[value]} = pr.{p[value]} + t.{value}" for value in value_codes)
    found = _BATCH_STATEMENTS["new"] = (
        "WITH donnees AS (SELECT * FROM unnest(%s::int[], %s::text[], %s::text[], "  # noqa: S608
        "%s::bigint[], %s::text[], %s::text[]) "
        "AS d (n, slug, jeton, proposition, vote, qualification)), "
        f"qui AS (SELECT d.n, d.proposition, d.vote, d.qualification, a.{a['id']} AS participant, "
        f"c.{c['id']} AS consultation FROM donnees d "
        f"JOIN {participants} a ON a.{a['jeton_hash']} = d.jeton "
        f"JOIN {consultations} c ON c.{c['id']} = a.{a['consultation']} AND c.{c['slug']} = d.slug "
        f"WHERE c.{c['ouverture']} <= %s AND c.{c['cloture']} > %s), "
        f"nouveau AS (INSERT INTO {votes} ({v['consultation']}, {v['participant']}, "
        f"{v['proposition']}, {v['vote']}, {v['qualification']}, {v['cree_le']}, "
        f"{v['modifie_le']}) SELECT q.consultation, q.participant, pr.{p['id']}, q.vote, "
        f"q.qualification, %s::timestamptz, %s::timestamptz FROM qui q JOIN {propositions} pr "
        f"ON {_open_to_votes(p, 'q')} "
        f"ORDER BY q.participant, pr.{p['id']} "
        f"ON CONFLICT ({v['participant']}, {v['proposition']}) DO NOTHING "
        f"RETURNING {v['participant']} AS participant, {v['proposition']} AS proposition, "
        f"{v['vote']} AS vote), "
        f"compte AS (UPDATE {propositions} pr SET {p['votes']} = pr.{p['votes']} + t.n, {moves} "
        f"FROM (SELECT proposition, count(*) AS n, {tallies} FROM nouveau GROUP BY proposition) t "
        f"WHERE pr.{p['id']} = t.proposition) "
        f"SELECT q.n, q.participant, q.consultation, EXISTS (SELECT 1 FROM nouveau x "
        f"WHERE x.participant = q.participant AND x.proposition = q.proposition) FROM qui q"
    )
    return found


def _replacement_statement(connection) -> str:
    """PostgreSQL's statement for second votes given as arrays (built once). The stored votes
    are locked first (`FOR UPDATE`, in the order of their ids): a concurrent batch replacing
    the same vote waits, and the counters move from the value stored last, not from the one
    this statement's snapshot saw. Gives the position of each vote replaced (or unchanged:
    the same value sent twice moves nothing)."""
    found = _BATCH_STATEMENTS.get("replace")
    if found is not None:
        return found
    quote = connection.ops.quote_name
    v, p = _names(connection, Vote), _names(connection, Proposition)
    votes, propositions = quote(Vote._meta.db_table), quote(Proposition._meta.db_table)
    value_codes = codes.codes("vote_consultation")
    deltas = ", ".join(
        f"count(*) FILTER (WHERE vote = '{value}') - count(*) FILTER (WHERE ancien = '{value}') "
        f"AS {value}"
        for value in value_codes
    )
    moves = ", ".join(f"{p[value]} = pr.{p[value]} + t.{value}" for value in value_codes)
    found = _BATCH_STATEMENTS["replace"] = (
        "WITH donnees AS (SELECT * FROM unnest(%s::int[], %s::bigint[], %s::bigint[], "  # noqa: S608
        "%s::bigint[], %s::text[], %s::text[]) "
        "AS d (n, participant, consultation, proposition, vote, qualification)), "
        f"ancien AS (SELECT s.{v['id']} AS id, s.{v['vote']} AS ancien, "
        f"s.{v['qualification']} AS ancienne_qualification, d.n, d.proposition, d.vote, "
        f"d.qualification FROM {votes} s JOIN donnees d ON s.{v['participant']} = d.participant "
        f"AND s.{v['proposition']} = d.proposition JOIN {propositions} pr "
        f"ON {_open_to_votes(p, 'd')} "
        f"ORDER BY s.{v['id']} FOR UPDATE OF s), "
        f"maj AS (UPDATE {votes} s SET {v['vote']} = x.vote, {v['qualification']} = "
        f"x.qualification, {v['modifie_le']} = %s::timestamptz FROM ancien x "
        f"WHERE s.{v['id']} = x.id "
        "AND (x.ancien <> x.vote OR x.ancienne_qualification <> x.qualification)), "
        f"compte AS (UPDATE {propositions} pr SET {moves} FROM (SELECT proposition, {deltas} "
        "FROM ancien WHERE ancien <> vote GROUP BY proposition) t "
        f"WHERE pr.{p['id']} = t.proposition) "
        "SELECT n FROM ancien"
    )
    return found


MAX_ID = 2**63 - 1  # a primary key: a larger number names nothing (and no database takes it)


_STATEMENTS: dict[str, dict[str, str]] = {}  # per database vendor, built at the first vote


def _statements(connection) -> dict[str, str]:
    """The vote's statements for this database: `new` (the insert) and, for each vote value,
    the update of its proposal's counters."""
    found = _STATEMENTS.get(connection.vendor)
    if found is not None:
        return found
    quote = connection.ops.quote_name
    v, p = _names(connection, Vote), _names(connection, Proposition)
    votes, propositions = quote(Vote._meta.db_table), quote(Proposition._meta.db_table)
    found = {
        "new": (
            f"INSERT INTO {votes} ({v['consultation']}, {v['participant']}, "  # noqa: S608
            f"{v['proposition']}, {v['vote']}, {v['qualification']}, {v['cree_le']}, "
            f"{v['modifie_le']}) SELECT %s, %s, {p['id']}, %s, %s, %s, %s FROM {propositions} "
            f"WHERE {p['id']} = %s AND {p['consultation']} = %s AND {p['statut']} = %s "
            f"AND {p['masquee']} = %s "
            f"ON CONFLICT ({v['participant']}, {v['proposition']}) DO NOTHING RETURNING {v['id']}"
        )
    }
    for value in codes.codes("vote_consultation"):  # each value is its counter's field
        found[value] = (
            f"UPDATE {propositions} SET {p['votes']} = {p['votes']} + 1, "  # noqa: S608
            f"{p[value]} = {p[value]} + 1 WHERE {p['id']} = %s"
        )
    _STATEMENTS[connection.vendor] = found
    return found


def qualify(consultation: Consultation, participant: Participant, proposition_id, qualification):
    """Add (or change) the optional qualification of a vote already cast — the second step of
    a voting card. Counted apart from the votes (it does not move any counter)."""
    _must_be_open(consultation, "voter")
    proposition = _accepted(consultation, proposition_id)
    stored = Vote.objects.filter(participant=participant, proposition=proposition).first()
    if stored is None:
        raise ConsultationError("Votez d'abord sur cette proposition.")
    vote, qualification = _clean_vote(stored.vote, qualification)
    consume(
        "consultation-qualification",
        f"p{participant.pk}",
        limits()["votes_par_participant_minute"],
        60,
        "Vous votez très vite : réessayez dans une minute.",
    )
    Vote.objects.filter(pk=stored.pk).update(qualification=qualification, modifie_le=timezone.now())
    _results_changed(consultation)
    return VoteResult(proposition.pk, vote, qualification, False)


def _results_changed(consultation: Consultation) -> None:
    resultats.schedule(consultation)


# Reports ------------------------------------------------------------------------------------


def report(consultation: Consultation, participant: Participant, proposition_id) -> bool:
    """A participant reports a proposal (once); at `REPORTS_TO_HIDE` reports not yet reviewed
    the proposal is hidden until an operator reviews it. True when the report is new."""
    proposition = _accepted(consultation, proposition_id)
    consume(
        "consultation-signalement",
        f"p{participant.pk}",
        limits()["signalements_par_participant_heure"],
        3600,
        "Vous avez fait beaucoup de signalements : réessayez dans une heure.",
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                Signalement.objects.create(participant=participant, proposition=proposition)
        except IntegrityError:
            return False
        Proposition.objects.filter(pk=proposition.pk).update(signalements=F("signalements") + 1)
        Proposition.objects.filter(
            pk=proposition.pk,
            signalements__gte=F("signalements_revus") + REPORTS_TO_HIDE,
        ).update(masquee=True)
    _results_changed(consultation)
    return True


# The next proposals to show -----------------------------------------------------------------


def next_sequence(
    consultation: Consultation, participant: Participant, size: int = SEQUENCE_SIZE, rng=None
) -> list[Proposition]:
    """Up to `size` accepted proposals for this participant (`sequence.choose`), recorded as
    shown so that they are never shown to them again."""
    consume(
        "consultation-sequence",
        f"p{participant.pk}",
        limits()["sequences_par_participant_minute"],
        60,
        "Trop de demandes de propositions : réessayez dans une minute.",
    )
    if consultation.etat() != Etat.OUVERTE:
        return []
    seen = set(
        Vote.objects.filter(participant=participant).values_list("proposition_id", flat=True)
    )
    seen.update(
        Affichage.objects.filter(participant=participant).values_list("proposition_id", flat=True)
    )
    rows = accepted(consultation).values_list("id", "auteur_id", "pour", "contre", "neutre")
    candidates = [
        Candidate(pk, author if author is not None else f"x{pk}", pour, contre, neutre)
        for pk, author, pour, contre, neutre in rows
        if author != participant.pk
    ]
    chosen = choose(candidates, exclude=seen, size=size, rng=rng)
    ids = list(chosen)
    Affichage.objects.bulk_create(
        [Affichage(participant=participant, proposition_id=pk) for pk in ids],
        ignore_conflicts=True,
    )
    texts = Proposition.objects.in_bulk(ids)
    return [texts[pk] for pk in ids]


# Moderation ---------------------------------------------------------------------------------


def _own(user) -> Q:
    return Q(auteur__compte=user)


def moderator_reasons() -> dict[str, str]:
    """The refusal reasons an operator chooses from (code → label): the list without the
    one given to proposals refused in the tool a conversation was imported from."""
    return {
        code: label
        for code, label in codes.labels("motif_moderation").items()
        if code != MOTIF_SOURCE
    }


def moderation_rows(consultation: Consultation, operator):
    """What an operator has to moderate, in order: hidden after reports first, then the oldest
    pending — never the operator's own proposals."""
    return (
        Proposition.objects.filter(consultation=consultation)
        .filter(Q(statut=Statut.EN_ATTENTE) | Q(masquee=True))
        .exclude(_own(operator))
        .order_by("-masquee", "cree_le", "pk")
    )


def moderation_queue(consultation: Consultation, operator, batch: int = 20) -> list[Proposition]:
    """The next batch to moderate."""
    return list(moderation_rows(consultation, operator)[:batch])


def waiting_count(consultation: Consultation, operator) -> int:
    return moderation_rows(consultation, operator).count()


def _check_reason(motif: str, what: str) -> None:
    if motif not in moderator_reasons():
        allowed = ", ".join(moderator_reasons().values())
        raise ConsultationError(f"{what} : choisissez-en un parmi {allowed}.")


def _locked_for(proposition_id: int, operator) -> Proposition:
    """The proposal locked for this operator's decision — never their own (inside a
    transaction)."""
    proposition = (
        Proposition.objects.select_for_update(of=("self",))
        .select_related("auteur")
        .get(pk=proposition_id)
    )
    author = proposition.auteur
    if author is not None and author.compte_id is not None and author.compte_id == operator.pk:
        raise PermissionDenied("Vous ne pouvez pas modérer votre propre proposition.")
    return proposition


def moderate(proposition_id: int, operator, decision: str, motif: str = "") -> Proposition:
    """Accept or refuse a pending proposal (a refusal names its reason from the list)."""
    if decision not in (Statut.ACCEPTEE, Statut.REFUSEE):
        raise ConsultationError("Décision : « acceptee » ou « refusee » est attendu.")
    if decision == Statut.REFUSEE:
        _check_reason(motif, "Motif du refus")
    with transaction.atomic():
        proposition = _locked_for(proposition_id, operator)
        if proposition.statut != Statut.EN_ATTENTE:
            raise ConsultationError("Cette proposition a déjà été modérée.")
        proposition.statut = decision
        proposition.motif = motif if decision == Statut.REFUSEE else ""
        proposition.modere_par = operator
        proposition.modere_le = timezone.now()
        proposition.save(update_fields=["statut", "motif", "modere_par", "modere_le"])
    _results_changed(proposition.consultation)
    return proposition


def decide(proposition_id: int, operator, decision: str, motif: str = "") -> Proposition:
    """An operator's decision on a proposal of the queue: a pending one is accepted or refused,
    a reported (hidden) one is shown again (« acceptee ») or withdrawn (« refusee »)."""
    hidden = Proposition.objects.filter(pk=proposition_id).values_list("masquee", flat=True)
    if hidden.first():
        if decision not in (Statut.ACCEPTEE, Statut.REFUSEE):
            raise ConsultationError("Décision : « acceptee » ou « refusee » est attendu.")
        return review_reports(proposition_id, operator, decision == Statut.ACCEPTEE, motif)
    return moderate(proposition_id, operator, decision, motif)


def review_reports(proposition_id: int, operator, keep: bool, motif: str = "") -> Proposition:
    """An operator reviews a reported proposal: kept (shown again, reports so far cleared) or
    refused with a reason (its votes stay stored, out of the results)."""
    if not keep:
        _check_reason(motif, "Motif du retrait")
    with transaction.atomic():
        proposition = _locked_for(proposition_id, operator)
        proposition.signalements_revus = proposition.signalements
        proposition.masquee = False
        proposition.modere_par = operator
        proposition.modere_le = timezone.now()
        if not keep:
            proposition.statut = Statut.REFUSEE
            proposition.motif = motif
        proposition.save(
            update_fields=[
                "signalements_revus",
                "masquee",
                "modere_par",
                "modere_le",
                "statut",
                "motif",
            ]
        )
    _results_changed(proposition.consultation)
    return proposition


# Reading ------------------------------------------------------------------------------------


def accepted(consultation: Consultation):
    """The proposals open to votes: accepted and not hidden after reports."""
    return Proposition.objects.filter(
        consultation=consultation, statut=Statut.ACCEPTEE, masquee=False
    )


def summary(consultation: Consultation) -> dict:
    """The consultation's public counters, read from the per-proposal counters."""
    totals = accepted(consultation).aggregate(propositions=Count("id"), votes=Sum("votes"))
    return {
        "slug": consultation.slug,
        "question": consultation.question,
        "ouverture": consultation.ouverture,
        "cloture": consultation.cloture,
        "etat": consultation.etat(),
        "propositions": totals["propositions"] or 0,
        "participants": consultation.participants,
        "votes": totals["votes"] or 0,
    }


# Similar proposals ---------------------------------------------------------------------------

SIMILAR_LIMIT = 10
_indexes: dict[int, tuple[tuple, object]] = {}


def _similar_index(consultation: Consultation):
    """The consultation's index of accepted proposals, rebuilt in this process only when the
    accepted set changed (count, latest moderation, latest id)."""
    from ..similaires import Index

    rows = accepted(consultation)
    state = rows.aggregate(n=Count("id"), last=Max("id"), moderated=Max("modere_le"))
    key = (state["n"], state["last"], state["moderated"])
    cached = _indexes.get(consultation.pk)
    if cached is None or cached[0] != key:
        cached = (key, Index(rows.values_list("id", "texte").iterator(chunk_size=2000)))
        _indexes[consultation.pk] = cached
    return cached[1]


def similar(consultation: Consultation, texte, address: str) -> list[dict]:
    """Up to 10 accepted proposals close to `texte` (while a proposal is typed), counted per
    address (`suggestions_par_adresse_minute`)."""
    consume(
        "consultation-suggestions",
        address_key(address),
        limits()["suggestions_par_adresse_minute"],
        60,
    )
    try:
        texte = clean_text(texte, "Texte", max_length=MAX_LENGTH * 2)
    except ValidationError as exc:
        raise ConsultationError(exc.messages[0]) from None
    if not texte:
        return []
    found = _similar_index(consultation).similar(texte, limit=SIMILAR_LIMIT)
    texts = accepted(consultation).in_bulk([pk for pk, _ in found])
    return [
        {"id": pk, "texte": texts[pk].texte, "score": score} for pk, score in found if pk in texts
    ]
