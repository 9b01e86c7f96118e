"""Votes over HTTP: BENCH_VOTES votes (default 1,000,000) sent by BENCH_CONCURRENCY participants
at once (default 100 client loops, one keep-alive connection each) through
`POST /api/v1/consultations/{slug}/votes`, served by gunicorn, on a throw-away SQLite database
or BENCH_DATABASE_URL (PostgreSQL), with the shared cache in Redis when REDIS_URL is set.

The consultation has BENCH_PROPOSITIONS accepted proposals (default 2,000); its participants are
created through `POST …/participants` (about √BENCH_VOTES of them, 1,000 for a million votes),
each voting on a random set of distinct proposals; BENCH_REVOTES (default 2 %) of the votes
are a second vote on a pair already sent (answered 200, the vote replaced). Checked at the end:
every pair sent is stored once with the last value sent, nothing else is stored, and every
proposal's counters equal its votes rows (one GROUP BY, once).

The rate limits are raised through the served process's environment (one address sends every
vote). BENCH_RATE > 0 paces the loops at that many votes/s (latency then counts from the moment
each vote was due, so a server that falls behind is not hidden); 0 (default) sends as fast as the
server answers. Gunicorn: BENCH_WORKERS (2), BENCH_THREADS (32: gthread, whose threads let the votes that arrive
together be written as one batch; 1: sync workers), with `--reuse-port`: each worker listens on
its own socket and the kernel spreads the connections between them (on one shared socket, the
first worker awake took most of the 100 keep-alive connections: 88 % of the votes in one run).
No task worker runs: the results task scheduled by the votes is only queued (django-tasks).
"""

import array
import asyncio
import json
import math
import os
import random
import resource
import secrets
import statistics
import time
from datetime import timedelta
from urllib.parse import urlparse

from _support import emit, percentile, serve, setup_django, temp_environment

