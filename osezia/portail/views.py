"""The site layer's pages: home, the three axes, the observatory, legal pages, and « Mon
espace » (which composes what several apps hold for the person)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from osezia.comptes import services as comptes_services
from osezia.comptes.permissions import is_operator
from osezia.entreprises.permissions import visible_entreprises
from osezia.entreprises.services import invitations_for
from osezia.referentiels import codes
from osezia.socle import plan
from osezia.socle.client import client_ip
from osezia.socle.ratelimit import RateLimited, address_key
from osezia.socle.validation import is_robot


def _diagnostic_url() -> str:
    """Where « Faire mon autodiagnostic » leads: the questionnaire once that module is served."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("diagnostics:demarrer")
    except NoReverseMatch:
        return reverse("portail:axe", args=["accompagner"])


@require_GET
def accueil(request):
    return render(
        request,
        "portail/accueil.html",
        {
            "plan": plan,
            "axes": plan.AXES,
            "cta_url": _diagnostic_url(),
            "targets": [
                ("GE", plan.TARGETS_PCT["GE"], "des grands groupes utilisant l'IA"),
                ("PME_ETI", plan.TARGETS_PCT["PME_ETI"], "des PME et ETI utilisant l'IA"),
                ("TPE", plan.TARGETS_PCT["TPE"], "des TPE utilisant l'IA"),
            ],
        },
    )


def _static_page(template: str, title: str):
    @require_GET
    def view(request):
        return render(request, template, {"title": title})

    view.__name__ = template.rsplit("/", 1)[-1].removesuffix(".html")
    return view


accessibilite = _static_page("portail/accessibilite.html", "Accessibilité : non conforme")
plan_du_site = _static_page("portail/plan_du_site.html", "Plan du site")

# What a legal page shows for a field the operators have not filled in yet.
A_COMPLETER = (
    "À compléter par l'opérateur de la plateforme (administration, « Informations légales »)."
)


def _legal_page(template: str, title: str):
    @require_GET
    def view(request):
        from .models import InformationsLegales

        infos = InformationsLegales.courantes()
        champs = {
            field.name: getattr(infos, field.name).strip() or None
            for field in InformationsLegales._meta.get_fields()
            if field.name not in {"id", "modifie_le"}
        }
        return render(
            request, template, {"title": title, "legal": champs, "a_completer": A_COMPLETER}
        )

    view.__name__ = template.rsplit("/", 1)[-1].removesuffix(".html")
    return view


mentions_legales = _legal_page("portail/mentions_legales.html", "Mentions légales")
donnees_personnelles = _legal_page("portail/donnees_personnelles.html", "Données personnelles")

CONTACT_SENT = (
    "Votre message est enregistré : l'équipe de la plateforme le reçoit par e-mail et vous "
    "répond à l'adresse indiquée."
)


@require_http_methods(["GET", "POST"])
def contact(request):
    """The contact page: a form to the operators (stored, rate-limited, e-mailed by task)."""
    from .forms import ContactForm
    from .services import send_contact_message

    initial = {}
    if request.user.is_authenticated:
        initial = {"nom": request.user.get_full_name(), "email": request.user.email}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if is_robot(data):  # answered as accepted, nothing stored
            messages.success(request, CONTACT_SENT)
            return redirect("portail:contact")
        try:
            send_contact_message(
                data["nom"],
                data["email"],
                data["sujet"],
                data["message"],
                address_key(client_ip(request)),
                request.user,
            )
        except RateLimited as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, CONTACT_SENT)
            return redirect("portail:contact")
    return render(request, "portail/contact.html", {"title": "Contact", "form": form})


# What each axis offers; a service whose module is not built yet has no url name.
def _registration_summary() -> str:
    from osezia.entreprises.services import registration_summary

    return registration_summary()


AXIS_SERVICES = {
    "sensibiliser": [
        (
            "Les ambassadeurs IA",
            f"Un réseau de {plan.AMBASSADORS_TARGET} ambassadeurs "
            f"{codes.phrase('type_ambassadeur', 'qualificatif')}, "
            f"avec {codes.phrase('reseau', 'en_phrase')}.",
            "ambassadeurs:annuaire",
        ),
        (
            "Les rencontres d'affaires",
            "Chaque mois, partout en France, avec les CCI et Bpifrance, pour rapprocher entreprises et porteurs de solutions d'IA ; et chaque année l'AI Business Day.",
            "evenements:liste",
        ),
        (
            "La consultation citoyenne",
            "« Comment l'Intelligence Artificielle peut-elle améliorer la vie des Français en limitant les risques pour la société ? »",
            None,
        ),
    ],
    "former": [
        (
            "L'Académie de l'IA",
            f"Formations et tutoriels pour {codes.phrase('public', lower=True)} ; "
            f"{plan.PROFESSIONALS_TRAINED_LABEL} de professionnels formés d'ici {plan.TARGET_YEAR}.",
            "academie:accueil",
        ),
        (
            "Les familles de cas d'usage",
            f"Les {len(codes.FAMILLES)} grandes familles d'usages de l'IA en entreprise, pour s'y retrouver.",
            "referentiels:familles",
        ),
    ],
    "accompagner": [
        (
            "Inscrire mon entreprise",
            _registration_summary,  # true to the register connector's setting
            "entreprises:creer",
        ),
        (
            "Calculer la catégorie de taille",
            "TPE, PME, ETI ou grande entreprise selon le décret n° 2008-1354.",
            "entreprises:categorie_taille",
        ),
        (
            "Autodiagnostic IA",
            "Situez votre entreprise sur six dimensions et découvrez les cas d'usage de l'IA les plus utiles pour elle.",
            "diagnostics:demarrer",
        ),
        (
            "Catalogue de solutions",
            "Des solutions prêtes à déployer, classées par famille de cas d'usage et par secteur.",
            "catalogue:liste",
        ),
        (
            "Diagnostic Data IA",
            "Pour les PME et ETI : un expert fait l'inventaire, identifie les cas d'usage et les priorise ; l'État finance "
            f"{plan.DIAGNOSTIC_DATA_IA_STATE_SHARE_PCT} % du coût.",
            "expertise:accueil",
        ),
        (
            "Prêts garantis et programme d'accélération",
            "Des prêts garantis par l'État pour les projets structurants, et "
            f"{plan.ACCELERATION_PROGRAMME_MONTHS} mois d'accompagnement pour les projets au plus fort impact.",
            None,
        ),
    ],
}

