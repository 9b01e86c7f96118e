"""Enrolment races through the served app: BENCH_CLIENTS learners (default 200) enrol at the
same moment, through `POST /api/v1/academie/sessions/{id}/inscriptions`, in one session of
BENCH_SEATS seats (default 10), served by gunicorn (3 workers) on a throw-away SQLite database
(or BENCH_DATABASE_URL). Checks that exactly BENCH_SEATS get a seat and every other one is on
the waiting list, then measures the latency of the requests.
"""

import http.client
import os
import secrets
import statistics
import threading
import time
from urllib.parse import urlparse

from _support import emit, percentile, serve, setup_django, temp_environment

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "200"))
SEATS = int(os.environ.get("BENCH_SEATS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
env = temp_environment(os.environ.get("BENCH_DATABASE_URL"))
setup_django(env)

from datetime import date, timedelta  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402

from osezia.academie import services  # noqa: E402
from osezia.academie.models import Action, Formation, Inscription, OrganismeFormation  # noqa: E402
from osezia.academie.models import Session as TrainingSession  # noqa: E402
from osezia.comptes.models import Utilisateur  # noqa: E402

organisme = OrganismeFormation.objects.create(siret="73282932000074", nom="Organisme de mesure")
formation = Formation.objects.create(
    reference="COURSE", organisme=organisme, intitule="Mesure", objectifs="-", contenu="-"
)
action = Action.objects.create(formation=formation, reference="A", modalite="distance")
cookies = []
for i in range(CLIENTS):
    user = Utilisateur.objects.create_user(email=f"apprenant{i}@mesure.invalid", password=None)
    services.set_profile(user, "SALARIE", "69")
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    csrf = secrets.token_hex(16)
    cookies.append((f"sessionid={store.session_key}; csrftoken={csrf}", csrf))
connection.close()
process, url = serve(env, workers=3)
host = urlparse(url)


def race(session_id: int) -> tuple[list[float], list[int]]:
    barrier = threading.Barrier(CLIENTS)
    durations, statuses = [], []
    lock = threading.Lock()

    def one(cookie, csrf):
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        barrier.wait()
        started = time.perf_counter()
        conn.request(
            "POST",
            f"/api/v1/academie/sessions/{session_id}/inscriptions",
            headers={"Cookie": cookie, "X-CSRFToken": csrf, "Referer": url + "/"},
        )
        response = conn.getresponse()
        response.read()
        with lock:
            durations.append((time.perf_counter() - started) * 1000)
            statuses.append(response.status)
        conn.close()

    threads = [threading.Thread(target=one, args=pair) for pair in cookies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return durations, statuses


try:
    for round_ in range(ROUNDS):
        session = TrainingSession.objects.create(
            action=action,
            reference=f"S{round_}",
            debut=date.today() + timedelta(days=30),
            places=SEATS,
        )
        connection.close()
        durations, statuses = race(session.pk)
        session.refresh_from_db()
        states = list(Inscription.objects.filter(session=session).values_list("statut", flat=True))
        seated, waiting = states.count("inscrit"), states.count("attente")
        assert session.places_prises == SEATS == seated, (session.places_prises, seated)
        assert waiting == CLIENTS - SEATS and statuses.count(201) == CLIENTS, statuses
        emit(
            bench="course_aux_inscriptions",
            base=connection.vendor,
            clients_simultanes=CLIENTS,
            places=SEATS,
            inscrits=seated,
            liste_attente=waiting,
            erreurs=CLIENTS - statuses.count(201),
            p50_ms=round(statistics.median(durations), 1),
            p95_ms=round(percentile(durations, 95), 1),
        )
finally:
    process.terminate()
    process.wait(timeout=10)
