"""The consultation's pages: home, taking part, voting card by card, proposing with live
suggestions, results, moderation. Thin: the rules live in `services.participation`.

An anonymous participant is remembered by a cookie holding its secret token (HttpOnly,
SameSite=Lax, Secure in production); a logged-in account takes part as itself."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osezia.referentiels import codes
from osezia.socle.client import client_ip
from osezia.socle.pagination import paginate, query_without_page
from osezia.socle.ratelimit import RateLimited

from . import permissions, scores
from .forms import ParticipantForm, PropositionForm
from .models import Consultation, Etat, Proposition
from .services import participation, resultats
from .services.participation import ConsultationError

COOKIE_AGE = 180 * 24 * 3600
PAGE_SIZE = 12


def _cookie(consultation: Consultation) -> str:
    return f"osezia_participant_{consultation.pk}"


def _consultation(slug: str) -> Consultation:
    return get_object_or_404(Consultation, slug=slug)


def _participant(request, consultation: Consultation):
    if request.user.is_authenticated:
        return participation.participant_for_account(
            consultation, request.user, client_ip(request), create=False
        )
    return participation.participant_for_token(
        consultation, request.COOKIES.get(_cookie(consultation))
    )


def _remember(response, consultation: Consultation, token: str):
    response.set_cookie(
        _cookie(consultation),
        token,
        max_age=COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG and settings.SESSION_COOKIE_SECURE,
        path=reverse("consultation:accueil", args=[consultation.slug]),
    )
    return response


def _crumbs(consultation: Consultation, here: bool = False) -> list[tuple[str, str]]:
    """The breadcrumb's links above the current page (whose title closes it)."""
    links = [("Consultations", reverse("consultation:liste"))]
    if here:
        links.append(
            (
                _short(consultation.question),
                reverse("consultation:accueil", args=[consultation.slug]),
            )
        )
    return links


