"""The Diagnostic Data IA's pages: the scheme and its simulation, the company's request (with
why a TPE or a GE cannot, and what else it can do), a file's page with the actions its parties
may take and its timeline, the report (editor for the expert, reading and PDF for the others),
the expert's profile, one's files, and the operators' page. Thin: the rules live in
`services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from osezia.entreprises.models import Entreprise
from osezia.socle import plan
from osezia.socle.pagination import paginate
from osezia.socle.pdf import pdf_response
from osezia.socle.ratelimit import RateLimited, consume_request
from osezia.socle.validation import report_on_form

from . import devis as calcul
from . import etats, permissions, services
from .forms import (
    AjoutCasForm,
    AssignationForm,
    CasForm,
    ConflitForm,
    DemandeForm,
    DevisForm,
    EnveloppeForm,
    ProfilForm,
    SimulationForm,
    SyntheseForm,
    TransitionForm,
)
from .models import Demande, Enveloppe, Expert
from .services.demandes import REQUESTS_PER_DAY


@require_GET
def accueil(request):
    form = SimulationForm(request.GET or None, initial={"jours": calcul.JOURS_PAR_DEFAUT})
    simulation = None
    if form.is_bound and form.is_valid():
        simulation = calcul.montants(
            form.cleaned_data["jours"], form.cleaned_data["taux_journalier_ht_eur"]
        )
    return render(
        request,
        "expertise/accueil.html",
        {
            "title": "Diagnostic Data IA",
            "plan": plan,
            "form": form,
            "simulation": simulation,
            "chiffres": services.observatory_figures(),
        },
    )


def _companies(user):
    return (
        Entreprise.objects.filter(adhesions__utilisateur=user)
        .select_related("region")
        .order_by("denomination")
    )


@login_required
@require_http_methods(["GET", "POST"])
def demander(request):
    entreprises = list(_companies(request.user))
    eligibles = [e for e in entreprises if services.eligibility(e).eligible]
    refus = [
        (e, services.eligibility(e)) for e in entreprises if not services.eligibility(e).eligible
    ]
    ouvertes = {e.pk: services.open_request(e) for e in eligibles}
    choix = [e for e in eligibles if ouvertes[e.pk] is None]
    form = DemandeForm(
        request.POST or None, entreprises=choix, initial={"partage_autodiagnostic": True}
    )
    if request.method == "POST" and form.is_valid():
        entreprise = next(e for e in choix if e.pk == form.cleaned_data["entreprise"])
        try:
            consume_request(request, "expertise-demande", REQUESTS_PER_DAY, 86400)
            demande = services.create_request(request.user, entreprise, form.cleaned_data)
        except RateLimited as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            report_on_form(form, exc)
        else:
            messages.success(
                request, "Votre demande est enregistrée : les opérateurs vérifient son éligibilité."
            )
            return redirect("expertise:demande", pk=demande.pk)
    derniers = [(e, services.latest_diagnostic(e)) for e in choix]
    return render(
        request,
        "expertise/demander.html",
        {
            "title": "Demander un Diagnostic Data IA",
            "form": form,
            "refus": refus,
            "ouvertes": [d for d in ouvertes.values() if d],
            "choix": choix,
            "derniers": derniers,
            "sans_entreprise": not entreprises,
            "plan": plan,
        },
    )


def _visible(request, pk: int) -> Demande:
    found = (
        permissions.visible_demandes(request.user)
        .select_related(
            "entreprise__naf", "entreprise__region", "expert__utilisateur", "region", "diagnostic"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("Dossier introuvable")
    return found


def _actions(demande: Demande, parties: set[str]) -> list[dict]:
    actions = []
    for t in etats.possibles(demande.statut, parties):
        if t.vers in (etats.EXPERT_ASSIGNE, etats.DEVIS_ACCEPTE):
            continue  # their own forms
        if (
            t.vers == etats.ELIGIBLE
            and demande.statut == etats.EXPERT_ASSIGNE
            and demande.attente_enveloppe_depuis
        ):
            continue
        actions.append({"transition": t, "form": TransitionForm(transition=t, prefix=t.vers)})
    return actions


@login_required
@require_http_methods(["GET", "POST"])
def demande(request, pk: int):
    demande = _visible(request, pk)
    parties = permissions.parties_of(request.user, demande)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            message = _act(request, demande, parties, action)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            if message:
                messages.success(request, message)
            return redirect("expertise:demande", pk=demande.pk)
        return redirect("expertise:demande", pk=demande.pk)
    quote = getattr(demande, "devis", None) if hasattr(demande, "devis") else None
    suggestions = []
    if etats.OPERATEUR in parties and demande.statut == etats.ELIGIBLE:
        suggestions = services.suggestions(demande)
    expert_to_accept = (
        etats.EXPERT in parties
        and demande.statut == etats.EXPERT_ASSIGNE
        and not demande.accepte_le
    )
    return render(
        request,
        "expertise/demande.html",
        {
            "title": f"Diagnostic Data IA n° {demande.pk}",
            "demande": demande,
            "parties": parties,
            "etats": etats,
            "timeline": services.timeline(demande),
            "actions": _actions(demande, parties),
            "devis": quote,
            "rang": services.queue_rank(demande),
            "suggestions": suggestions,
            "assignation_form": AssignationForm(suggestions=suggestions) if suggestions else None,
            "a_accepter": expert_to_accept,
            "devis_form": DevisForm(
                initial={
                    "jours": quote.jours if quote else calcul.JOURS_PAR_DEFAUT,
                    "taux_journalier_ht_eur": (
                        quote.taux_journalier_ht_cents
                        if quote
                        else demande.expert.taux_journalier_ht_cents
                    )
                    // 100,
                    "contenu": quote.contenu if quote else "",
                }
            )
            if etats.EXPERT in parties
            and demande.statut == etats.EXPERT_ASSIGNE
            and demande.accepte_le
            and not demande.attente_enveloppe_depuis
            else None,
            "peut_accepter_devis": etats.ENTREPRISE in parties
            and demande.statut == etats.EXPERT_ASSIGNE
            and quote
            and not demande.attente_enveloppe_depuis,
            "a_rapport": hasattr(demande, "rapport"),
            "declin": next(
                (
                    a
                    for a in _actions(demande, parties)
                    if a["transition"].motif == etats.MOTIF_DECLIN
                ),
                None,
            ),
        },
    )


def _act(request, demande: Demande, parties: set[str], action: str) -> str:
    if action == "transition":
        vers = request.POST.get("vers", "")
        transition = etats.transition(demande.statut, vers)
        if transition is None:
            raise ValidationError("Cette action n'est plus possible : le dossier a changé d'état.")
        form = TransitionForm(request.POST, transition=transition, prefix=vers)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.move(
            demande,
            request.user,
            vers,
            form.cleaned_data.get("motif", ""),
            form.cleaned_data.get("commentaire", ""),
        )
        return f"Dossier « {etats.LIBELLES[vers]} »."
    if action == "assigner":
        if etats.OPERATEUR not in parties:
            raise PermissionDenied("Seuls les opérateurs désignent l'expert.")
        form = AssignationForm(request.POST, suggestions=services.suggestions(demande))
        if not form.is_valid():
            raise ValidationError("Choisissez un des experts proposés.")
        services.assign(demande, Expert.objects.get(pk=form.cleaned_data["expert"]), request.user)
        return "Expert désigné : il a 5 jours ouvrés pour accepter le dossier."
    if action == "accepter_dossier":
        services.accept_file(demande, request.user)
        return "Dossier accepté : établissez maintenant votre devis."
    if action == "devis":
        form = DevisForm(request.POST)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.propose(
            demande,
            request.user,
            form.cleaned_data["jours"],
            form.cleaned_data["taux_journalier_ht_eur"],
            form.cleaned_data["contenu"],
        )
        return "Devis envoyé à l'entreprise."
    if action == "accepter_devis":
        _, message = services.accept(demande, request.user)
        return message
    raise ValidationError("Action inconnue.")


@login_required
@require_http_methods(["GET", "POST"])
def rapport(request, pk: int):
    demande = _visible(request, pk)
    parties = permissions.parties_of(request.user, demande)
    editable = etats.EXPERT in parties and demande.statut == etats.EN_COURS
    if not hasattr(demande, "rapport"):
        raise Http404("Le rapport n'est pas encore commencé.")
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(
                "Seul l'expert désigné rédige le rapport, pendant le diagnostic."
            )
        action = request.POST.get("action", "")
        index = request.POST.get("index", "")
        index = int(index) if index.isdigit() else None
        data = {}
        if action == "synthese":
            form = SyntheseForm(request.POST)
            data = (
                {"synthese": request.POST.get("synthese", "")}
                if form.is_valid()
                else {"synthese": "\x00"}
            )
        elif action == "modifier":
            form = CasForm(request.POST, prefix=f"cas{index}")
            if form.is_valid():
                data = form.cleaned_data
            else:
                for name, errors in form.errors.items():
                    messages.error(
                        request,
                        f"{form.fields[name].label if name in form.fields else ''} : {errors[0]}",
                    )
                return redirect(f"{reverse('expertise:rapport', args=[pk])}#cas-{index}")
        elif action == "ajouter":
            data = {"famille": request.POST.get("famille", "")}
        try:
            services.edit(demande, request.user, action, index, data)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(request, "Rapport enregistré.")
        anchor = f"#cas-{index}" if index is not None and action == "modifier" else ""
        return redirect(reverse("expertise:rapport", args=[pk]) + anchor)
    context = services.view(demande)
    forms_by_case = []
    if editable:
        for i, case in enumerate(context["contenu"].get("cas_usage", [])):
            forms_by_case.append(CasForm(initial=case, prefix=f"cas{i}"))
    return render(
        request,
        "expertise/rapport.html",
        {
            **context,
            "title": f"Rapport du Diagnostic Data IA n° {demande.pk}",
            "demande": demande,
            "editable": editable,
            "cas_forms": list(zip(context["cas"], forms_by_case, strict=False)) if editable else [],
            "synthese_form": SyntheseForm(
                initial={"synthese": context["contenu"].get("synthese", "")}
            )
            if editable
            else None,
            "ajout_form": AjoutCasForm() if editable else None,
        },
    )


def report_pdf(request, demande: Demande):
    """The report's PDF (the page and the API), for a file the person may see."""
    context = services.view(demande)
    if not context:
        raise Http404("Le rapport n'est pas encore commencé.")
    return pdf_response(
        request,
        "expertise/rapport_pdf.html",
        {**context, "demande": demande},
        key=f"expertise:{demande.pk}:{context['rapport'].modifie_le:%Y%m%d%H%M%S%f}",
        filename=f"diagnostic-data-ia-{demande.pk}.pdf",
    )