VOTES = int(os.environ.get("BENCH_VOTES", "1000000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "100"))
PROPOSITIONS = int(os.environ.get("BENCH_PROPOSITIONS", "2000"))
REVOTES = float(os.environ.get("BENCH_REVOTES", "0.02"))
RATE = float(os.environ.get("BENCH_RATE", "0"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "32"))

env = temp_environment(os.environ.get("BENCH_DATABASE_URL"))
HIGH = "100000000"
for name in (
    "API_RATE_ADDRESS_CONSULTATION",
    "CONSULTATION_VOTES_ADRESSE",
    "CONSULTATION_VOTES_PARTICIPANT",
    "CONSULTATION_PARTICIPANTS_ADRESSE",
    # The trust rule: these participants vote faster than people do; keep them trusted.
    "CONSULTATION_CONFIANCE_VOTES",
    "CONSULTATION_CONFIANCE_PARTICIPANTS",
):
    env[name] = HIGH
env["CACHE_KEY_PREFIX"] = f"bench-votes-{secrets.token_hex(4)}"  # fresh counters in Redis
setup_django(env)

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from osezia.consultation.models import Consultation, Participant, Proposition, Vote  # noqa: E402
from osezia.referentiels import codes  # noqa: E402

rng = random.Random(11)
slug = f"mesure-votes-{secrets.token_hex(4)}"
now = timezone.now()
consultation = Consultation.objects.create(
    slug=slug,
    question="Comment l'intelligence artificielle peut-elle aider les entreprises ?",
    ouverture=now - timedelta(days=1),
    cloture=now + timedelta(days=30),
)
SUBJECTS = ["les salariés", "les artisans", "les élus", "les PME", "les agriculteurs", "les élèves"]
ACTIONS = ["former", "accompagner", "informer", "financer", "écouter", "équiper"]
Proposition.objects.bulk_create(
    [
        Proposition(
            consultation=consultation,
            texte=f"Il faut {rng.choice(ACTIONS)} {rng.choice(SUBJECTS)} sur l'IA (n° {i})",
            statut="acceptee",
        )
        for i in range(PROPOSITIONS)
    ],
    batch_size=1000,
)
proposition_ids = list(
    Proposition.objects.filter(consultation=consultation).values_list("id", flat=True)
)
connection.close()

revotes = round(VOTES * REVOTES)
distinct = VOTES - revotes
participants = max(CONCURRENCY, math.ceil(math.sqrt(distinct)))
per_participant = math.ceil(distinct / participants)
assert per_participant <= PROPOSITIONS, "BENCH_PROPOSITIONS too small for BENCH_VOTES"
VALUES = codes.codes("vote_consultation")
QUALIFICATIONS = {value: codes.qualifications_for(value) for value in VALUES}

env_note = {
    "base": "postgresql" if os.environ.get("BENCH_DATABASE_URL") else "sqlite",
    "cache": "redis" if env.get("REDIS_URL") else "base de données",
}
process, url = serve(
    env,
    WORKERS,
    extra_args=["--reuse-port", "--threads", str(THREADS)]
    + (["--worker-class", "gthread"] if THREADS > 1 else []),
)
address = urlparse(url)


class Client:
    """One keep-alive HTTP/1.1 connection (reopened when the server closes it)."""

    def __init__(self):
        self.reader = self.writer = None

    async def post(self, path: str, body: bytes, headers: str = "") -> tuple[int, bytes]:
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {address.hostname}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{headers}\r\n"
        ).encode() + body
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(
                    address.hostname, address.port
                )
            try:
                self.writer.write(request)
                head = await self.reader.readuntil(b"\r\n\r\n")
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
                continue
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            length, close = 0, False
            for line in lines[1:]:
                name, _, value = line.partition(":")
                name = name.lower()
                if name == "content-length":
                    length = int(value)
                elif name == "connection" and value.strip().lower() == "close":
                    close = True
            content = await self.reader.readexactly(length)
            if close:
                self.close()
            return status, content
        raise AssertionError

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def create_participants() -> list[tuple[str, str]]:
    queue = list(range(participants))
    created: list[tuple[str, str]] = []

    async def loop():
        client = Client()
        while queue:
            queue.pop()
            status, content = await client.post(f"/api/v1/consultations/{slug}/participants", b"{}")
            assert status == 201, (status, content)
            answer = json.loads(content)
            created.append((answer["participant_id"], answer["jeton"]))
        client.close()

    await asyncio.gather(*(loop() for _ in range(CONCURRENCY)))
    return created


def plan(tokens: list[str]) -> tuple[list[list[tuple]], dict]:
    """Each loop's votes (token index, proposition, vote, qualification), its participants
    interleaved; the re-votes come after the pair's first vote in the same loop."""
    expected: dict[tuple[int, int], str] = {}
    loops: list[list[tuple]] = [[] for _ in range(CONCURRENCY)]
    remaining = distinct
    for index in range(len(tokens)):
        count = min(per_participant, remaining)
        remaining -= count
        for proposition in rng.sample(proposition_ids, count):
            loops[index % CONCURRENCY].append((index, proposition))
    for votes in loops:
        rng.shuffle(votes)  # a loop's participants take turns
    chosen: list[list[tuple]] = []
    for votes in loops:
        chosen.append([])
        for index, proposition in votes:
            value = rng.choice(VALUES)
            qualification = rng.choice(QUALIFICATIONS[value]) if rng.random() < 0.1 else ""
            chosen[-1].append((index, proposition, value, qualification))
            expected[(index, proposition)] = value
    for _ in range(revotes):
        votes = chosen[rng.randrange(CONCURRENCY)]
        position = rng.randrange(len(votes))
        index, proposition, _value, _qualification = votes[position]
        value = rng.choice(VALUES)
        votes.insert(rng.randrange(position + 1, len(votes) + 1), (index, proposition, value, ""))
    for votes in chosen:  # the last value sent for each pair, in send order
        for index, proposition, value, _qualification in votes:
            expected[(index, proposition)] = value
    return chosen, expected


async def send_votes(tokens: list[str], chosen: list[list[tuple]]):
    latencies = array.array("f")
    statuses: dict[int, int] = {}
    path = f"/api/v1/consultations/{slug}/votes"
    headers = [f"X-Participant: {token}\r\n" for token in tokens]
    span = sum(len(votes) for votes in chosen) / RATE if RATE > 0 else 0.0
    started = time.perf_counter()

    async def loop(number: int, votes: list[tuple]):
        client = Client()
        for i, (index, proposition, value, qualification) in enumerate(votes):
            body = {"proposition": proposition, "vote": value}
            if qualification:
                body["qualification"] = qualification
            due = time.perf_counter()
            if RATE > 0:
                # Each loop spreads its votes over the whole run (loops hold unequal shares
                # of the votes), staggered by its number: together, RATE votes a second.
                due = started + (i + number / CONCURRENCY) * span / len(votes)
                wait = due - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
            status, _ = await client.post(path, json.dumps(body).encode(), headers[index])
            latencies.append((time.perf_counter() - due) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
        client.close()

    await asyncio.gather(*(loop(n, votes) for n, votes in enumerate(chosen)))
    return time.perf_counter() - started, latencies, statuses


def cpu_seconds(pids, children: bool = False) -> dict[int, float]:
    """CPU seconds (user + system) of each process still alive; with `children`, also the
    time of its children that have exited (PostgreSQL's backends come and go: a connection
    is reopened after `DB_CONN_MAX_AGE`)."""
    seconds = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks = int(fields[11]) + int(fields[12])
        if children:
            ticks += int(fields[13]) + int(fields[14])
        seconds[pid] = ticks / os.sysconf("SC_CLK_TCK")
    return seconds


def database_seconds() -> float:
    """PostgreSQL's and Redis's processor time so far: every live process, plus, for the
    servers' first processes (the postmaster), what their exited children left them."""
    ppid_of = {}
    for pid in processes(lambda name, ppid: name in ("postgres", "redis-server")):
        with open(f"/proc/{pid}/stat") as handle:
            ppid_of[pid] = int(handle.read().rsplit(")", 1)[1].split()[1])
    parents = [pid for pid, ppid in ppid_of.items() if ppid not in ppid_of]
    others = [pid for pid, ppid in ppid_of.items() if ppid in ppid_of]
    return sum(cpu_seconds(parents, children=True).values()) + sum(cpu_seconds(others).values())


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(after[pid] - before[pid] for pid in before if pid in after)


def processes(predicate) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    raw = handle.read()
            except OSError:
                continue
            name = raw[raw.index("(") + 1 : raw.rindex(")")]
            ppid = int(raw.rsplit(")", 1)[1].split()[1])
            if predicate(name, ppid):
                found.append(int(entry))
    return found


def machine_busy() -> tuple[float, float]:
    with open("/proc/stat") as handle:
        fields = [int(x) for x in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


try:
    created = asyncio.run(create_participants())
    tokens = [token for _pseudonym, token in created]
    chosen, expected = plan(tokens)
    workers = processes(lambda name, ppid: ppid == process.pid)
    cpu_before = (
        cpu_seconds(workers),
        database_seconds(),
        resource.getrusage(resource.RUSAGE_SELF),
        machine_busy(),
    )
    elapsed, latencies, statuses = asyncio.run(send_votes(tokens, chosen))
    after = resource.getrusage(resource.RUSAGE_SELF)
    busy = machine_busy()
    client_cpu = (after.ru_utime + after.ru_stime) - (
        cpu_before[2].ru_utime + cpu_before[2].ru_stime
    )
    server_cpu = spent(cpu_before[0], cpu_seconds(workers))
    database_cpu = database_seconds() - cpu_before[1]
    machine_share = (busy[0] - cpu_before[3][0]) / max(1, busy[1] - cpu_before[3][1])

    # Checks, once, at the end.
    pk_of = dict(
        Participant.objects.filter(consultation=consultation).values_list("pseudonyme", "pk")
    )
    participant_pk = [pk_of[pseudonym] for pseudonym, _token in created]
    wanted = {(participant_pk[i], p): value for (i, p), value in expected.items()}
    stored = {}
    duplicated = 0
    rows = Vote.objects.filter(consultation=consultation).values_list(
        "participant_id", "proposition_id", "vote"
    )
    for participant_id, proposition_id, value in rows.iterator(chunk_size=20000):
        duplicated += (participant_id, proposition_id) in stored
        stored[(participant_id, proposition_id)] = value
    lost = sum(1 for pair in wanted if pair not in stored)
    unexpected = sum(1 for pair in stored if pair not in wanted)
    wrong = sum(1 for pair, value in wanted.items() if stored.get(pair, value) != value)
    counted = {}
    grouped = Vote.objects.filter(consultation=consultation).values_list("proposition_id", "vote")
    for proposition_id, value, n in grouped.annotate(n=Count("id")).order_by():
        counted.setdefault(proposition_id, dict.fromkeys(VALUES, 0))[value] = n
    counters_off = 0
    for pk, votes, *values in Proposition.objects.filter(consultation=consultation).values_list(
        "id", "votes", *VALUES
    ):
        rows_of = counted.get(pk, dict.fromkeys(VALUES, 0))
        if list(values) != [rows_of[v] for v in VALUES] or votes != sum(rows_of.values()):
            counters_off += 1
    sent = len(latencies)
    emit(
        bench="votes_http",
        **env_note,
        gunicorn=f"{WORKERS} workers × {THREADS} threads ({'gthread' if THREADS > 1 else 'sync'})",
        concurrence=CONCURRENCY,
        rythme_vise=RATE or "libre",
        participants=participants,
        propositions=PROPOSITIONS,
        votes_envoyes=sent,
        paires_distinctes=len(wanted),
        revotes=revotes,
        reponses=statuses,
        lignes=len(stored),
        perdus=lost,
        dupliques=duplicated,
        inattendus=unexpected,
        valeur_fausse=wrong,
        compteurs_faux=counters_off,
        secondes=round(elapsed, 1),
        votes_par_s=round(sent / elapsed),
        p50_ms=round(statistics.median(latencies), 1),
        p95_ms=round(percentile(latencies, 95), 1),
        p99_ms=round(percentile(latencies, 99), 1),
        max_ms=round(max(latencies), 1),
        cpu_generateur=f"{client_cpu / elapsed:.0%} d'un cœur",
        cpu_gunicorn=f"{server_cpu / elapsed:.0%} d'un cœur",
        cpu_postgres_redis=f"{database_cpu / elapsed:.0%} d'un cœur",
        machine_occupee=f"{machine_share:.0%}",
    )
    assert statuses.get(201, 0) == len(wanted) and statuses.get(200, 0) == revotes, statuses
    assert lost == duplicated == unexpected == wrong == counters_off == 0
finally:
    process.terminate()
    process.wait(timeout=10)
