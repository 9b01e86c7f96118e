"""The votes' WSGI fast path answers as the API does: request by request, the same status,
body and headers as Django's own answer; everything it does not answer itself reaches Django
untouched; votes arriving together are written together, each answered once."""

import io
import json
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, connection

from osezia.api.votes_rapides import GroupCommit, VotesFastPath
from osezia.consultation.models import Vote
from osezia.consultation.services import participation
from tests.consultation import factories as f

pytestmark = pytest.mark.django_db
PATH = "/api/v1/consultations/ia-pme/votes"
IGNORED = {"date", "content-length", "vary", "server"}


class Recorder:
    """Stands for Django behind the fast path: records what reaches it, answers as Django."""

    def __init__(self):
        self.django = WSGIHandler()
        self.received = []

    def __call__(self, environ, start_response):
        self.received.append(environ["wsgi.input"].read())
        environ["wsgi.input"].seek(0)
        return self.django(environ, start_response)


def call(app, body, path=PATH, token=None, query="", method="POST", **extra):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(raw)),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.10",
        "wsgi.input": io.BytesIO(raw),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **extra,
    }
    if token is not None:
        environ["HTTP_X_PARTICIPANT"] = token
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split(" ", 1)[0])
        answer["headers"] = {name.lower(): value for name, value in headers}

    content = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], json.loads(content) if content else None


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Inside a test's transaction, a request's end must not close the connection (Django's
    test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def vote_setup():
    consultation = f.consultation(slug="ia-pme")
    propositions = [
        f.proposition(consultation, f"Il faut former les salariés à l'IA, idée {i}")
        for i in range(4)
    ]
    participant, token = participation.create_participant(consultation, address="192.0.2.10")
    return consultation, propositions, participant, token


def headers_of(answer):
    return {k: v for k, v in answer[1].items() if k not in IGNORED}


def test_a_vote_and_a_second_vote_are_answered_as_django_answers_them(vote_setup):
    _consultation, propositions, participant, token = vote_setup
    recorder = Recorder()
    fast = call(
        VotesFastPath(recorder), {"proposition": propositions[0].pk, "vote": "pour"}, token=token
    )
    slow = call(WSGIHandler(), {"proposition": propositions[1].pk, "vote": "pour"}, token=token)
    assert recorder.received == []  # answered without Django
    assert fast[0] == slow[0] == 201
    assert fast[2] == {"proposition": propositions[0].pk, "vote": "pour", "qualification": ""}
    assert headers_of(fast) == headers_of(slow)
    assert "content-security-policy" in fast[1] and fast[1]["x-content-type-options"] == "nosniff"

    again = {"proposition": propositions[0].pk, "vote": "contre", "qualification": "infaisable"}
    second = call(VotesFastPath(recorder), again, token=token)
    assert second[0] == 200 and recorder.received == []
    assert second[2] == {
        "proposition": propositions[0].pk,
        "vote": "contre",
        "qualification": "infaisable",
    }
    stored = Vote.objects.get(participant=participant, proposition=propositions[0])
    assert (stored.vote, stored.qualification) == ("contre", "infaisable")
    propositions[0].refresh_from_db()
    assert (propositions[0].votes, propositions[0].pour, propositions[0].contre) == (1, 0, 1)


def test_a_proposal_not_open_to_votes_is_refused_as_django_refuses_it(vote_setup):
    consultation, _propositions, _participant, token = vote_setup
    pending = f.proposition(consultation, "Il faut une idée en attente", statut="en_attente")
    recorder = Recorder()
    fast = call(VotesFastPath(recorder), {"proposition": pending.pk, "vote": "pour"}, token=token)
    slow = call(WSGIHandler(), {"proposition": pending.pk, "vote": "pour"}, token=token)
    assert fast[0] == slow[0] == 422
    assert fast[2] == slow[2] and "n'est pas soumise au vote" in fast[2]["detail"]
    assert headers_of(fast) == headers_of(slow)
    assert not Vote.objects.exists()


def test_past_the_participants_limit_the_answer_is_429_with_retry_after(vote_setup, settings):
    _consultation, propositions, _participant, token = vote_setup
    settings.CONSULTATION_LIMITES = {
        **settings.CONSULTATION_LIMITES,
        "votes_par_participant_minute": 2,
    }
    app = VotesFastPath(Recorder())
    statuses = [
        call(app, {"proposition": p.pk, "vote": "pour"}, token=token)[0] for p in propositions[:3]
    ]
    assert statuses == [201, 201, 429]
    refused = call(app, {"proposition": propositions[3].pk, "vote": "pour"}, token=token)
    assert refused[0] == 429 and int(refused[1]["retry-after"]) >= 1
    assert "réessayez" in refused[2]["detail"]
    # The same counter as Django's path: past the limit there too.
    through_django = call(
        WSGIHandler(), {"proposition": propositions[3].pk, "vote": "pour"}, token=token
    )
    assert through_django[0] == 429
    assert Vote.objects.count() == 2


@pytest.mark.parametrize(
    "case",
    [
        "no token",
        "unknown token",
        "query string",
        "other method",
        "extra field",
        "unknown vote",
        "qualification of another vote",
        "proposition as text",
        "not JSON",
        "closed consultation",
        "other path",
    ],
)
def test_what_the_fast_path_does_not_answer_reaches_django_untouched(vote_setup, case):
    consultation, propositions, _participant, token = vote_setup
    body = {"proposition": propositions[0].pk, "vote": "pour"}
    kwargs = {"token": token}
    if case == "no token":
        kwargs = {}
    elif case == "unknown token":
        kwargs = {"token": "inconnu"}
    elif case == "query string":
        kwargs["query"] = "x=1"
    elif case == "other method":
        kwargs["method"] = "PUT"
    elif case == "extra field":
        body["commentaire"] = "bonjour"
    elif case == "unknown vote":
        body["vote"] = "peut-etre"
    elif case == "qualification of another vote":
        body["qualification"] = "surtout_pas"
    elif case == "proposition as text":
        body["proposition"] = str(propositions[0].pk)
    elif case == "not JSON":
        body = b"{proposition: 1"
    elif case == "closed consultation":
        consultation.ouverture -= timedelta(days=60)
        consultation.cloture = consultation.ouverture + timedelta(days=30)
        consultation.save()
    elif case == "other path":
        kwargs["path"] = "/api/v1/consultations/ia-pme/votes/"
    recorder = Recorder()
    fast = call(VotesFastPath(recorder), body, **kwargs)
    assert len(recorder.received) == 1  # Django received the request, body intact
    sent = body if isinstance(body, bytes) else json.dumps(body).encode()
    assert recorder.received[0] == sent
    # Django's own answer (some it accepts: a query string or an unknown field changes nothing)
    if case in ("no token", "unknown token"):
        assert fast[0] in (401, 404)
    elif case in (
        "unknown vote",
        "qualification of another vote",
        "closed consultation",
    ):
        assert fast[0] == 422 and fast[2]["detail"]
    elif case == "not JSON":
        assert fast[0] == 400


def test_votes_arriving_together_are_written_together_and_each_answered_once():
    seen = []

    def slow_write(requests):
        seen.append(list(requests))
        time.sleep(0.05)  # while this batch is written, the others queue
        return [f"réponse {r}" for r in requests]

    group = GroupCommit(write=slow_write, size=8)
    answers = {}

    def send(number):
        answers[number] = group.submit(number)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == {n: f"réponse {n}" for n in range(30)}
    written = [r for batch in seen for r in batch]
    assert sorted(written) == list(range(30))  # each vote written once
    assert max(len(batch) for batch in seen) > 1 and all(len(b) <= 8 for b in seen)


def test_several_lanes_write_at_once_never_more_and_every_vote_once():
    import random

    lock = threading.Lock()
    state = {"now": 0, "most": 0}
    written = []

    def write(requests):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
            written.extend(requests)
        time.sleep(random.uniform(0.001, 0.01))
        with lock:
            state["now"] -= 1
        return [f"réponse {r}" for r in requests]

    group = GroupCommit(write=write, size=5, lanes=3)
    answers = {}

    def send(number):
        time.sleep(random.uniform(0, 0.02))
        answers[number] = group.submit(number)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert answers == {n: f"réponse {n}" for n in range(200)}
    assert sorted(written) == list(range(200))
    assert 1 < state["most"] <= 3
    assert group._writers == 0 and group._queue == []  # every lane given back


def test_a_batch_that_fails_answers_each_of_its_votes_with_the_error():
    def broken(requests):
        raise RuntimeError("base indisponible")

    group = GroupCommit(write=broken)
    answer = group.submit("vote")
    assert isinstance(answer, RuntimeError)
    # The group is not left stuck: the next vote is written.
    group._write = lambda requests: ["écrit" for _ in requests]
    assert group.submit("vote suivant") == "écrit"


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_identical_votes_through_the_fast_path_store_one_vote():
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
    consultation = f.consultation(slug="ia-pme")
    proposition = f.proposition(consultation)
    _participant, token = participation.create_participant(consultation, address="192.0.2.10")
    app = VotesFastPath(WSGIHandler())
    barrier = threading.Barrier(50)
    statuses = []

    def send():
        try:
            barrier.wait()
            answer = call(app, {"proposition": proposition.pk, "vote": "pour"}, token=token)
            statuses.append(answer[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(statuses) <= {200, 201, 429}
    assert statuses.count(201) == 1
    assert Vote.objects.count() == 1
    proposition.refresh_from_db()
    assert (proposition.votes, proposition.pour) == (1, 1)
