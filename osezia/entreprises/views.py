from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osezia.comptes.models import Adhesion
from osezia.comptes.services import claim_notice
from osezia.socle.pagination import paginate, query_without_page
from osezia.socle.ratelimit import RateLimited

from . import inscription, permissions, services
from .forms import EntrepriseForm, MembreForm, TailleForm
from .identifiants import InvalidIdentifier
from .models import Entreprise


def _get_visible(request, siren: str) -> Entreprise:
    """The company if this person may see it; otherwise 404, never revealing that it exists."""
    entreprise = (
        Entreprise.objects.select_related("naf", "naf__parent", "departement", "region")
        .filter(siren=siren)
        .first()
    )
    if entreprise is None or not permissions.can_view(request.user, entreprise):
        raise Http404("Entreprise introuvable")
    return entreprise


@login_required
@require_GET
def liste(request):
    queryset = permissions.visible_entreprises(request.user).select_related("naf", "departement")
    page = paginate(request, queryset)
    return render(
        request,
        "entreprises/liste.html",
        {"title": "Entreprises", "page_obj": page, "query": query_without_page(request)},
    )


def _prefill_from_register(request) -> dict:
    identifiant = request.GET.get("preremplir", "")
    if not identifiant:
        return {}
    try:
        parsed = services.check_identifier(identifiant)
    except InvalidIdentifier as exc:
        messages.error(request, str(exc))
        return {"identifiant": identifiant}
    fiche = services.lookup_register(parsed.siret or parsed.siren)
    if fiche is None:
        messages.info(
            request, "Le répertoire des entreprises n'a pas pu compléter la fiche : saisissez-la."
        )
        return {"identifiant": identifiant}
    return {
        "identifiant": fiche.siret or fiche.siren,
        "denomination": fiche.denomination,
        "naf": fiche.naf,
        "adresse": fiche.adresse,
        "code_postal": fiche.code_postal,
        "commune": fiche.commune,
        "departement": fiche.departement,
    }


def _initial(request) -> tuple[dict, list[str]]:
    """The company form's first values: what the apps above know of this visit (the
    diagnostic just completed), then the register's answer when the person asked for it."""
    initial, origines = {}, []
    for answer in inscription.prefill(request):
        initial.update({k: v for k, v in answer.valeurs.items() if v not in (None, "")})
        if answer.origine:
            origines.append(answer.origine)
    initial.update({k: v for k, v in _prefill_from_register(request).items() if v})
    return initial, origines


