from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osezia.comptes.forms import DemandeRattachementForm
from osezia.comptes.models import Role, TypeOrganisation
from osezia.comptes.services import claim_notice, claims_of, request_membership
from osezia.recherche import services as recherche
from osezia.recherche.http import degraded
from osezia.recherche.http import read as read_search
from osezia.recherche.services import search_page_or_unavailable
from osezia.referentiels import codes
from osezia.referentiels.models import FamilleCasUsage
from osezia.socle import plan
from osezia.socle.pagination import paginate, query_without_page
from osezia.socle.pdf import pdf_response
from osezia.socle.ratelimit import RateLimited
from osezia.socle.validation import report_on_form

from . import balisage, permissions, search
from . import format as fmt
from .forms import ProfilForm, QuizForm
from .models import Formation, Inscription, Session, Tutoriel
from .services import certificates, completions, enrolments, paths, profiles, trainings, tutorials
from .services.counters import counters as trained_counters

PAGE_SIZE = 20
# The landing page's entry per audience, in the list's order: (code, title, text), declared with
# the audiences in referentiels.json.
ENTREES = [
    (code, titre, codes.field("public", "entree_texte")[code])
    for code, titre in codes.field("public", "entree").items()
]
FACET_TITLES = {
    "public": "Public",
    "niveau": "Niveau d'entrée",
    "modalite": "Modalité",
    "region": "Région",
    "financement": "Financement",
    "duree": "Durée",
    "famille": "Famille de cas d'usage",
}


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return default
    return target


@require_GET
def accueil(request):
    counters = trained_counters()
    done = counters["professionnels_formes"]
    return render(
        request,
        "academie/accueil.html",
        {
            "title": "Académie de l'IA",
            "entrees": ENTREES,
            "publics_phrase": codes.phrase("public", lower=True),
            "compteurs": counters,
            "formes_publics": [
                (label, counters["par_public"].get(code, 0))
                for code, label in codes.PUBLICS.items()
            ],
            "annee_cible": plan.TARGET_YEAR,
            "part": round(100 * done / counters["objectif_2030"], 4),
            "parcours": paths.published_paths()[:4],
            "tutoriels": Tutoriel.objects.filter(publie=True, niveau="debutant")[:3],
            **_published_counts(),
        },
    )


def _published_counts() -> dict:
    """The home page's counts, from the index; without them when the index cannot be read
    (the rest of the home page does not need it)."""
    try:
        return {
            "nb_formations": search.published_count("formation"),
            "nb_tutoriels": search.published_count("tutoriel"),
        }
    except recherche.SearchUnavailable:
        return {"recherche_indisponible": True}


@require_GET
def formations(request):
    query, error = read_search(request.GET, search.SPEC)
    page = search_page_or_unavailable(query, search.SPEC, facets=True)
    families = dict(FamilleCasUsage.objects.values_list("code", "libelle_court"))
    items = []
    for formation in search.formations_for(page):
        data = search.item(formation, query)
        data["familles_libelles"] = [families.get(f, f) for f in data["familles"]]
        data["publics_libelles"] = [fmt.PUBLICS[p] for p in data["publics"]]
        data["financements_libelles"] = [fmt.FINANCEMENTS[f] for f in data["financements"]]
        data["modalite_libelle"] = fmt.MODALITES.get(data["modalite"], "")
        items.append(data)
    facets = []
    for facet in search.SPEC.facets:
        name, counts, chosen = (
            facet.name,
            page.facets.get(facet.name, {}),
            query.selected(facet.name),
        )
        options = [
            {"code": code, "libelle": label, "n": counts.get(code, 0), "coche": code in chosen}
            for code, label in facet.allowed().items()
            if counts.get(code) or code in chosen or name != "famille"
        ]
        facets.append({"nom": name, "titre": FACET_TITLES[name], "options": options})
    title = "Formations à l'IA"
    publics = query.selected("public")
    if len(publics) == 1:
        title = f"Formations à l'IA — {fmt.PUBLICS[publics[0]]}"
    certifiante = query.options.get("certifiante")
    response = render(
        request,
        "academie/formations.html",
        {
            "title": title,
            "breadcrumb": [("Académie de l'IA", reverse("academie:accueil"))],
            "items": items,
            "count": page.count,
            "page_obj": page.page_obj,
            "query": query_without_page(request),
            "q": query.q,
            "tri": query.sort,
            "tris": list(search.SPEC.sorts.items()),
            "facets": facets,
            "certifiante": {True: "oui", False: "non"}.get(certifiante, ""),
            "gratuit": query.options.get("gratuit"),
            "erreur": error,
            "recherche_indisponible": page.unavailable,
        },
    )
    return degraded(response, page.unavailable, refused=bool(error))


