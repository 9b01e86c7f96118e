"""The diagnostic's part in a company's registration, registered in `entreprises.inscription`
from `DiagnosticsConfig.ready()` (entreprises does not import diagnostics):

- `prefill`: the company form starts from the profile of the diagnostic just completed in this
  browser (activity, headcount, turnover, department, description);
- `attach_after_registration`: once the company is registered, that diagnostic (and any other
  completed one this browser or this person still holds without a company) is kept in it, with
  `services.attach` — no extra click, and the « diagnostic en attente » notice goes away.
"""

from django.contrib import messages
from django.db.models import Q
from django.template.defaultfilters import date
from django.utils.timezone import localtime

from osezia.entreprises.inscription import Preremplissage
from osezia.referentiels.models import NiveauNaf
from osezia.socle.texte import de

from . import services
from .models import Diagnostic
from .permissions import can_attach, session_tokens


def _pending(request):
    """The completed diagnostics of this visit not yet kept in a company, newest first."""
    if request is None or not hasattr(request, "session"):
        return Diagnostic.objects.none()
    mine = Q(jeton__in=session_tokens(request))
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        mine |= Q(auteur=user)
    return (
        Diagnostic.objects.filter(mine, entreprise__isnull=True, statut=Diagnostic.Statut.TERMINE)
        .select_related("naf")
        .order_by("-termine_le")
    )


def prefill(request) -> Preremplissage | None:
    diagnostic = _pending(request).first()
    if diagnostic is None:
        return None
    cents = diagnostic.chiffre_affaires_cents
    valeurs = {
        # The company form asks for a sous-classe; a coarser code is left for the person.
        "naf": diagnostic.naf_id if diagnostic.naf.niveau == NiveauNaf.SOUS_CLASSE else "",
        "effectif": diagnostic.effectif,
        "chiffre_affaires_eur": None if cents is None else cents // 100,
        "departement": diagnostic.departement_id or "",
        "description": diagnostic.description,
    }
    return Preremplissage(
        valeurs,
        f"Activité, effectif, chiffre d'affaires et département repris de votre autodiagnostic "
        f"du {date(localtime(diagnostic.termine_le), 'j F Y')} : vérifiez-les. Ce diagnostic "
        "sera enregistré dans l'espace de l'entreprise dès son inscription.",
    )


def attach_after_registration(sender, entreprise, user, request=None, **kwargs) -> None:
    if user is None or request is None:
        return
    attached = 0
    for diagnostic in _pending(request):
        if can_attach(user, diagnostic, entreprise):
            services.attach(diagnostic, entreprise, user)
            attached += 1
    if attached:
        what = (
            "Votre autodiagnostic est enregistré"
            if attached == 1
            else (f"Vos {attached} autodiagnostics sont enregistrés")
        )
        messages.success(
            request, f"{what} dans l'espace {de(entreprise.denomination)}.", fail_silently=True
        )
