"""The business meetings' pages: public list and feed, event page, participants' directory,
registration, interests and requests, agenda (page, PDF, .ics, QR code), the organiser's
pages (scheduling with progress, meetings, grid, check-in) and feedback. Thin: the rules live
in `services`."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from osezia.referentiels import codes
from osezia.socle.pagination import out_of_range, paginate, query_without_page
from osezia.socle.pdf import pdf_response
from osezia.socle.ratelimit import RateLimited, consume_request
from osezia.socle.validation import report_on_form

from . import calendrier, permissions
from .forms import CodeForm, EvenementForm, FiltresForm, InscriptionForm, InteretForm, RetourForm
from .models import Evenement, Interet
from .services import evenements as ev_services
from .services import inscriptions, journee, planning

LIMITE_ECRITURES = 60  # writes per person and per hour on these pages


def _limiter(request, action: str) -> bool:
    try:
        consume_request(request, f"rencontres-{action}", LIMITE_ECRITURES, 3600)
    except RateLimited as exc:
        messages.error(request, str(exc))
        return False
    return True


def liste(request):
    form = FiltresForm(request.GET or None)
    region, mois = "", ""
    if form.is_bound and form.is_valid():
        region = form.cleaned_data["region"].code if form.cleaned_data["region"] else ""
        mois = form.cleaned_data["mois"]
    page = paginate(request, ev_services.evenements_publics(region, mois))
    return render(
        request,
        "evenements/liste.html",
        {
            "title": "Rencontres d'affaires et AI Business Day",
            "form": form,
            "page": page,
            "hors_limites": out_of_range(page, request.GET.get("page")),
            "query": query_without_page(request),
            "organisees": (
                Evenement.objects.filter(organisateur=request.user).order_by("-date")[:20]
                if request.user.is_authenticated
                else []
            ),
            "peut_organiser": ev_services.peut_organiser(request.user),
            "mes_inscriptions": (
                Evenement.objects.filter(inscriptions__utilisateur=request.user).order_by("-date")[
                    :20
                ]
                if request.user.is_authenticated
                else []
            ),
        },
    )


def flux_ics(request):
    evenements = ev_services.evenements_publics()[:200]
    reponse = HttpResponse(
        calendrier.evenements_ics(evenements, request.build_absolute_uri("/")),
        content_type="text/calendar; charset=utf-8",
    )
    reponse["Content-Disposition"] = 'inline; filename="rencontres-osez-ia.ics"'
    return reponse


def _evenement(pk: int) -> Evenement:
    return get_object_or_404(Evenement.objects.select_related("region"), pk=pk)


def detail(request, pk: int):
    evenement = _evenement(pk)
    inscription = permissions.inscription_de(request.user, evenement)
    return render(
        request,
        "evenements/detail.html",
        {
            "title": evenement.titre,
            "evenement": evenement,
            "inscription": inscription,
            "ouvertes": inscriptions.inscriptions_ouvertes(evenement),
            "gere": permissions.peut_gerer(request.user, evenement),
            "creneaux": evenement.creneaux.all(),
            "inscrits": evenement.inscriptions.count(),
        },
    )


def participants(request, pk: int):
    evenement = _evenement(pk)
    page = paginate(request, evenement.inscriptions.order_by("type_participant", "organisation"))
    return render(
        request,
        "evenements/participants.html",
        {
            "title": f"Participants — {evenement.titre}",
            "evenement": evenement,
            "page": page,
            "hors_limites": out_of_range(page, request.GET.get("page")),
            "familles": codes.labels("famille", short=True),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def creer(request):
    if not ev_services.peut_organiser(request.user):
        raise Http404
    form = EvenementForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _limiter(request, "creation"):
        d = form.cleaned_data
        try:
            evenement = ev_services.creer_evenement(
                request.user, ev_services.DonneesEvenement(**{k: d[k] for k in d})
            )
        except ValidationError as exc:
            report_on_form(form, exc)
        else:
            messages.success(request, "La rencontre est créée.")
            return redirect("evenements:organisation", pk=evenement.pk)
    return render(request, "evenements/creer.html", {"title": "Créer une rencontre", "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def inscrire(request, pk: int):
    evenement = _evenement(pk)
    if permissions.inscription_de(request.user, evenement):
        return redirect("evenements:interets", pk=pk)
    profils = inscriptions.preremplir(request.user)
    creneaux = list(evenement.creneaux.all())
    initial = {"disponibilites": [str(c.pk) for c in creneaux], "max_rdv": min(6, len(creneaux))}
    if profils:
        initial["familles"] = profils[0].familles
    form = InscriptionForm(
        request.POST or None, profils=profils, creneaux=creneaux, initial=initial
    )
    if request.method == "POST" and form.is_valid() and _limiter(request, "inscription"):
        d = form.cleaned_data
        choix = profils[int(d["profil"])]
        try:
            inscriptions.inscrire(
                request.user,
                evenement,
                choix,
                d["familles"],
                d["presentation"],
                [c for c in creneaux if str(c.pk) in d["disponibilites"]],
                d["max_rdv"],
            )
        except ValidationError as exc:
            report_on_form(form, exc)
        else:
            messages.success(request, "Vous êtes inscrit : marquez maintenant vos intérêts.")
            return redirect("evenements:interets", pk=pk)
    return render(
        request,
        "evenements/inscrire.html",
        {
            "title": f"S'inscrire — {evenement.titre}",
            "evenement": evenement,
            "form": form,
            "profils": profils,
            "ouvertes": inscriptions.inscriptions_ouvertes(evenement),
        },
    )


def _mon_inscription(request, pk: int):
    evenement = _evenement(pk)
    inscription = permissions.inscription_de(request.user, evenement)
    if inscription is None:
        raise Http404
    return evenement, inscription


@login_required
@require_http_methods(["GET", "POST"])
def interets(request, pk: int):
    evenement, moi = _mon_inscription(request, pk)
    if request.method == "POST" and _limiter(request, "interet"):
        if "repondre" in request.POST:
            demande = get_object_or_404(Interet, pk=request.POST.get("repondre"), vers=moi)
            try:
                inscriptions.repondre(demande, moi, request.POST.get("accepte") == "1")
                messages.success(request, "Votre réponse est enregistrée.")
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            form = InteretForm(request.POST)
            if form.is_valid():
                vers = get_object_or_404(evenement.inscriptions, pk=form.cleaned_data["vers"])
                try:
                    inscriptions.marquer_interet(
                        moi, vers, form.cleaned_data["niveau"], form.cleaned_data["message"]
                    )
                    messages.success(request, f"Intérêt enregistré pour {vers.organisation}.")
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
            else:
                messages.error(request, "Choix invalide.")
        return redirect(request.get_full_path())
    mes = {i.vers_id: i for i in moi.interets_emis.all()}
    autres = evenement.inscriptions.exclude(pk=moi.pk).order_by("type_participant", "organisation")
    page = paginate(request, autres)
    for autre in page:
        autre.mon_interet = mes.get(autre.pk)
    return render(
        request,
        "evenements/interets.html",
        {
            "title": f"Mes intérêts — {evenement.titre}",
            "evenement": evenement,
            "moi": moi,
            "page": page,
            "suggestions": inscriptions.suggestions(moi, 5),
            "demandes": moi.interets_recus.filter(
                reponse=Interet.Reponse.EN_ATTENTE
            ).select_related("de"),
            "niveaux": codes.choices("interet_rencontre"),
            "familles": codes.labels("famille", short=True),
            "hors_limites": out_of_range(page, request.GET.get("page")),
        },
    )


def _agenda_contexte(request, evenement, moi):
    rdvs = list(planning.agenda(moi))
    for rdv in rdvs:
        rdv.autre_partie = rdv.autre(moi)
        rdv.lieu = calendrier.lieu_du_rdv(evenement, rdv.table)
    lien_qr = request.build_absolute_uri(
        reverse("evenements:emargement", args=[evenement.pk]) + f"?code={moi.code_emargement}"
    )
    return {
        "title": f"Mon agenda — {evenement.titre}",
        "evenement": evenement,
        "moi": moi,
        "rendez_vous": rdvs,
        "publie": bool(evenement.agenda_publie_le),
        "qr_svg": _qr_svg(lien_qr),
        "passe": evenement.date <= timezone.localdate(),
    }


def _qr_svg(texte: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(texte, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    flux = io.BytesIO()
    image.save(flux)
    return flux.getvalue().decode("utf-8").split("?>", 1)[-1]


@login_required
def agenda(request, pk: int):
    evenement, moi = _mon_inscription(request, pk)
    return render(request, "evenements/agenda.html", _agenda_contexte(request, evenement, moi))


@login_required
def agenda_pdf(request, pk: int):
    evenement, moi = _mon_inscription(request, pk)
    contexte = _agenda_contexte(request, evenement, moi)
    derniere = max((r.modifie_le for r in contexte["rendez_vous"]), default=evenement.cree_le)
    return pdf_response(
        request,
        "evenements/agenda_pdf.html",
        contexte,
        key=f"agenda:{moi.pk}:{derniere.isoformat()}",
        filename=f"agenda-rencontre-{evenement.pk}.pdf",
    )


@login_required
def agenda_ics(request, pk: int):
    evenement, moi = _mon_inscription(request, pk)
    reponse = HttpResponse(
        calendrier.agenda_ics(moi, planning.agenda(moi)),
        content_type="text/calendar; charset=utf-8",
    )
    reponse["Content-Disposition"] = f'attachment; filename="agenda-rencontre-{evenement.pk}.ics"'
    return reponse


@login_required
@require_http_methods(["GET", "POST"])
def retour(request, pk: int, rdv: int):
    evenement, moi = _mon_inscription(request, pk)
    rendez_vous = permissions.rendez_vous_de(moi, rdv)
    form = RetourForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _limiter(request, "retour"):
        d = form.cleaned_data
        try:
            journee.donner_retour(rendez_vous, moi, d["note"], d["suite"], d["commentaire"])
        except ValidationError as exc:
            report_on_form(form, exc)
        else:
            messages.success(request, "Merci pour votre retour.")
            return redirect("evenements:agenda", pk=pk)
    return render(
        request,
        "evenements/retour.html",
        {
            "title": "Votre retour sur un rendez-vous",
            "evenement": evenement,
            "rdv": rendez_vous,
            "autre": rendez_vous.autre(moi),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation(request, pk: int):
    evenement = permissions.evenement_gere(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "planifier":
                planning.lancer(evenement, request.user)
                messages.success(request, "La planification est lancée.")
            elif action == "publier":
                planning.publier(evenement)
                messages.success(
                    request, "Les agendas sont publiés ; les participants sont prévenus."
                )
            elif action in ("verrouiller", "deverrouiller", "annuler"):
                rdv = get_object_or_404(evenement.rendez_vous, pk=request.POST.get("rdv"))
                if action == "annuler":
                    planning.annuler(rdv)
                else:
                    planning.verrouiller(rdv, action == "verrouiller")
                messages.success(request, "Rendez-vous mis à jour.")
            elif action == "cloturer":
                n = journee.cloturer(evenement)
                messages.success(
                    request, f"Journée clôturée : {n} rendez-vous non tenu{'s' if n > 1 else ''}."
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("evenements:organisation", pk=pk)
    run = evenement.planifications.first()
    rdvs = evenement.rendez_vous.select_related("a", "b", "creneau").order_by(
        "creneau__numero", "table"
    )
    page = paginate(request, rdvs)
    presents = evenement.inscriptions.filter(present_le__isnull=False).count()
    return render(
        request,
        "evenements/organisation.html",
        {
            "title": f"Organisation — {evenement.titre}",
            "evenement": evenement,
            "run": run,
            "en_cours": run is not None and run.statut in ("en_attente", "en_cours"),
            "graphe": inscriptions.chiffres_graphe(evenement),
            "page": page,
            "hors_limites": out_of_range(page, request.GET.get("page")),
            "presents": presents,
            "code_form": CodeForm(),
            "retours": evenement.rendez_vous.aggregate(
                n=Count("retours"),
                suites=Count("retours", filter=~Q(retours__suite="aucune_suite")),
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def emargement(request, pk: int):
    evenement = permissions.evenement_gere(request.user, pk)
    form = CodeForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            inscription = journee.emarger(evenement, form.cleaned_data["code"])
        except ValidationError as exc:
            report_on_form(form, exc)
        else:
            messages.success(request, f"{inscription.organisation} est enregistré comme présent.")
            return redirect("evenements:emargement", pk=pk)
    return render(
        request,
        "evenements/emargement.html",
        {
            "title": f"Émargement — {evenement.titre}",
            "evenement": evenement,
            "form": form,
            "presents": evenement.inscriptions.filter(present_le__isnull=False).order_by(
                "-present_le"
            )[:20],
            "total": evenement.inscriptions.count(),
        },
    )


@login_required
def grille(request, pk: int):
    evenement = permissions.evenement_gere(request.user, pk)
    creneaux = list(evenement.creneaux.all())
    occupees = {
        (r.creneau_id, r.table): r
        for r in evenement.rendez_vous.filter(annule=False).select_related("a", "b")
    }
    tables = sorted({t for (_c, t) in occupees}) or []
    lignes = [(c, [occupees.get((c.pk, t)) for t in tables]) for c in creneaux]
    return render(
        request,
        "evenements/grille.html",
        {
            "title": f"Grille — {evenement.titre}",
            "evenement": evenement,
            "tables": tables,
            "lignes": lignes,
        },
    )