@login_required
@require_http_methods(["GET", "POST"])
def creer(request):
    register = services.register_enabled()
    origines: list[str] = []
    if request.method == "POST":
        form = EntrepriseForm(request.POST, register=register)
        if form.is_valid():
            try:
                entreprise = services.create_entreprise(
                    request.user, form.to_data(), request=request
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            except RateLimited as exc:
                form.add_error(None, str(exc))
            else:
                if not isinstance(entreprise, Entreprise):  # a claim sent to the operators
                    messages.info(request, claim_notice(entreprise.type_organisation))
                    return redirect("comptes:espace")
                messages.success(request, f"L'entreprise {entreprise.denomination} est inscrite.")
                following = request.POST.get("next") or request.GET.get("next")
                if following and url_has_allowed_host_and_scheme(
                    following, allowed_hosts={request.get_host()}, require_https=request.is_secure()
                ):
                    return redirect(following)
                return redirect("entreprises:detail", siren=entreprise.siren)
    else:
        initial, origines = _initial(request)
        form = EntrepriseForm(initial=initial, register=register)
    return render(
        request,
        "entreprises/formulaire.html",
        {
            "title": "Inscrire mon entreprise",
            "form": form,
            "connecteur_actif": register,
            "origines": origines,
        },
    )


@login_required
@require_GET
def detail(request, siren: str):
    entreprise = _get_visible(request, siren)
    adhesions = Adhesion.objects.filter(entreprise=entreprise).select_related("utilisateur")
    peut_gerer_membres = permissions.can_manage_members(request.user, entreprise)
    invitations = (
        paginate(request, services.pending_invitations(entreprise)) if peut_gerer_membres else None
    )
    return render(
        request,
        "entreprises/detail.html",
        {
            "title": entreprise.denomination,
            "breadcrumb": [("Entreprises", "/entreprises/")],
            "entreprise": entreprise,
            "naf_chain": list(reversed(entreprise.naf.ancetres())),
            "adhesions": adhesions,
            "peut_modifier": permissions.can_edit(request.user, entreprise),
            "peut_gerer_membres": peut_gerer_membres,
            "membre_form": MembreForm(),
            "invitations": invitations,
            "query": query_without_page(request),
            "validite_jours": services.INVITATION_VALIDITY.days,
            "source_registre": Entreprise.Source.RECHERCHE_ENTREPRISES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def modifier(request, siren: str):
    entreprise = _get_visible(request, siren)
    if not permissions.can_edit(request.user, entreprise):
        raise Http404("Entreprise introuvable")
    register = services.register_enabled()
    if request.method == "POST":
        form = EntrepriseForm(request.POST, register=register)
        if form.is_valid():
            try:
                services.update_entreprise(entreprise, form.to_data())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, "Les informations de l'entreprise sont enregistrées.")
                return redirect("entreprises:detail", siren=entreprise.siren)
    else:
        form = EntrepriseForm(initial=EntrepriseForm.initial_from(entreprise), register=register)
    return render(
        request,
        "entreprises/formulaire.html",
        {
            "title": f"Modifier {entreprise.denomination}",
            "form": form,
            "entreprise": entreprise,
            "connecteur_actif": register,
            "origines": [],
        },
    )


@login_required
@require_POST
def ajouter_membre(request, siren: str):
    entreprise = _get_visible(request, siren)
    if not permissions.can_manage_members(request.user, entreprise):
        raise Http404("Entreprise introuvable")
    form = MembreForm(request.POST)
    if form.is_valid():
        try:
            answer = services.invite_member(entreprise, form.cleaned_data["email"], request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except RateLimited as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, answer)
    else:
        messages.error(request, "Saisissez une adresse électronique valide.")
    return redirect("entreprises:detail", siren=entreprise.siren)


@login_required
@require_POST
def repondre_invitation(request, pk: int):
    """The invited person accepts or declines; someone else's invitation answers 404."""
    accept = request.POST.get("reponse") == "accepter"
    try:
        invitation = services.answer_invitation(request.user, pk, accept)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("comptes:espace")
    if accept:
        messages.success(
            request, f"Vous êtes membre de l'entreprise {invitation.entreprise.denomination}."
        )
        return redirect("entreprises:detail", siren=invitation.entreprise.siren)
    messages.info(request, "L'invitation est déclinée.")
    return redirect("comptes:espace")


@login_required
@require_POST
def annuler_invitation(request, siren: str, invitation_id: int):
    """The company's admin (or an operator) cancels an unanswered invitation."""
    entreprise = _get_visible(request, siren)
    if not permissions.can_manage_members(request.user, entreprise):
        raise Http404("Entreprise introuvable")
    try:
        invitation = services.cancel_invitation(entreprise, invitation_id, request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"L'invitation envoyée à {invitation.email} est annulée.")
    return redirect("entreprises:detail", siren=entreprise.siren)


@login_required
@require_POST
def retirer_membre(request, siren: str, adhesion_id: int):
    entreprise = _get_visible(request, siren)
    if not permissions.can_manage_members(request.user, entreprise):
        raise Http404("Entreprise introuvable")
    try:
        services.remove_member(entreprise, adhesion_id)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Le membre a été retiré.")
    return redirect("entreprises:detail", siren=entreprise.siren)


@require_GET
def categorie_taille(request):
    form = TailleForm(request.GET or None)
    resultat = None
    if form.is_valid():
        resultat = services.compute_size(
            form.cleaned_data["effectif"],
            form.cleaned_data.get("chiffre_affaires_eur"),
            form.cleaned_data.get("total_bilan_eur"),
        )
    from osezia.referentiels.models import CategorieTaille

    return render(
        request,
        "entreprises/categorie_taille.html",
        {
            "title": "Catégorie de taille d'une entreprise",
            "form": form,
            "resultat": resultat,
            "categories": CategorieTaille.objects.all(),
        },
    )
