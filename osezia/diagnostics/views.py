from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osezia.entreprises import permissions as entreprise_permissions
from osezia.entreprises.models import Entreprise
from osezia.referentiels.models import Dimension, FamilleCasUsage, NiveauMaturite
from osezia.socle.pdf import pdf_response
from osezia.socle.ratelimit import RateLimited, consume_request
from osezia.socle.texte import de

from . import parcours, permissions, recommandations, services
from .charts import bar_chart
from .forms import ProfilForm, answers_from_post
from .models import Diagnostic

PRIORITY_LABELS = {
    "quick_win": ("Gain rapide", "success"),
    "projet_structurant": ("Projet structurant", "info"),
    "a_preparer": ("À préparer", "warning"),
}


def _diagnostic(request, uuid, answering=False) -> Diagnostic:
    diagnostic = (
        Diagnostic.objects.select_related(
            "naf", "departement__region", "questionnaire", "entreprise"
        )
        .filter(uuid=uuid)
        .first()
    )
    check = permissions.can_answer if answering else permissions.can_view
    if diagnostic is None or not check(request, diagnostic):
        raise Http404("Diagnostic introuvable")
    return diagnostic


def _member_companies(user):
    if not user.is_authenticated:
        return Entreprise.objects.none()
    return Entreprise.objects.filter(adhesions__utilisateur=user).select_related("naf")


DIAGNOSTICS_PER_HOUR = 30


