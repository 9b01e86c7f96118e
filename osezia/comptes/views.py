from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from osezia.socle.pagination import paginate, query_without_page

from . import services
from .forms import RefusRattachementForm
from .models import DemandeRattachement
from .permissions import is_operator

# Operators: membership claims ------------------------------------------------------------


@login_required
@require_GET
def rattachements(request):
    if not is_operator(request.user):
        raise PermissionDenied
    page_obj = paginate(request, services.pending_claims(), 20)
    return render(
        request,
        "comptes/rattachements.html",
        {
            "title": "Demandes de rattachement",
            "breadcrumb": [("Mon espace", reverse("comptes:espace"))],
            "page_obj": page_obj,
            "query": query_without_page(request),
            "refus_form": RefusRattachementForm(),
            "recentes": services.recent_decisions(10),
        },
    )


@login_required
@require_POST
def decider_rattachement(request, pk: int):
    if not is_operator(request.user):
        raise PermissionDenied
    demande = DemandeRattachement.objects.filter(pk=pk).first()
    if demande is None:
        raise Http404
    decision = request.POST.get("decision")
    try:
        if decision == "accepter":
            services.accept_claim(demande, request.user)
            messages.success(
                request,
                f"{demande.demandeur} est désormais membre de « {demande.nom_organisation} » ; "
                "la personne est prévenue par courriel.",
            )
        elif decision == "refuser":
            services.refuse_claim(demande, request.user, request.POST.get("motif", ""))
            messages.success(
                request,
                f"La demande de {demande.demandeur} est refusée ; le motif lui est envoyé.",
            )
        else:
            messages.error(request, "Choisissez d'accepter ou de refuser la demande.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("comptes:rattachements")