@login_required
@require_GET
def rapport_pdf(request, pk: int):
    return report_pdf(request, _visible(request, pk))


@login_required
@require_GET
def espace(request):
    expert = Expert.objects.filter(utilisateur=request.user).first()
    files = permissions.visible_demandes(request.user).select_related(
        "entreprise", "expert__utilisateur"
    )
    if permissions.may_operate(request.user):
        files = files.filter(expert__utilisateur=request.user) | files.filter(
            entreprise__adhesions__utilisateur=request.user
        )
    return render(
        request,
        "expertise/espace.html",
        {
            "title": "Mes Diagnostics Data IA",
            "page_obj": paginate(request, files.distinct().order_by("-cree_le", "-pk")),
            "expert": expert,
            "operateur": permissions.may_operate(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profil(request):
    if not permissions.may_apply_as_expert(request.user):
        raise PermissionDenied("Le profil d'expert est réservé aux experts Diagnostic Data IA.")
    expert = Expert.objects.filter(utilisateur=request.user).first()
    initial = {}
    if expert:
        initial = {
            "structure": expert.structure,
            "siren": expert.siren,
            "familles": expert.familles,
            "naf": ", ".join(expert.naf),
            "regions": [r.code for r in expert.regions.all()],
            "capacite_jours_trimestre": expert.capacite_jours_trimestre,
            "taux_journalier_ht_eur": expert.taux_journalier_ht_cents // 100,
            "presentation": expert.presentation,
        }
    form = ProfilForm(
        request.POST if request.POST.get("action") == "profil" else None, initial=initial
    )
    conflit = ConflitForm(request.POST if request.POST.get("action") == "conflit" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "profil" and form.is_valid():
                data = dict(form.cleaned_data)
                data["taux_journalier_ht_cents"] = data.pop("taux_journalier_ht_eur")
                services.save_profile(request.user, data)
                messages.success(request, "Profil enregistré.")
                return redirect("expertise:profil")
            if request.POST.get("action") == "conflit" and expert and conflit.is_valid():
                services.declare_conflict(
                    expert, conflit.cleaned_data["siren"], conflit.cleaned_data["motif"]
                )
                messages.success(
                    request, "Conflit d'intérêts déclaré : ce dossier ne vous sera jamais proposé."
                )
                return redirect("expertise:profil")
        except ValidationError as exc:
            report_on_form(form if request.POST.get("action") == "profil" else conflit, exc)
    return render(
        request,
        "expertise/profil.html",
        {
            "title": "Mon profil d'expert",
            "form": form,
            "conflit_form": conflit,
            "expert": expert,
            "conflits": expert.conflits.all() if expert else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def operateur(request):
    if not permissions.may_operate(request.user):
        raise PermissionDenied("Page réservée aux opérateurs du plan.")
    form = EnveloppeForm(request.POST if request.POST.get("action") == "enveloppe" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "enveloppe" and form.is_valid():
                d = form.cleaned_data
                services.set_envelope(d["region"], d["annee"], d["montant_eur"], request.user)
                messages.success(
                    request,
                    "Enveloppe enregistrée ; les dossiers en attente ont été servis dans l'ordre.",
                )
                return redirect("expertise:operateur")
            if action in ("accrediter", "suspendre"):
                expert = get_object_or_404(
                    Expert,
                    pk=request.POST.get("expert", "0")
                    if request.POST.get("expert", "").isdigit()
                    else 0,
                )
                services.accredit(expert, request.user, action == "accrediter")
                messages.success(
                    request,
                    f"{expert.nom_complet} : {'accrédité' if action == 'accrediter' else 'accréditation suspendue'}.",
                )
                return redirect("expertise:operateur")
        except ValidationError as exc:
            report_on_form(form, exc)
    a_traiter = (
        Demande.objects.filter(
            statut__in=(etats.DEMANDEE, etats.ELIGIBLE, etats.VALIDE, etats.FACTURE)
        )
        .select_related("entreprise", "region")
        .order_by("cree_le", "pk")
    )
    return render(
        request,
        "expertise/operateur.html",
        {
            "title": "Diagnostic Data IA : pilotage",
            "page_obj": paginate(request, a_traiter),
            "enveloppes": Enveloppe.objects.select_related("region").all()[:50],
            "attente": Demande.objects.filter(
                attente_enveloppe_depuis__isnull=False, statut=etats.EXPERT_ASSIGNE
            )
            .select_related("entreprise", "region")
            .order_by("attente_enveloppe_depuis", "pk")[:50],
            "candidatures": Expert.objects.exclude(statut=Expert.Statut.ACCREDITE).select_related(
                "utilisateur"
            )[:50],
            "experts": Expert.objects.filter(statut=Expert.Statut.ACCREDITE)
            .select_related("utilisateur")
            .prefetch_related("regions")[:100],
            "form": form,
            "chiffres": services.observatory_figures(),
        },
    )