def _formation(reference: str) -> Formation:
    formation = trainings.published_formation(reference)
    if formation is None:
        raise Http404("Formation introuvable")
    return formation


@require_GET
def formation(request, reference: str):
    formation = _formation(reference)
    families = FamilleCasUsage.objects.filter(code__in=formation.familles)
    mine = enrolments.live_by_session(request.user, formation)
    actions = []
    for action in formation.actions.all():
        sessions = [
            {"session": s, "inscription": mine.get(s.pk), "commencee": enrolments.has_begun(s)}
            for s in action.sessions.all()
        ]
        actions.append(
            {
                "action": action,
                "sessions": sessions,
                "publics": [fmt.PUBLICS[p] for p in action.publics],
                "financements": [fmt.FINANCEMENTS[f] for f in action.financements],
                "prix_eur": search.euros(action.prix_ttc_centimes),
            }
        )
    return render(
        request,
        "academie/formation.html",
        {
            "title": formation.intitule,
            "breadcrumb": [
                ("Académie de l'IA", reverse("academie:accueil")),
                ("Formations", reverse("academie:formations")),
            ],
            "formation": formation,
            "familles": families,
            "actions": actions,
            "publics": fmt.PUBLICS,
            "financements": fmt.FINANCEMENTS,
            "niveau": fmt.NIVEAUX[fmt.NIVEAU_LHEO.get(formation.niveau_entree, "aucun")],
            "profil": profiles.learner_profile(request.user),
            "autre_session": any(i.statut in enrolments.CANCELLABLE for i in mine.values()),
        },
    )


def _ask_profile(request, back: str, refused: profiles.ProfileRequired):
    """A learner profile is needed first (`profiles.require_profile`): the profile page,
    then back here."""
    messages.info(request, refused.messages[0].capitalize() + ".")
    return redirect(f"{reverse('academie:profil')}?{urlencode({'next': back})}")


def _session_or_404(session_id: int) -> Session:
    session = (
        Session.objects.select_related("action__formation__organisme", "action__departement")
        .filter(pk=session_id, action__formation__publiee=True)
        .first()
    )
    if session is None:
        raise Http404("Session introuvable")
    return session


