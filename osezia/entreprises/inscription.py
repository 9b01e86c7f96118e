"""What the apps above `entreprises` add to a company's registration, without `entreprises`
importing them (imports go downwards only):

- `entreprise_inscrite`, a signal sent after the commit of `services.create_entreprise`
  (arguments `entreprise`, `user`, `request`, the page's request or None); `diagnostics`
  connects to it from its `ready()` to attach the diagnostic just completed;
- prefill providers, registered with `register_prefill` from an app's `ready()`: given the
  page's request, each returns a `Preremplissage` (initial values of the company form and the
  sentence saying where they come from) or None; `diagnostics` prefills from the diagnostic
  just completed.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

entreprise_inscrite = Signal()


@dataclass(frozen=True)
class Preremplissage:
    valeurs: dict = field(default_factory=dict)
    origine: str = ""  # « Repris de votre autodiagnostic du 2 décembre 2026 »


_prefill_providers: list[Callable] = []


def register_prefill(provider: Callable) -> None:
    """Called from an app's `ready()`; registering the same provider twice keeps one."""
    if provider not in _prefill_providers:
        _prefill_providers.append(provider)


def prefill(request) -> list[Preremplissage]:
    """What the registered providers know for this visit, in their registration order."""
    found = []
    for provider in _prefill_providers:
        try:
            answer = provider(request)
        except Exception:  # a follow-up never breaks the registration form
            logger.exception("Pré-remplissage du formulaire d'entreprise impossible")
            continue
        if answer is not None and answer.valeurs:
            found.append(answer)
    return found


def _send(entreprise, user, request) -> None:
    for receiver, error in entreprise_inscrite.send_robust(
        sender=type(entreprise), entreprise=entreprise, user=user, request=request
    ):
        if isinstance(error, Exception):
            logger.error(
                "Suite de l'inscription de l'entreprise %s en échec (%s)",
                entreprise.siren,
                receiver,
                exc_info=error,
            )


def send_after_commit(entreprise, user, request=None) -> None:
    """Send `entreprise_inscrite` once the registration is committed (never for a rollback);
    a failing receiver is logged, the registration stands."""
    transaction.on_commit(lambda: _send(entreprise, user, request))
