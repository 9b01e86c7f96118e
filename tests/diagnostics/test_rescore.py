"""`rescore_diagnostics --processus N`: a worker that fails is reported, never waited for."""

import signal
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from osezia.diagnostics import services
from osezia.diagnostics.models import Diagnostic, Questionnaire
from osezia.diagnostics.services import recalcul
from osezia.referentiels.models import Naf
from osezia.referentiels.services import load_referentiels
from tests.diagnostics.factories import all_answers
from tests.entreprises.factories import EntrepriseFactory


@contextmanager
def at_most(seconds: int):
    """Fail the test instead of hanging the suite (the old command waited forever)."""

    def expired(signum, frame):
        raise TimeoutError(f"la commande ne s'est pas terminée en {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def completed(questionnaire):
    if not Naf.objects.filter(code="10.71C").exists():
        load_referentiels()  # an earlier transactional test emptied the reference tables
    if not Questionnaire.objects.exists():
        services.load_questionnaire_file()
    services.forget_current_questionnaire()
    for _ in range(6):
        services.submit(None, EntrepriseFactory(), all_answers(questionnaire, "second"))
    return list(Diagnostic.objects.order_by("pk").values_list("pk", flat=True))


# The workers are forked and open their own connection: the diagnostics must be committed.
@pytest.mark.django_db(transaction=True)
def test_a_failing_worker_is_reported_in_french_and_the_command_exits(completed, monkeypatch):
    broken = completed[-1]  # in the last slice
    real = recalcul.evaluate_diagnostic

    def evaluate(diagnostic, engine=None, ready_cache=None):
        if diagnostic.pk == broken:
            raise ZeroDivisionError("division by zero")
        return real(diagnostic, engine)

    monkeypatch.setattr(recalcul, "evaluate_diagnostic", evaluate)
    with at_most(60), pytest.raises(CommandError) as excinfo:
        call_command("rescore_diagnostics", processus=2, lot=1, stdout=StringIO())
    message = str(excinfo.value)
    assert "Le recalcul a échoué pour 1 tranche(s)" in message
    assert f"diagnostic n° {broken} : ZeroDivisionError" in message
    assert "relancez la commande" in message


@pytest.mark.django_db(transaction=True)
def test_every_slice_is_rescored_in_parallel(completed):
    Diagnostic.objects.update(cas_usage=[])
    out = StringIO()
    with at_most(60):
        call_command("rescore_diagnostics", processus=2, lot=2, stdout=out)
    assert f"{len(completed)} diagnostic(s) recalculé(s)" in out.getvalue()


@pytest.mark.django_db
def test_a_failing_diagnostic_stops_the_single_process_run_with_its_number(completed, monkeypatch):
    def evaluate(diagnostic, engine=None, ready_cache=None):
        raise ValueError("connaissances illisibles")

    monkeypatch.setattr(recalcul, "evaluate_diagnostic", evaluate)
    with pytest.raises(CommandError) as excinfo:
        call_command("rescore_diagnostics", stdout=StringIO())
    assert f"diagnostic n° {completed[0]} : ValueError : connaissances illisibles" in str(
        excinfo.value
    )