@require_http_methods(["GET", "POST"])
def demarrer(request):
    status = 200
    companies = list(_member_companies(request.user))
    chosen = None
    siren = request.POST.get("entreprise") or request.GET.get("entreprise")
    if siren:
        chosen = next((c for c in companies if c.siren == siren), None)
        if chosen is None or not permissions.can_diagnose(request.user, chosen):
            raise Http404("Entreprise introuvable")
    if request.method == "POST" and chosen is not None and "depuis_entreprise" in request.POST:
        try:
            diagnostic = services.start(services.profile_of(chosen), request.user, chosen)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("diagnostics:demarrer")
        permissions.remember(request, diagnostic)
        return redirect("diagnostics:etape", uuid=diagnostic.uuid, index=0)
    if request.method == "POST" and "depuis_entreprise" not in request.POST:
        form = ProfilForm(request.POST)
        if form.is_valid():
            try:
                # A diagnostic is stored for anyone, without an account: counted per person
                # (or address) so that a script cannot fill the database.
                consume_request(
                    request, "diagnostic-demarrer", limit=DIAGNOSTICS_PER_HOUR, period=3600
                )
            except RateLimited as exc:
                form.add_error(None, str(exc))
                status = 429
            else:
                diagnostic = services.start(form.cleaned_data["profil"], request.user)
                permissions.remember(request, diagnostic)
                return redirect("diagnostics:etape", uuid=diagnostic.uuid, index=0)
    else:
        form = ProfilForm()
    questionnaire = services.current_questionnaire()
    data = services.questionnaire_data(questionnaire)
    return render(
        request,
        "diagnostics/demarrer.html",
        {
            "title": "Autodiagnostic IA",
            "form": form,
            "companies": companies,
            "questionnaire": data,
            "nb_questions": len(data.questions),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def etape(request, uuid, index: int):
    diagnostic = _diagnostic(request, uuid, answering=True)
    if diagnostic.statut == Diagnostic.Statut.TERMINE:
        return redirect("diagnostics:resultats", uuid=diagnostic.uuid)
    data = services.questionnaire_data(diagnostic.questionnaire)
    total = len(data.etapes)
    if not parcours.reachable(total, diagnostic.etape_courante, index):
        return redirect(
            "diagnostics:etape",
            uuid=diagnostic.uuid,
            index=parcours.resume_index(total, diagnostic.etape_courante),
        )
    current = data.etapes[index]
    questions = data.questions_of(current.code)
    errors: dict[str, list[str]] = {}
    submitted = None
    if request.method == "POST":
        action = parcours.action_of(request.POST.get("action"))
        submitted = answers_from_post(request.POST, questions)
        try:
            suite = services.answer_step(diagnostic, index, submitted, action)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"reponses": exc.messages}
        else:
            if suite.complete:
                return redirect("diagnostics:resultats", uuid=diagnostic.uuid)
            if action == parcours.LATER:
                messages.success(
                    request,
                    "Vos réponses sont enregistrées. Gardez le lien de reprise pour continuer plus tard.",
                )
            return redirect("diagnostics:etape", uuid=diagnostic.uuid, index=suite.index)
    given = submitted if submitted is not None else diagnostic.reponses
    rows = []
    for question in questions:
        value = given.get(question.code)
        chosen = set([value] if isinstance(value, str) else value or [])
        rows.append({"q": question, "chosen": chosen, "errors": errors.get(question.code, [])})
    general_errors = errors.get("reponses", []) + errors.get("__all__", [])
    return render(
        request,
        "diagnostics/etape.html",
        {
            "title": f"Autodiagnostic — {current.titre}",
            "diagnostic": diagnostic,
            "etape": current,
            "index": index,
            "numero": index + 1,
            "total": total,
            "suivante": data.etapes[index + 1].titre if index + 1 < total else None,
            "rows": rows,
            "has_errors": bool(errors),
            "general_errors": general_errors,
            "lien_reprise": request.build_absolute_uri(
                reverse("diagnostics:reprendre", args=[diagnostic.jeton])
            ),
        },
    )


@require_GET
def reprendre(request, jeton: str):
    diagnostic = Diagnostic.objects.filter(jeton=jeton).first()
    if diagnostic is None:
        raise Http404("Lien de reprise inconnu")
    if diagnostic.entreprise_id and not permissions.can_view(request, diagnostic):
        raise Http404("Lien de reprise inconnu")
    permissions.remember(request, diagnostic)
    if diagnostic.statut == Diagnostic.Statut.TERMINE:
        return redirect("diagnostics:resultats", uuid=diagnostic.uuid)
    return _resume(diagnostic)


def _resume(diagnostic: Diagnostic):
    total = len(services.questionnaire_data(diagnostic.questionnaire).etapes)
    return redirect(
        "diagnostics:etape",
        uuid=diagnostic.uuid,
        index=parcours.resume_index(total, diagnostic.etape_courante),
    )


def _results_context(request, diagnostic: Diagnostic) -> dict:
    dimensions = {d.code: d for d in Dimension.objects.all()}
    families = {f.code: f for f in FamilleCasUsage.objects.all()}
    peers = services.peers(diagnostic) if diagnostic.score_global is not None else None
    rows = []
    if diagnostic.dimensions:
        for code, score in diagnostic.dimensions.items():
            rows.append(
                {
                    "code": code,
                    "libelle": dimensions[code].libelle_court,
                    "score": score,
                    "pairs": peers["dimensions"][code] if peers else None,
                }
            )
    cas = []
    for rank, item in enumerate(diagnostic.cas_usage, 1):
        label, tone = PRIORITY_LABELS[item["priorite"]]
        cas.append(
            {
                **item,
                "rang": rank,
                "libelle_long": families[item["famille"]].libelle,
                "priorite_libelle": label,
                "ton": tone,
            }
        )
    preferences = services.parse_preferences(
        request.GET.get("budget"), request.GET.getlist("hebergement")
    )
    hub = recommandations.recommend(
        recommandations.context_for(
            diagnostic, preferences.budget_eur_mois, preferences.hebergements
        )
    )
    return {
        "diagnostic": diagnostic,
        "rows": rows,
        "chart": bar_chart(rows) if rows else None,
        "niveau": NiveauMaturite.objects.filter(code=diagnostic.niveau)
        .values_list("libelle", flat=True)
        .first()
        or "",
        "cas_top": cas[:5],
        "cas_autres": cas[5:],
        "pairs": peers,
        "hub": hub,
        "budget": preferences.budget_eur_mois,
        "hebergements_choisis": preferences.hebergements,
        "hebergements": services.HOSTING_CHOICES,
        "budget_max": services.MAX_BUDGET_EUR_MOIS,
        "erreur_budget": preferences.errors.get("budget", ""),
        "erreur_hebergement": preferences.errors.get("hebergement", ""),
    }


@require_GET
def resultats(request, uuid):
    diagnostic = _diagnostic(request, uuid)
    if diagnostic.statut != Diagnostic.Statut.TERMINE:
        return _resume(diagnostic)
    context = _results_context(request, diagnostic)
    attachables = []
    if diagnostic.entreprise_id is None and request.user.is_authenticated:
        attachables = list(_member_companies(request.user))
    context.update({"title": "Résultats de votre autodiagnostic", "attachables": attachables})
    return render(request, "diagnostics/resultats.html", context)


@require_GET
def pdf(request, uuid):
    diagnostic = _diagnostic(request, uuid)
    if diagnostic.statut != Diagnostic.Statut.TERMINE:
        raise Http404("Diagnostic non terminé")
    changed = diagnostic.recalcule_le or diagnostic.termine_le
    return pdf_response(
        request,
        "diagnostics/pdf.html",
        _results_context(request, diagnostic),
        key=f"diagnostic:{diagnostic.uuid}:{changed:%Y%m%d%H%M%S%f}",
        filename=f"autodiagnostic-ia-{diagnostic.termine_le:%Y-%m-%d}.pdf",
    )


@login_required
@require_POST
def rattacher(request, uuid):
    diagnostic = _diagnostic(request, uuid)
    entreprise = (
        _member_companies(request.user).filter(siren=request.POST.get("entreprise", "")).first()
    )
    if entreprise is None or not permissions.can_attach(request.user, diagnostic, entreprise):
        raise Http404("Entreprise introuvable")
    services.attach(diagnostic, entreprise, request.user)
    messages.success(
        request, f"Le diagnostic est enregistré dans l'espace {de(entreprise.denomination)}."
    )
    return redirect("diagnostics:resultats", uuid=diagnostic.uuid)


def _visible_company(request, siren) -> Entreprise:
    entreprise = Entreprise.objects.filter(siren=siren).first()
    if entreprise is None or not entreprise_permissions.can_view(request.user, entreprise):
        raise Http404("Entreprise introuvable")
    return entreprise


@login_required
@require_GET
def historique(request, siren):
    entreprise = _visible_company(request, siren)
    diagnostics = list(services.history(entreprise))
    levels = dict(NiveauMaturite.objects.values_list("code", "libelle"))
    for diagnostic in diagnostics:
        diagnostic.niveau_libelle = levels.get(diagnostic.niveau, "")
    comparison = None
    a, b = request.GET.get("avant"), request.GET.get("apres")
    if a and b:
        by_uuid = {str(d.uuid): d for d in diagnostics}
        if a in by_uuid and b in by_uuid:
            comparison = services.compare(by_uuid[a], by_uuid[b])
            labels = {d.code: d.libelle_court for d in Dimension.objects.all()}
            fam = {f.code: f.libelle_court for f in FamilleCasUsage.objects.all()}
            for row in comparison["dimensions"]:
                row["libelle"] = labels[row["dimension"]]
            comparison["entrees"] = [fam[c] for c in comparison["entrees"]]
            comparison["sorties"] = [fam[c] for c in comparison["sorties"]]
        else:
            messages.error(request, "Choisissez deux diagnostics de cette entreprise à comparer.")
    return render(
        request,
        "diagnostics/historique.html",
        {
            "title": f"Diagnostics {de(entreprise.denomination)}",
            "entreprise": entreprise,
            "diagnostics": diagnostics,
            "comparison": comparison,
            "avant": a,
            "apres": b,
        },
    )
