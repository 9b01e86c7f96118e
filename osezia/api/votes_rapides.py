"""The consultation's votes without the whole request stack: a WSGI layer in front of Django.

A national consultation receives its votes by thousands a second, and a vote is a small thing:
a participant's token, a proposal's number, a value. Through Django's middleware stack and
django-ninja a vote costs several times the processor time of its own work (the routing,
sessions, CSRF, messages, the schema's validation). This layer answers
`POST /api/v1/consultations/{slug}/votes` itself when the request is a plain, well-formed vote
of a participant named by `X-Participant`, calling the very service the API endpoint calls
(`participation.cast_vote`: same checks, same statements, same limits, same trust rule); the
API's per-address counter of `socle.middleware` is counted in the same round trip to the
shared cache as the vote's own limits.

Anything else goes to Django unchanged, before anything was counted or written: another path
or method, no token or an unknown one, a session instead of a token, a query string, a body
that is not exactly `{"proposition": int, "vote": str, "qualification"?: str}` with known codes,
a consultation that is not open, a plain-HTTP request when HTTPS is required. Django then gives
its own answer (400, 401, 404, 413, 422…). So every refusal is written once, in the API; this
layer only answers what the service itself answers: 201 or 200 with the vote, 422 with the
service's reason (a proposal not open to votes), 429 with `Retry-After`.

Responses carry the headers Django's middleware would add to a JSON answer of the API (the
security headers and the content security policy); `tests/api/test_votes_rapides.py` compares
both paths request by request.
"""

import io
import json
import logging
import re
import threading

from django.conf import settings
from django.core import signals
from django.core.exceptions import ValidationError

from osezia.consultation.services import participation
from osezia.referentiels import codes
from osezia.socle.client import client_ip
from osezia.socle.middleware import api_address_limit
from osezia.socle.ratelimit import RateLimited, address_key
from osezia.socle.views import ERROR_TEXTS

PATH = re.compile(r"/api/v1/consultations/([a-z0-9][a-z0-9-]{0,79})/votes")
MAX_BODY = 1024  # a vote is about 60 bytes; anything larger goes to Django's size checks
ADDRESS_MESSAGE = "Trop de requêtes depuis cette adresse : réessayez dans une minute."
STATUS = {
    200: "200 OK",
    201: "201 Created",
    422: "422 Unprocessable Content",
    429: "429 Too Many Requests",
    500: "500 Internal Server Error",
}
logger = logging.getLogger("django.request")


class _Meta:
    """What `client_ip` reads of a request: its META, here the WSGI environ itself."""

    __slots__ = ("META",)

    def __init__(self, environ):
        self.META = environ


def _security_headers(secure: bool) -> list[tuple[str, str]]:
    """The headers Django's middleware adds to an API answer (SecurityMiddleware,
    XFrameOptionsMiddleware, django-csp): read from the same settings."""
    from csp.utils import build_policy

    headers = [("Content-Type", "application/json; charset=utf-8")]
    if len(settings.LANGUAGES) == 1:  # LocaleMiddleware: the one language the site speaks
        headers.append(("Content-Language", settings.LANGUAGES[0][0]))
    if getattr(settings, "X_FRAME_OPTIONS", None):
        headers.append(("X-Frame-Options", settings.X_FRAME_OPTIONS))
    if settings.SECURE_HSTS_SECONDS and secure:
        value = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            value += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            value += "; preload"
        headers.append(("Strict-Transport-Security", value))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        if not isinstance(policy, str):
            policy = ",".join(policy)
        headers.append(("Referrer-Policy", policy))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    for header, report_only in (
        ("Content-Security-Policy", False),
        ("Content-Security-Policy-Report-Only", True),
    ):
        policy = build_policy(report_only=report_only)  # from the settings, as django-csp
        if policy:
            headers.append((header, policy))
    return headers


def _is_secure(environ) -> bool:
    header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if header:
        name, value = header
        return environ.get(name, "").split(",")[0].strip() == value
    return environ.get("wsgi.url_scheme") == "https"