AXIS_TITLES = {
    "sensibiliser": ("Axe 1 : sensibiliser pour favoriser l'adoption de l'IA", 0),
    "former": ("Axe 2 : former, via l'Académie de l'IA", 1),
    "accompagner": ("Axe 3 : accompagner les entreprises", 2),
}


@require_GET
def axe(request, code: str):
    from django.http import Http404
    from django.urls import NoReverseMatch, reverse

    if code not in AXIS_TITLES:
        raise Http404("Axe inconnu")
    title, index = AXIS_TITLES[code]
    services = []
    for titre, description, url_name in AXIS_SERVICES[code]:
        try:
            url = reverse(url_name) if url_name else None
        except NoReverseMatch:
            url = None
        if callable(description):
            description = description()
        services.append({"titre": titre, "description": description, "url": url})
    return render(
        request, "portail/axe.html", {"title": title, "axe": plan.AXES[index], "services": services}
    )


def _month_label(key: str) -> str:
    """« 2026-11 » (the counters' key, kept by the API) as the page says it: « novembre 2026 »
    (Django's French month names, never the process locale's)."""
    from datetime import date

    from django.utils.formats import date_format

    try:
        year, month = (int(part) for part in key.split("-"))
        return date_format(date(year, month, 1), "F Y")
    except ValueError:
        return key


@require_GET
def observatoire(request):
    from osezia.academie.format import PUBLICS
    from osezia.academie.services import counters
    from osezia.entreprises.services import count_by_size
    from osezia.evenements.services.journee import observatory_figures as meeting_figures
    from osezia.expertise.services import observatory_figures as expertise_figures
    from osezia.referentiels.models import Region

    trained = counters()
    regions = dict(Region.objects.values_list("code", "libelle"))
    return render(
        request,
        "portail/observatoire.html",
        {
            "title": "Observatoire",
            "plan": plan,
            "rows": count_by_size(),
            "expertise": expertise_figures(),
            "formes": trained,
            "formes_part": round(
                100 * trained["professionnels_formes"] / trained["objectif_2030"], 4
            ),
            "formes_publics": [
                (PUBLICS[p], n) for p, n in trained["par_public"].items() if p in PUBLICS
            ],
            "formes_regions": [
                (regions.get(code, "Non renseignée"), n)
                for code, n in trained["par_region"].items()
            ],
            "formes_mois": [
                (_month_label(m), n) for m, n in list(trained["par_mois"].items())[-12:]
            ],
            "rencontres": meeting_figures(),
            "suites_libelles": codes.labels("suite_rendez_vous"),
        },
    )


def _expertise_block(user, operator: bool) -> dict:
    """« Mon espace »'s Diagnostic Data IA block: one's files (as a company member or as the
    expert), and for operators those waiting for them."""
    from osezia.expertise import etats
    from osezia.expertise.models import Demande, Expert

    mine = Demande.objects.filter(entreprise__adhesions__utilisateur=user) | Demande.objects.filter(
        expert__utilisateur=user
    )
    return {
        "dossiers": list(
            mine.distinct().select_related("entreprise").order_by("-cree_le", "-pk")[:5]
        ),
        "expert": Expert.objects.filter(utilisateur=user).first(),
        "part_etat": plan.DIAGNOSTIC_DATA_IA_STATE_SHARE_PCT,
        "a_traiter": Demande.objects.filter(statut__in=(etats.DEMANDEE, etats.ELIGIBLE)).count()
        if operator
        else 0,
    }


@login_required
@require_GET
def espace(request):
    """« Mon espace »: the person's roles, companies, invitations and claims, with the ways
    into every module's own space (URL name `comptes:espace`, kept for its links)."""
    entreprises = visible_entreprises(request.user).select_related("naf", "departement")
    operator = is_operator(request.user)
    return render(
        request,
        "portail/espace.html",
        {
            "title": "Mon espace",
            "roles": sorted(request.user.attributions.all(), key=lambda a: a.role),
            "entreprises": entreprises[:20],
            "is_operator": operator,
            "invitations": list(invitations_for(request.user)[:20]),
            "demandes": list(comptes_services.claims_of(request.user)[:20]),
            "demandes_a_traiter": comptes_services.pending_claims().count() if operator else 0,
            "expertise": _expertise_block(request.user, operator),
        },
    )
