"""The ambassadors' pages: the public directory and its map, an ambassador's public page and
contact form, applications, the company's request form, a request's follow-up, the
ambassador's space and the operators' pages. Thin: the rules live in `services`."""

import json
from functools import lru_cache
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from osezia.entreprises.permissions import visible_entreprises
from osezia.referentiels import codes
from osezia.referentiels.models import Naf, Region
from osezia.socle.pagination import out_of_range, paginate, query_without_page
from osezia.socle.ratelimit import RateLimited, consume_request, request_key
from osezia.socle.validation import is_robot, report_on_form

from . import carte as carte_module
from . import permissions
from .forms import (
    ActiviteForm,
    ContactForm,
    DecisionForm,
    DemandeForm,
    FiltresForm,
    ProfilForm,
    StatutForm,
    TransfertForm,
)
from .models import OPEN_STATUSES, Ambassadeur, Demande, SourceDemande, StatutDemande
from .services import activites, chiffres, demandes, reseau

MAP_FILE = Path(__file__).resolve().parent / "data" / "carte_regions.json"


@lru_cache(maxsize=1)
def _map() -> dict:
    with open(MAP_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def _with_codes(queryset):
    return queryset.prefetch_related(
        Prefetch("regions", queryset=Region.objects.only("code", "libelle")),
        Prefetch("naf", queryset=Naf.objects.only("code", "libelle")),
    )


def annuaire(request):
    form = FiltresForm(request.GET or None)
    filtres = reseau.Filtres()
    if form.is_bound and form.is_valid():
        filtres = reseau.Filtres(**{k: v or "" for k, v in form.cleaned_data.items()})
    page = paginate(request, _with_codes(reseau.directory(filtres)))
    counts = reseau.counts_by_region(filtres)
    labels = dict(Region.objects.values_list("code", "libelle"))
    carte = _map()
    base = query_without_page(request)
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("region", None)
    params.pop("departement", None)
    keep = params.urlencode()
    regions = [
        {
            **r,
            "nom": labels.get(r["code"], r["nom"]),
            "nombre": counts.get(r["code"], 0),
            "url": f"?{keep + '&' if keep else ''}region={r['code']}#resultats",
            "choisie": r["code"] == filtres.region,
        }
        for r in carte["regions"]
    ]
    highest = max((r["nombre"] for r in regions), default=0)
    for r in regions:
        r["niveau"] = carte_module.shade(r["nombre"], highest)
    return render(
        request,
        "ambassadeurs/annuaire.html",
        {
            "title": "Annuaire des ambassadeurs IA",
            "form": form,
            "page": page,
            "hors_limites": out_of_range(page, request.GET.get("page")),
            "query": base,
            "carte": carte,
            "regions": regions,
            "tableau": sorted(regions, key=lambda r: r["nom"]),
            "types": codes.TYPES_AMBASSADEUR,
            "reseaux": codes.RESEAUX,
        },
    )


def _public(id_externe: str) -> Ambassadeur:
    return get_object_or_404(
        _with_codes(Ambassadeur.objects.filter(statut=Ambassadeur.Statut.ACTIF)),
        id_externe=id_externe,
    )


@require_http_methods(["GET", "POST"])
def fiche(request, id_externe: str):
    ambassador = _public(id_externe)
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if is_robot(form.cleaned_data):
            messages.success(request, "Votre message est envoyé.")
            return redirect("ambassadeurs:fiche", ambassador.id_externe)
        try:
            activites.contact(ambassador, form.cleaned_data, request_key(request))
        except RateLimited as exc:
            form.add_error(None, str(exc))
            status = 429
        except ValidationError as exc:
            report_on_form(form, exc)
        else:
            messages.success(
                request,
                f"Votre message est envoyé à {ambassador.nom_complet}, qui vous répondra par courriel.",
            )
            return redirect("ambassadeurs:fiche", ambassador.id_externe)
    return render(
        request,
        "ambassadeurs/fiche.html",
        {"title": ambassador.nom_complet, "ambassadeur": ambassador, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def devenir(request):
    existing = Ambassadeur.objects.filter(utilisateur=request.user).first()
    form = ProfilForm(
        request.POST or None,
        initial={"prenom": request.user.first_name, "nom": request.user.last_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            reseau.apply(request.user, form.profile())
        except ValidationError as exc:
            report_on_form(form, exc)
        else:
            messages.success(
                request,
                "Votre candidature est envoyée : les opérateurs vous répondront par courriel.",
            )
            return redirect("ambassadeurs:devenir")
    return render(
        request,
        "ambassadeurs/devenir.html",
        {
            "title": "Devenir ambassadeur IA",
            "form": form,
            "existant": existing,
            "reseaux": codes.phrase("reseau", "en_phrase"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def demander(request):
    """« Être accompagné par un ambassadeur », from the company space or the diagnostic."""
    entreprises = list(
        visible_entreprises(request.user).filter(adhesions__utilisateur=request.user).distinct()
    )
    initial = {"email": request.user.email}
    if request.GET.get("entreprise"):
        initial["entreprise"] = request.GET["entreprise"]
    form = DemandeForm(request.POST or None, entreprises=entreprises, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        entreprise = next(e for e in entreprises if str(e.pk) == form.cleaned_data["entreprise"])
        source = (
            SourceDemande.DIAGNOSTIC
            if request.POST.get("depuis") == "diagnostic"
            else SourceDemande.ESPACE
        )
        try:
            consume_request(request, "ambassadeurs-demande", demandes.REQUESTS_PER_HOUR, 3600)
            demande = demandes.create_request(
                {
                    "naf": entreprise.naf_id,
                    "departement": entreprise.departement_id,
                    "effectif": entreprise.effectif,
                    "siret": entreprise.siret,
                    "email": form.cleaned_data["email"],
                    "message": form.cleaned_data["message"],
                },
                source=source,
                entreprise=entreprise,
                demandeur=request.user,
            )
        except RateLimited as exc:
            form.add_error(None, str(exc))
            status = 429
        except ValidationError as exc:
            report_on_form(form, exc)
        else:
            messages.success(request, "Votre demande est enregistrée.")
            return redirect("ambassadeurs:demande", demande.pk)
    return render(
        request,
        "ambassadeurs/demander.html",
        {
            "title": "Être accompagné par un ambassadeur",
            "form": form,
            "entreprises": entreprises,
            "depuis": request.GET.get("depuis", ""),
            "mes_demandes": permissions.visible_requests(request.user)
            .filter(entreprise__in=entreprises)
            .select_related("ambassadeur", "entreprise")[:20],
        },
        status=status,
    )


def _visible(request, pk: int) -> Demande:
    demande = (
        permissions.visible_requests(request.user)
        .select_related("ambassadeur", "entreprise", "naf", "departement", "region")
        .filter(pk=pk)
        .first()
    )
    if demande is None:
        raise Http404
    return demande


@login_required
@require_http_methods(["GET", "POST"])
def demande(request, pk: int):
    demande = _visible(request, pk)
    may_act = permissions.can_act_on(request.user, demande)
    allowed = demandes.TRANSITIONS.get(demande.statut, ())
    statut_form = StatutForm(allowed=allowed)
    transfert_form = TransfertForm()
    if request.method == "POST":
        if not may_act:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "statut":
                statut_form = StatutForm(request.POST, allowed=allowed)
                if statut_form.is_valid():
                    demandes.change_status(
                        demande,
                        request.user,
                        statut_form.cleaned_data["statut"],
                        statut_form.cleaned_data["motif"],
                    )
                    messages.success(request, "Le statut de la demande est à jour.")
                    return (
                        redirect("ambassadeurs:demande", demande.pk)
                        if permissions.can_view_request(request.user, demande)
                        else redirect("ambassadeurs:espace")
                    )
            elif action == "transfert":
                transfert_form = TransfertForm(request.POST)
                if transfert_form.is_valid():
                    target = Ambassadeur.objects.filter(
                        id_externe=transfert_form.cleaned_data["ambassadeur"].strip(),
                        statut=Ambassadeur.Statut.ACTIF,
                    ).first()
                    if target is None:
                        transfert_form.add_error(
                            "ambassadeur", "Aucun ambassadeur actif ne porte cet identifiant."
                        )
                    else:
                        demandes.hand_over(
                            demande, request.user, target, transfert_form.cleaned_data["motif"]
                        )
                        messages.success(
                            request, f"La demande est transmise à {target.nom_complet}."
                        )
                        return (
                            redirect("ambassadeurs:espace")
                            if not permissions.can_view_request(request.user, demande)
                            else redirect("ambassadeurs:demande", demande.pk)
                        )
        except ValidationError as exc:
            report_on_form(transfert_form if action == "transfert" else statut_form, exc)
    return render(
        request,
        "ambassadeurs/demande.html",
        {
            "title": f"Demande d'accompagnement n° {demande.pk}",
            "demande": demande,
            "historique": demande.historique.select_related("ambassadeur", "par"),
            "peut_agir": may_act and demande.statut in OPEN_STATUSES,
            "operateur": permissions.may_manage_network(request.user),
            "attributions": demande.attributions.select_related("ambassadeur")
            if permissions.may_manage_network(request.user)
            else (),
            "statut_form": statut_form,
            "transfert_form": transfert_form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def espace(request):
    ambassador = permissions.profile_of(request.user)
    if ambassador is None:
        raise PermissionDenied("Cet espace est celui des ambassadeurs IA.")
    form = ActiviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activites.log_activity(ambassador, form.cleaned_data)
        except ValidationError as exc:
            report_on_form(form, exc)
        else:
            messages.success(request, "L'activité est ajoutée à votre journal.")
            return redirect("ambassadeurs:espace")
    requests = (
        Demande.objects.filter(ambassadeur=ambassador)
        .select_related("entreprise", "naf", "departement")
        .order_by("echeance_premier_contact", "-cree_le")
    )
    return render(
        request,
        "ambassadeurs/espace.html",
        {
            "title": "Mon espace ambassadeur",
            "ambassadeur": ambassador,
            "page": paginate(request, requests),
            "chiffres": chiffres.ambassador_figures(ambassador),
            "activites": ambassador.activites.all()[:20],
            "form": form,
        },
    )


def _operator(request):
    if not permissions.may_manage_network(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def operateur(request):
    _operator(request)
    if request.method == "POST":
        ambassador = get_object_or_404(Ambassadeur, pk=request.POST.get("candidature") or 0)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                reseau.decide_application(
                    ambassador,
                    request.user,
                    form.cleaned_data["decision"] == "accepter",
                    form.cleaned_data["motif"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, f"Candidature de {ambassador.nom_complet} décidée.")
        return redirect("ambassadeurs:operateur")
    statut = request.GET.get("statut", "")
    all_requests = Demande.objects.select_related(
        "ambassadeur", "entreprise", "naf", "region"
    ).order_by("-cree_le", "-pk")
    if statut in StatutDemande.values:
        all_requests = all_requests.filter(statut=statut)
    warnings = Demande.objects.filter(statut=StatutDemande.EN_ATTENTE) | Demande.objects.filter(
        tous_complets=True, statut__in=OPEN_STATUSES
    )
    return render(
        request,
        "ambassadeurs/operateur.html",
        {
            "title": "Ambassadeurs : pilotage",
            "candidatures": _with_codes(
                Ambassadeur.objects.filter(statut=Ambassadeur.Statut.CANDIDATURE)
            ),
            "alertes": warnings.select_related("ambassadeur", "naf", "region").order_by("-cree_le")[
                :50
            ],
            "page": paginate(request, all_requests),
            "statuts": StatutDemande.choices,
            "statut": statut,
            "query": query_without_page(request),
            "chiffres": chiffres.observatory_figures(),
        },
    )


def demande_url(demande: Demande) -> str:
    return reverse("ambassadeurs:demande", args=[demande.pk])
