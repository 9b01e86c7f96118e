from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from osezia.core.pagination import query_without_page
from osezia.entreprises.permissions import visible_entreprises
from osezia.entreprises.services import invitations_for

from . import services
from .forms import RefusRattachementForm
from .models import DemandeRattachement
from .permissions import is_operator


@login_required
@require_GET
def espace(request):
    entreprises = visible_entreprises(request.user).select_related("naf", "departement")
    operator = is_operator(request.user)
    return render(
        request,
        "comptes/espace.html",
        {
            "title": "Mon espace",
            "roles": sorted(request.user.attributions.all(), key=lambda a: a.role),
            "entreprises": entreprises[:20],
            "is_operator": operator,
            "invitations": list(invitations_for(request.user)[:20]),
            "demandes": list(services.claims_of(request.user)[:20]),
            "demandes_a_traiter": services.pending_claims().count() if operator else 0,
        },
    )


# Operators: membership claims ------------------------------------------------------------


@login_required
@require_GET
def rattachements(request):
    if not is_operator(request.user):
        raise PermissionDenied
    page_obj = Paginator(services.pending_claims(), 20).get_page(request.GET.get("page"))
    recent = (
        DemandeRattachement.objects.exclude(statut=DemandeRattachement.Statut.EN_ATTENTE)
        .select_related("demandeur", "decide_par")
        .order_by("-decide_le", "-pk")[:10]
    )
    return render(
        request,
        "comptes/rattachements.html",
        {
            "title": "Demandes de rattachement",
            "breadcrumb": [("Mon espace", "/espace/")],
            "page_obj": page_obj,
            "query": query_without_page(request),
            "refus_form": RefusRattachementForm(),
            "recentes": recent,
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
    try:
        if request.POST.get("decision") == "accepter":
            services.accept_claim(demande, request.user)
            messages.success(
                request,
                f"{demande.demandeur} est désormais membre de « {demande.nom_organisation} » ; "
                "la personne est prévenue par courriel.",
            )
        else:
            services.refuse_claim(demande, request.user, request.POST.get("motif", ""))
            messages.success(
                request,
                f"La demande de {demande.demandeur} est refusée ; le motif lui est envoyé.",
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("comptes:rattachements")