@login_required
@require_http_methods(["GET", "POST"])
def inscrire(request, session_id: int):
    """The confirmation step of an enrolment (GET: price, funding, the audience warning, the
    button), then the enrolment itself (POST). A login's `next` comes back here."""
    session = _session_or_404(session_id)
    back = reverse("academie:formation", args=[session.action.formation.reference])
    here = reverse("academie:inscrire", args=[session.pk])
    try:
        apercu = enrolments.preview(request.user, session)
    except profiles.ProfileRequired as refused:
        return _ask_profile(request, here, refused)
    erreur, status = "", 200
    if request.method == "POST":
        try:
            inscription = enrolments.enrol(
                request.user,
                session.pk,
                outside_audience_confirmed=request.POST.get("hors_public") == "1",
            )
        except profiles.ProfileRequired as refused:
            return _ask_profile(request, here, refused)
        except Session.DoesNotExist as error:
            raise Http404 from error
        except ValidationError as error:
            if getattr(error, "code", None) != enrolments.OUTSIDE_AUDIENCE:
                messages.error(request, " ".join(error.messages).capitalize() + ".")
                return redirect(back)
            erreur, status = "Cochez la case pour confirmer votre inscription.", 422
        else:
            if inscription.statut == Inscription.Statut.INSCRIT:
                messages.success(
                    request,
                    "Vous êtes inscrit·e : votre place est réservée. Un courriel de confirmation "
                    "vous est envoyé, avec la session à ajouter à votre agenda.",
                )
            else:
                messages.warning(
                    request,
                    "La session est complète : vous êtes sur la liste d'attente. Si une place se "
                    "libère, elle vous sera attribuée dans l'ordre d'inscription.",
                )
            return redirect("academie:mon_espace")
    action = session.action
    return render(
        request,
        "academie/inscription.html",
        {
            "title": "Confirmer mon inscription",
            "breadcrumb": [
                ("Académie de l'IA", reverse("academie:accueil")),
                ("Formations", reverse("academie:formations")),
                (action.formation.intitule, back),
            ],
            "session": session,
            "action": action,
            "formation": action.formation,
            "apercu": apercu,
            "dates": enrolments.session_dates(session),
            "modalite": fmt.MODALITES.get(action.modalite, ""),
            "prix_eur": search.euros(action.prix_ttc_centimes),
            "retour": back,
            "erreur": erreur,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def annuler(request, pk: int):
    """The confirmation step of a cancellation (GET), then the cancellation (POST)."""
    inscription = get_object_or_404(
        Inscription.objects.select_related("session__action__formation__organisme"), pk=pk
    )
    if not permissions.can_see_inscription(request.user, inscription):
        raise Http404
    back = _next_url(request, reverse("academie:mon_espace"))
    if request.method == "GET":
        if not enrolments.cancellable(inscription):
            messages.info(request, "Cette inscription ne peut plus être annulée.")
            return redirect(back)
        return render(
            request,
            "academie/annulation.html",
            {
                "title": "Annuler mon inscription",
                "breadcrumb": [
                    ("Académie de l'IA", reverse("academie:accueil")),
                    ("Mon espace apprenant", reverse("academie:mon_espace")),
                ],
                "inscription": inscription,
                "dates": enrolments.session_dates(inscription.session),
                "retour": back,
            },
        )
    try:
        enrolments.cancel(request.user, inscription)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages).capitalize() + ".")
    else:
        messages.success(request, "L'inscription est annulée.")
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def profil(request):
    current = profiles.learner_profile(request.user)
    initial = {"prenom": request.user.first_name, "nom": request.user.last_name}
    if current:
        initial.update(public=current.public, departement=current.departement_id)
    form = ProfilForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        profiles.set_profile(
            request.user, data["public"], data["departement"], data["prenom"], data["nom"]
        )
        messages.success(request, "Votre profil d'apprenant est enregistré.")
        return redirect(_next_url(request, reverse("academie:mon_espace")))
    return render(
        request,
        "academie/profil.html",
        {
            "title": "Mon profil d'apprenant",
            "breadcrumb": [("Académie de l'IA", reverse("academie:accueil"))],
            "form": form,
            "next": _next_url(request, ""),
        },
    )


@login_required
@require_GET
def mon_espace(request):
    inscriptions = list(enrolments.enrolments_of(request.user))
    for inscription in inscriptions:
        inscription.annulable = enrolments.cancellable(inscription)
    profil = profiles.learner_profile(request.user)
    formations = [i for i in inscriptions if i.session_id]
    tutoriels = [i for i in inscriptions if i.tutoriel_id]
    suivis = paths.followed_paths(request.user)
    # Only the blocks the person uses: a learner (profile or role) sees the three; anyone else
    # sees the ones holding something, and how to start.
    learner = profil is not None or Role.APPRENANT in request.user.roles
    return render(
        request,
        "academie/mon_espace.html",
        {
            "title": "Mon espace apprenant",
            "breadcrumb": [("Académie de l'IA", reverse("academie:accueil"))],
            "formations": formations,
            "tutoriels": tutoriels,
            "suivis": suivis,
            "blocs": {
                "formations": learner or bool(formations),
                "parcours": learner or bool(suivis),
                "tutoriels": learner or bool(tutoriels),
            },
            "apprenant": learner,
            "organisme": permissions.can_use_organisation_space(request.user)
            and request.user.organismes_formation.exists(),
            "profil": profil,
            "publics": fmt.PUBLICS,
        },
    )