def _short(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


@require_GET
def liste(request):
    page = paginate(request, Consultation.objects.order_by("-ouverture", "pk"), PAGE_SIZE)
    return render(
        request,
        "consultation/liste.html",
        {"page": page, "title": "Consultations citoyennes", "nav_current": "consultation"},
    )


@require_GET
def accueil(request, slug: str):
    consultation = _consultation(slug)
    participant = _participant(request, consultation)
    return render(
        request,
        "consultation/accueil.html",
        {
            "consultation": consultation,
            "resume": participation.summary(consultation),
            "participant": participant,
            "perms_moderation": permissions.may_moderate(request.user),
            "title": _short(consultation.question),
            "breadcrumb": _crumbs(consultation),
        },
    )


@require_http_methods(["GET", "POST"])
def participer(request, slug: str):
    consultation = _consultation(slug)
    if consultation.etat() != Etat.OUVERTE:
        messages.info(request, "Cette consultation n'est pas ouverte à la participation.")
        return redirect("consultation:accueil", slug)
    participant = _participant(request, consultation)
    form = ParticipantForm(
        request.POST if request.method == "POST" else None, initial=_profile_of(participant)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = None
        try:
            if participant is None and request.user.is_authenticated:
                participant = participation.participant_for_account(
                    consultation, request.user, client_ip(request)
                )
            if participant is None:
                participant, token = participation.create_participant(
                    consultation, client_ip(request), **data
                )
            else:
                participation.update_profile(participant, **data)
        except ConsultationError as exc:
            form.add_error(None, exc.message)
        except RateLimited as exc:
            form.add_error(None, str(exc))
        else:
            response = redirect("consultation:voter", slug)
            return _remember(response, consultation, token) if token else response
    return render(
        request,
        "consultation/participer.html",
        {
            "consultation": consultation,
            "form": form,
            "participant": participant,
            "title": "Participer",
            "breadcrumb": _crumbs(consultation, here=True),
        },
    )


def _profile_of(participant) -> dict:
    if participant is None:
        return {}
    return {
        "tranche_age": participant.tranche_age,
        "departement": participant.departement,
        "profil": participant.profil,
    }


# Voting card by card --------------------------------------------------------------------------


def _ids(value: str) -> list[int]:
    """The rest of the sequence as the card's form carries it (« 12,15,18 »)."""
    ids = []
    for part in (value or "").split(",")[: participation.SEQUENCE_SIZE]:
        if part.isdigit() and len(part) < 19:
            ids.append(int(part))
    return ids


def _card_context(consultation, remaining: list[int], total: int, extra: dict | None = None):
    shown = {
        p.pk: p
        for p in participation.accepted(consultation).filter(pk__in=remaining).only("id", "texte")
    }
    remaining = [pk for pk in remaining if pk in shown]
    context = {
        "consultation": consultation,
        "proposition": shown[remaining[0]] if remaining else None,
        "restants": ",".join(str(pk) for pk in remaining[1:]),
        "total": total,
        "rang": total - len(remaining) + 1,
        "votes": codes.entries("vote_consultation"),
        "title": "Voter",
        "breadcrumb": _crumbs(consultation, here=True),
    }
    context.update(extra or {})
    return context


def _render_card(request, context):
    template = "consultation/_carte.html" if request.htmx else "consultation/voter.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def voter(request, slug: str):
    consultation = _consultation(slug)
    participant = _participant(request, consultation)
    if consultation.etat() != Etat.OUVERTE:
        messages.info(request, "Cette consultation n'accepte pas de vote en ce moment.")
        return redirect("consultation:accueil", slug)
    if participant is None:
        return redirect("consultation:participer", slug)
    if request.method == "GET":
        try:
            sequence = participation.next_sequence(consultation, participant)
        except RateLimited as exc:
            messages.error(request, str(exc))
            return redirect("consultation:accueil", slug)
        ids = [p.pk for p in sequence]
        return _render_card(request, _card_context(consultation, ids, len(ids)))
    return _answer_card(request, consultation, participant)


def _answer_card(request, consultation, participant):
    post = request.POST
    remaining = _ids(post.get("restants", ""))
    total = _bounded(post.get("total"), len(remaining) + 1)
    current = _ids(post.get("proposition", ""))
    action = post.get("action", "")
    error = info = None
    try:
        if not current:
            raise ConsultationError("Proposition inconnue dans cette consultation.")
        if action == "vote":
            result = participation.cast_vote(
                consultation,
                participant,
                current[0],
                post.get("vote", ""),
                address=client_ip(request),
            )
            # Second step, optional: qualify the vote just cast (same card).
            return _render_card(
                request,
                _card_context(
                    consultation,
                    current + remaining,
                    total,
                    {
                        "vote_fait": result.vote,
                        "vote_libelle": codes.label("vote_consultation", result.vote),
                        "qualifications": [
                            (code, codes.label("qualification", code))
                            for code in codes.qualifications_for(result.vote)
                        ],
                    },
                ),
            )
        if action == "qualifier":
            participation.qualify(consultation, participant, current[0], post.get("qualification"))
        elif action == "signaler":
            participation.report(consultation, participant, current[0])
            info = "Merci : la proposition a été signalée aux modérateurs."
        elif action != "passer":
            raise ConsultationError("Action inconnue.")
    except ConsultationError as exc:
        error = exc.message
    except RateLimited as exc:
        error = str(exc)
    if error:
        return _render_card(
            request, _card_context(consultation, current + remaining, total, {"erreur": error})
        )
    return _render_card(request, _card_context(consultation, remaining, total, {"info": info}))


def _bounded(value, default: int) -> int:
    if isinstance(value, str) and value.isdigit():
        return max(1, min(int(value), participation.SEQUENCE_SIZE))
    return default


# Proposing ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def proposer(request, slug: str):
    consultation = _consultation(slug)
    if consultation.etat() != Etat.OUVERTE:
        messages.info(request, "Cette consultation n'accepte pas de proposition en ce moment.")
        return redirect("consultation:accueil", slug)
    participant = _participant(request, consultation)
    if participant is None:
        messages.info(request, "Pour proposer, commencez par participer (sans compte).")
        return redirect("consultation:participer", slug)
    form = PropositionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            participation.propose(consultation, participant, form.cleaned_data["texte"])
        except ConsultationError as exc:
            form.add_error("texte", exc.message)
        except RateLimited as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Merci ! Votre proposition sera publiée dès qu'un modérateur l'aura relue.",
            )
            return redirect("consultation:accueil", slug)
    return render(
        request,
        "consultation/proposer.html",
        {
            "consultation": consultation,
            "form": form,
            "title": "Proposer",
            "breadcrumb": _crumbs(consultation, here=True),
            "max_length": participation.MAX_LENGTH,
        },
    )


@require_GET
def similaires(request, slug: str):
    consultation = _consultation(slug)
    try:
        items = participation.similar(
            consultation, request.GET.get("texte", "")[:400], client_ip(request)
        )
    except (ConsultationError, RateLimited):
        items = []
    return render(request, "consultation/_similaires.html", {"items": items})


# Results --------------------------------------------------------------------------------------


MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 400, 300, 12
# One marker shape per group (not only a colour): circle, square, triangle, diamond, cross.
MARKERS = ("rond", "carre", "triangle", "losange", "croix")
TOP = 10


def _map(carte: dict) -> list[dict]:
    """The participants' positions scaled into the SVG's box, with their group's marker."""
    points = carte.get("points") or []
    if not points:
        return []
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    inner_w, inner_h = MAP_WIDTH - 2 * MAP_MARGIN, MAP_HEIGHT - 2 * MAP_MARGIN
    scaled = []
    for x, y, group in points:
        left = round(MAP_MARGIN + (x - min(xs)) / span_x * inner_w, 1)
        top = round(MAP_MARGIN + (1 - (y - min(ys)) / span_y) * inner_h, 1)
        # Plain strings: SVG lengths take a dot, whatever the page's language.
        scaled.append(
            {
                "x": f"{left:.1f}",
                "y": f"{top:.1f}",
                "x0": f"{left - 3:.1f}",
                "y0": f"{top - 3:.1f}",
                "groupe": group,
                "marqueur": MARKERS[group % len(MARKERS)],
            }
        )
    return scaled


def _segment(donnees: dict, choice: str) -> tuple[list[dict], dict | None]:
    """The segments offered (kind, code, label) and the one chosen (« tranche_age:25_34 »)."""
    kinds = {"tranche_age": "Tranche d'âge", "region": "Région", "profil": "Type de participant"}
    offered, chosen = [], None
    for kind, label in kinds.items():
        for segment in (donnees.get("segments") or {}).get(kind, []):
            value = f"{kind}:{segment['code']}"
            offered.append({"valeur": value, "libelle": f"{label} : {segment['libelle']}"})
            if value == choice:
                chosen = {**segment, "libelle": f"{label} : {segment['libelle']}"}
    return offered, chosen


def _zone_texts() -> dict[str, str]:
    """Each zone's rule in words, from the thresholds of `scores`."""
    return {
        scores.CONSENSUS: "une large majorité est d'accord (la borne basse de la part "
        f"« d'accord » dépasse {100 * scores.CONSENSUS_LOWER:.0f}\u00a0%)",
        scores.REJET: "une large majorité n'est pas d'accord (la borne basse de la part "
        f"« pas d'accord » dépasse {100 * scores.REJET_LOWER:.0f}\u00a0%)",
        scores.CONTROVERSE: "les avis tranchés se partagent (plus de "
        f"{100 * scores.CONTROVERSE_SHARE:.0f}\u00a0% de chaque côté)",
        scores.LIMBO: f"moins de {scores.ZONE_MIN_VOTES} votes, ou plus de "
        f"{100 * scores.ZONE_MAX_NEUTRAL:.0f}\u00a0% de votes neutres",
    }


def _rows(propositions, texts: dict | None = None) -> list[dict]:
    """Table rows: each vote's share with its interval, in percent, and the zone's badge."""
    votes = codes.entries("vote_consultation")
    badges = codes.field("zone_consultation", "badge")
    rows = []
    for p in propositions:
        cells = []
        for vote in votes:
            interval = p["intervalles"][vote["code"]]
            cells.append(
                {
                    "part": round(100 * interval["part"]),
                    "bas": round(100 * interval["bas"]),
                    "haut": round(100 * interval["haut"]),
                }
            )
        rows.append(
            {
                "texte": (texts or {}).get(p["id"], p.get("texte", "")),
                "votes": p["votes"],
                "cellules": cells,
                "zone": codes.label("zone_consultation", p["zone"], short=True),
                "badge": badges.get(p["zone"], ""),
            }
        )
    return rows


@require_GET
def resultats_page(request, slug: str):
    consultation = _consultation(slug)
    donnees = resultats.stored(consultation)
    propositions = donnees.get("propositions") or []
    texts = {p["id"]: p["texte"] for p in propositions}
    zones = dict.fromkeys(codes.codes("zone_consultation"), 0)
    for p in propositions:
        zones[p["zone"]] = zones.get(p["zone"], 0) + 1
    controversial = sorted(
        (p for p in propositions if p["zone"] == scores.CONTROVERSE),
        key=lambda p: (-p["controverse"], p["id"]),
    )
    toutes = paginate(request, propositions, 20)
    rules = _zone_texts()
    offered, chosen = _segment(donnees, request.GET.get("segment", "")[:80])
    if chosen:
        chosen["lignes"] = _rows(chosen["propositions"][:TOP], texts)
    groupes = donnees.get("groupes") or {}
    carte = donnees.get("carte") or {}
    for group in carte.get("groupes", []):
        group["marqueur"] = MARKERS[group["groupe"] % len(MARKERS)]
    return render(
        request,
        "consultation/resultats.html",
        {
            "consultation": consultation,
            "resume": participation.summary(consultation),
            "calcule_le": resultats.computed_at(consultation),
            "zones": [
                (codes.label("zone_consultation", code), n, rules.get(code, ""))
                for code, n in zones.items()
            ],
            "colonnes": [e["libelle"] for e in codes.entries("vote_consultation")],
            "meilleures": _rows(propositions[:TOP]),
            "controversees": _rows(controversial[:TOP]),
            "toutes": toutes,
            "toutes_lignes": _rows(toutes),
            "segments": offered,
            "segment": chosen,
            "segment_choisi": request.GET.get("segment", ""),
            "query": query_without_page(request),
            "groupes": groupes,
            "carte": carte,
            "points": _map(carte),
            "consensus": [texts.get(int(pk), "") for pk in groupes.get("consensus", [])],
            "largeur": MAP_WIDTH,
            "hauteur": MAP_HEIGHT,
            "title": "Résultats",
            "breadcrumb": _crumbs(consultation, here=True),
        },
    )


# Moderation -----------------------------------------------------------------------------------


def _operator(request):
    if not permissions.may_moderate(request.user):
        raise Http404
    return request.user


@require_http_methods(["GET", "POST"])
def moderation(request, slug: str):
    operator = _operator(request)
    consultation = _consultation(slug)
    if request.method == "POST":
        pk = _ids(request.POST.get("proposition", ""))
        decision = request.POST.get("decision", "")
        motif = request.POST.get("motif", "")
        proposition = (
            Proposition.objects.filter(consultation=consultation, pk=pk[0]).first() if pk else None
        )
        if proposition is None:
            raise Http404
        try:
            participation.decide(proposition.pk, operator, decision, motif)
        except ConsultationError as exc:
            messages.error(request, f"« {_short(proposition.texte)} » : {exc.message}")
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            verdict = "acceptée" if decision == "acceptee" else "refusée"
            messages.success(request, f"« {_short(proposition.texte)} » : {verdict}.")
        return redirect("consultation:moderation", slug)
    batch = participation.moderation_queue(consultation, operator)
    return render(
        request,
        "consultation/moderation.html",
        {
            "consultation": consultation,
            "lot": batch,
            "en_attente": participation.waiting_count(consultation, operator),
            "motifs": list(participation.moderator_reasons().items()),
            "title": "Modération",
            "breadcrumb": _crumbs(consultation, here=True),
        },
    )


@require_POST
def oublier(request, slug: str):
    """Forget this browser's participation cookie (the votes stay, pseudonymous)."""
    consultation = _consultation(slug)
    response = redirect("consultation:accueil", slug)
    response.delete_cookie(
        _cookie(consultation), path=reverse("consultation:accueil", args=[consultation.slug])
    )
    return response