def _vote_in(body: bytes):
    """(proposition, vote, qualification) when the body is exactly a vote with known codes,
    else None (Django then answers it)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if type(data) is not dict or not data.keys() <= {"proposition", "vote", "qualification"}:
        return None
    proposition, vote = data.get("proposition"), data.get("vote")
    qualification = data.get("qualification", "")
    if type(proposition) is not int or not 0 < proposition <= participation.MAX_ID:
        return None
    if type(vote) is not str or not codes.is_code("vote_consultation", vote):
        return None
    if qualification is None:
        qualification = ""
    if type(qualification) is not str:
        return None
    if qualification and qualification not in codes.qualifications_for(vote):
        return None
    return proposition, vote, qualification


class VotesFastPath:
    """WSGI middleware: `application = VotesFastPath(get_wsgi_application())`."""

    def __init__(self, application):
        self.application = application
        self._headers = {}  # secure? → the response headers
        self._group = GroupCommit()

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST" or not environ.get("HTTP_X_PARTICIPANT"):
            return self.application(environ, start_response)
        match = PATH.fullmatch(environ.get("PATH_INFO", ""))
        if match is None or environ.get("QUERY_STRING"):
            return self.application(environ, start_response)
        secure = _is_secure(environ)
        if settings.SECURE_SSL_REDIRECT and not secure:
            return self.application(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return self.application(environ, start_response)
        if not 0 < length <= MAX_BODY:
            return self.application(environ, start_response)
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)  # read again by Django if it answers
        vote = _vote_in(body) if len(body) == length else None
        if vote is None:
            return self.application(environ, start_response)
        # No `request_started`: its one effect on the database, a health check (`SELECT 1`)
        # before the first statement, would double the vote's round trips. A connection
        # broken since the last request fails that vote (500, logged; the client may send it
        # again) and `request_finished` closes it; the next request opens a new one.
        try:
            answer = self._vote(environ, match.group(1), *vote)
        except Exception:  # as Django would: logged with its traceback, a JSON 500
            logger.exception("Vote refusé par une erreur interne : %s", environ["PATH_INFO"])
            answer = 500, {"detail": ERROR_TEXTS[500][1]}, []
        finally:
            signals.request_finished.send(sender=self.__class__)
        if answer is None:
            return self.application(environ, start_response)
        status, payload, extra = answer
        content = json.dumps(payload).encode()  # as django-ninja writes it
        headers = self._headers.get(secure)
        if headers is None:
            headers = self._headers[secure] = _security_headers(secure)
        start_response(
            STATUS[status],
            [*headers, ("Content-Length", str(len(content))), *extra],
        )
        return [content]

    def _vote(self, environ, slug, proposition, vote, qualification):
        """(status, payload, extra headers), or None to let Django answer."""
        address = client_ip(_Meta(environ))
        action, limit = api_address_limit(environ["PATH_INFO"])
        answer = self._group.submit(
            participation.VoteByToken(
                slug,
                environ["HTTP_X_PARTICIPANT"],
                proposition,
                vote,
                qualification,
                address,
                ((action, address_key(address), limit, 60, ADDRESS_MESSAGE),),
            )
        )
        if answer is None:  # no such participant, or the consultation is not open
            return None
        if isinstance(answer, RateLimited):
            return 429, {"detail": str(answer)}, [("Retry-After", str(answer.retry_after))]
        if isinstance(answer, ValidationError):
            messages = answer.messages
            return (
                422,
                {
                    "detail": " ; ".join(messages),
                    "erreurs": [{"champ": "", "message": m} for m in messages],
                },
                [],
            )
        if isinstance(answer, Exception):
            raise answer
        payload = {
            "proposition": answer.proposition,
            "vote": answer.vote,
            "qualification": answer.qualification,
        }
        return (201 if answer.created else 200), payload, []


class _Waiting:
    __slots__ = ("request", "answer", "done", "lead", "turn")

    def __init__(self, request):
        self.request = request
        self.answer = None
        self.done = False
        self.lead = False  # this thread holds a writing lane (set under the group's lock)
        self.turn = threading.Event()  # set when answered, or when handed a lane


class GroupCommit:
    """The votes that arrive while other threads of this process are writing are written
    together, in the next batch (`participation.cast_votes_with_tokens`: one round trip to the
    shared cache and one statement for the whole batch instead of one of each per vote).

    At most `lanes` batches are written at once (while one waits for its commit, the next one
    is sent). No vote waits for a batch to fill: a vote that finds a lane free takes it and is
    written at once, with whatever is waiting. A thread holding a lane writes batches, oldest
    votes first, until its own vote is answered, then hands the lane to the oldest vote still
    waiting without one (whose thread goes on writing), or frees it. A batch holds at most
    `size` votes."""

    def __init__(self, write=participation.cast_votes_with_tokens, size: int = 64, lanes: int = 1):
        self._write = write
        self._size = size
        self._lanes = lanes
        self._lock = threading.Lock()
        self._queue: list[_Waiting] = []
        self._writers = 0

    def submit(self, request):
        mine = _Waiting(request)
        with self._lock:
            self._queue.append(mine)
            if self._writers < self._lanes:
                self._writers += 1
                mine.lead = True
        if not mine.lead:
            mine.turn.wait()
            if not mine.lead:  # written in another thread's batch
                return mine.answer
        while True:
            with self._lock:
                if mine.done:
                    self._hand_over()
                    return mine.answer
                batch, self._queue = self._queue[: self._size], self._queue[self._size :]
                if not batch:  # its vote is in the batch another lane is writing
                    mine.turn.clear()
            if not batch:
                mine.turn.wait()
                continue
            try:
                answers = self._write([waiting.request for waiting in batch])
            except Exception as exc:  # every vote of the batch gets the error (a 500, logged)
                answers = [exc] * len(batch)
            with self._lock:
                for waiting, answer in zip(batch, answers, strict=True):
                    waiting.answer, waiting.done = answer, True
                    waiting.turn.set()

    def _hand_over(self) -> None:
        """Under the lock: this thread's lane to the oldest vote waiting without one, or freed."""
        for waiting in self._queue:
            if not waiting.lead:
                waiting.lead = True
                waiting.turn.set()
                return
        self._writers -= 1