@require_GET
def tutoriels(request):
    query, error = read_search(request.GET, search.TUTORIAL_SPEC)
    page = search_page_or_unavailable(query, search.TUTORIAL_SPEC)
    response = render(
        request,
        "academie/tutoriels.html",
        {
            "title": "Tutoriels",
            "breadcrumb": [("Académie de l'IA", reverse("academie:accueil"))],
            "items": search.tutorials_for(page),
            "count": page.count,
            "page_obj": page.page_obj,
            "query": query_without_page(request),
            "q": query.q,
            "publics": fmt.PUBLICS,
            "public": (query.selected("public") or [""])[0],
            "niveaux": fmt.NIVEAUX_TUTORIEL,
            "erreur": error,
            "recherche_indisponible": page.unavailable,
        },
    )
    return degraded(response, page.unavailable, refused=bool(error))


_QUIZ_KEY = "academie:quiz:"


@require_http_methods(["GET", "POST"])
def tutoriel(request, slug: str):
    tutoriel = tutorials.published_tutorial(slug)
    if tutoriel is None:
        raise Http404("Tutoriel introuvable")
    form = QuizForm(tutoriel.quiz, request.POST or None)
    result = None
    inscription = tutorials.tutorial_enrolment(request.user, tutoriel)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        if form.is_valid():
            try:
                result = tutorials.submit_quiz(request.user, tutoriel, form.answers())
            except tutorials.QuizAttemptRefused as refused:
                form.add_error(None, refused.messages[0].capitalize() + ".")
                status, retry_after = 429, refused.retry_after
            else:
                inscription = result.inscription
                if result.passed:
                    messages.success(
                        request,
                        f"Bravo : {fmt.accord(result.correct, 'bonne réponse', 'bonnes réponses')}"
                        f" sur {result.total}. Le tutoriel est terminé.",
                    )
                    # The next page shows this attempt's correction (answers given, right ones).
                    request.session[_QUIZ_KEY + slug] = form.answers()
                    return redirect("academie:tutoriel", slug=slug)
    revue = []
    if inscription is not None and inscription.est_terminee:
        given = request.session.pop(_QUIZ_KEY + slug, None)
        if not isinstance(given, list):
            given = [None] * len(tutoriel.quiz)
        revue = tutorials.corrections(tutoriel, given, reveal=True)
    attente = ""
    if request.user.is_authenticated and status == 200:
        attente = tutorials.quiz_wait(request.user, tutoriel)[1]
    response = render(
        request,
        "academie/tutoriel.html",
        {
            "title": tutoriel.titre,
            "breadcrumb": [
                ("Académie de l'IA", reverse("academie:accueil")),
                ("Tutoriels", reverse("academie:tutoriels")),
            ],
            "tutoriel": tutoriel,
            "blocs": balisage.blocks(tutoriel.contenu),
            "form": form,
            "resultat": result,
            "corrections": {c.numero: c for c in result.corrections} if result else {},
            "revue": revue,
            "attente": attente,
            "inscription": inscription,
            "publics": [fmt.PUBLICS[p] for p in tutoriel.publics],
        },
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(retry_after)
    return response


@require_GET
def parcours_liste(request):
    public = request.GET.get("public", "")
    try:
        found = paths.published_paths(public)
    except ValidationError:
        public, found = "", paths.published_paths()
    page_obj = paginate(request, found, PAGE_SIZE)
    return render(
        request,
        "academie/parcours_liste.html",
        {
            "title": "Parcours d'apprentissage",
            "breadcrumb": [("Académie de l'IA", reverse("academie:accueil"))],
            "page_obj": page_obj,
            "query": query_without_page(request),
            "publics": fmt.PUBLICS,
            "public": public,
        },
    )


@require_http_methods(["GET", "POST"])
def parcours(request, slug: str):
    path = get_object_or_404(paths.published_paths(), slug=slug)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        try:
            paths.start_path(request.user, path)
        except profiles.ProfileRequired as refused:
            return _ask_profile(request, request.path, refused)
        messages.success(request, "Le parcours est ajouté à votre espace.")
        return redirect("academie:parcours", slug=slug)
    suivi = paths.follow_of(request.user, path)
    state = paths.path_progress(request.user, path, suivi=suivi)
    return render(
        request,
        "academie/parcours.html",
        {
            "title": path.titre,
            "breadcrumb": [
                ("Académie de l'IA", reverse("academie:accueil")),
                ("Parcours", reverse("academie:parcours_liste")),
            ],
            "parcours": path,
            "etapes": state.steps,
            "faites": state.done,
            "pourcentage": state.percent,
            "suivi": suivi,
            "public": fmt.PUBLICS[path.public],
        },
    )


def _claim_page(request):
    """An account with no training organisation asks to be attached to one, by its SIRET;
    operators check and decide (nobody joins an organisation by typing its number)."""
    form = DemandeRattachementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            demande = request_membership(
                request.user,
                TypeOrganisation.ORGANISME_FORMATION,
                form.cleaned_data["identifiant"],
                form.cleaned_data["message"],
            )
        except ValidationError as exc:
            report_on_form(form, exc)
        except RateLimited as exc:
            form.add_error(None, str(exc))
        else:
            messages.info(request, claim_notice(demande.type_organisation))
            return redirect("academie:organisme")
    return render(
        request,
        "academie/organisme_rattachement.html",
        {
            "title": "Espace organisme de formation",
            "breadcrumb": [("Académie de l'IA", reverse("academie:accueil"))],
            "form": form,
            "demandes": claims_of(request.user).filter(
                type_organisation=TypeOrganisation.ORGANISME_FORMATION
            )[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisme(request):
    if not permissions.can_use_organisation_space(request.user):
        return _claim_page(request)
    if request.method == "POST":
        raise PermissionDenied
    sessions = enrolments.managed_sessions(request.user).order_by("debut", "id")
    return render(
        request,
        "academie/organisme.html",
        {
            "title": "Espace organisme de formation",
            "breadcrumb": [("Académie de l'IA", reverse("academie:accueil"))],
            "page_obj": paginate(request, sessions, PAGE_SIZE),
            "query": query_without_page(request),
            "organismes": request.user.organismes_formation.all(),
        },
    )


@login_required
@require_GET
def session_gestion(request, pk: int):
    session = get_object_or_404(
        Session.objects.select_related("action__formation__organisme"), pk=pk
    )
    if not permissions.can_manage_session(request.user, session):
        raise Http404
    return render(
        request,
        "academie/session.html",
        {
            "title": f"Session du {session.debut:%d/%m/%Y}" if session.debut else "Session",
            "breadcrumb": [
                ("Académie de l'IA", reverse("academie:accueil")),
                ("Espace organisme", reverse("academie:organisme")),
            ],
            "session": session,
            "page_obj": paginate(request, enrolments.session_participants(session), 50),
            "query": query_without_page(request),
            "validation_ouverte": completions.completion_open(session),
        },
    )


@login_required
@require_POST
def declarer(request, pk: int):
    session = get_object_or_404(
        Session.objects.select_related("action__formation__organisme"), pk=pk
    )
    if not permissions.can_manage_session(request.user, session):
        raise Http404
    try:
        completions.record_attendance(
            request.user, session, request.POST.get("email", ""), request.POST.get("code", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages).capitalize() + ".")
    else:
        messages.success(request, "Achèvement enregistré : l'attestation est disponible.")
    return redirect("academie:session_gestion", pk=session.pk)


@login_required
@require_POST
def valider(request, pk: int):
    inscription = get_object_or_404(
        Inscription.objects.select_related("session__action__formation"), pk=pk
    )
    if not permissions.can_manage_session(request.user, inscription.session):
        raise Http404
    try:
        completions.complete_session(request.user, inscription)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages).capitalize() + ".")
    else:
        messages.success(request, "Formation validée : l'attestation est disponible.")
    return redirect("academie:session_gestion", pk=inscription.session_id)


@login_required
@require_GET
def attestation_pdf(request, code: str):
    attestation = certificates.find_attestation(code)
    if attestation is None or not permissions.can_download_attestation(request.user, attestation):
        raise Http404
    verification = request.build_absolute_uri(
        reverse("academie:verifier") + "?" + urlencode({"code": attestation.code})
    )
    return pdf_response(
        request,
        "academie/attestation_pdf.html",
        {"a": attestation, "verification": verification},
        key=f"attestation:{attestation.code}",
        filename=f"attestation-{attestation.code}.pdf",
    )


@require_GET
def verifier(request):
    code = (request.GET.get("code") or "").strip()[:40]
    attestation = certificates.find_attestation(code) if code else None
    return render(
        request,
        "academie/verifier.html",
        {
            "title": "Vérifier une attestation",
            "breadcrumb": [("Académie de l'IA", reverse("academie:accueil"))],
            "code": code,
            "attestation": attestation,
        },
    )
