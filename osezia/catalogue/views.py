import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osezia.comptes.models import TypeOrganisation
from osezia.comptes.services import claim_notice, claims_of
from osezia.recherche.http import degraded
from osezia.recherche.http import read as read_search
from osezia.recherche.services import search_page_or_unavailable
from osezia.referentiels import codes
from osezia.referentiels.models import FamilleCasUsage, Naf
from osezia.socle import csvsafe
from osezia.socle.client import client_ip
from osezia.socle.pagination import paginate, query_without_page
from osezia.socle.ratelimit import RateLimited, address_key
from osezia.socle.texte import de
from osezia.socle.validation import is_robot, report_on_form

from . import format as fmt
from . import permissions, search
from .forms import ContactForm, FournisseurForm, MembreForm, RefusForm, SolutionForm
from .models import DemandeContact, Fournisseur, JetonAPI, Solution, VersionSolution
from .presentation import describe
from .services import contacts, imports, providers, published, solutions, tokens
from .services import moderation as moderating

PAGE_SIZE = 20
PROVIDERS_PAGE_SIZE = 50
FACET_LABELS = {
    "tailles": ("Taille d'entreprise", "taille", codes.labels("taille", short=True)),
    "tarif": ("Modèle de prix", "tarif", codes.labels("modele_tarif")),
    "deploiement": ("Déploiement", "deploiement", codes.labels("deploiement")),
    "hebergement": ("Hébergement", "hebergement", codes.labels("hebergement", short=True)),
    "risque": ("Risque (AI Act)", "risque_ia_act", codes.labels("risque_ia_act", short=True)),
}


@require_GET
def catalogue(request):
    families = {f.code: f for f in FamilleCasUsage.objects.all()}
    sections = {n.code: n for n in Naf.objects.filter(niveau="section")}
    query, error = read_search(request.GET, search.SPEC)
    page = search_page_or_unavailable(query, search.SPEC, facets=True, snippets=bool(query.q))
    items = [search.item(hit) for hit in page.hits]
    for item in items:
        item["familles_libelles"] = [
            families[c].libelle_court for c in item["familles"] if c in families
        ]
        # Labels for the card, never the stored codes (the API keeps the codes).
        item["libelles"] = describe(item)
        if item.get("prix_min_eur_mois") is not None:
            item["libelles"]["a_partir_de"] = fmt.euros(item["prix_min_eur_mois"])
    facets = []
    family_counts = page.facets.get("famille", {})
    facets.append(
        {
            "titre": "Famille de cas d'usage",
            "nom": "famille",
            "options": [
                {
                    "code": c,
                    "libelle": f.libelle_court,
                    "n": family_counts.get(c, 0),
                    "coche": c in query.selected("famille"),
                }
                for c, f in families.items()
                if family_counts.get(c) or c in query.selected("famille")
            ],
        }
    )
    for title, param, labels in FACET_LABELS.values():
        counts = page.facets.get(param, {})
        facets.append(
            {
                "titre": title,
                "nom": param,
                "options": [
                    {
                        "code": c,
                        "libelle": label,
                        "n": counts.get(c, 0),
                        "coche": c in query.selected(param),
                    }
                    for c, label in labels.items()
                ],
            }
        )
    section_counts = page.facets.get("secteur", {})
    selection = _compare_selection(request.GET.getlist("ids"))
    shown = {item["id_externe"] for item in items}
    response = render(
        request,
        "catalogue/liste.html",
        {
            "title": "Catalogue de solutions d'IA",
            "items": items,
            "count": page.count,
            "page_obj": page.page_obj,
            "query": query_without_page(request),
            "q": query.q,
            "tri": query.sort,
            "tris": list(search.SPEC.sorts.items()),
            "secteur": query.options.get("secteur", ""),
            "facets": facets,
            "sections": [
                {"code": c, "libelle": s.libelle.capitalize(), "n": section_counts.get(c, 0)}
                for c, s in sections.items()
            ],
            "tous_secteurs": section_counts.get("*", 0),
            "familles_tuiles": []
            if (query.filtered or page.unavailable)
            else [
                {"code": c, "libelle": f.libelle_court, "n": family_counts.get(c, 0)}
                for c, f in families.items()
            ],
            "erreur": error,
            "recherche_indisponible": page.unavailable,
            "selection": [s.id_externe for s in selection],
            "selection_ailleurs": [
                {"id_externe": s.id_externe, "nom": s.version_publiee.contenu["nom"]}
                for s in selection
                if s.id_externe not in shown
            ],
        },
    )
    return degraded(response, page.unavailable, refused=bool(error))


# The solutions ticked for comparison travel with the search (`ids` in the address): a few
# more than the comparison takes, so that the page can say there are too many.
SELECTION_MAX = published.COMPARISON_MAX + 3


def _compare_selection(ids: list[str]) -> list[Solution]:
    """The published solutions among the ticked identifiers, in order, each once."""
    wanted = [i for i in dict.fromkeys(ids) if isinstance(i, str) and 0 < len(i) <= 200]
    found = (published.published_solution(i) for i in wanted[:SELECTION_MAX])
    return [s for s in found if s is not None]


def _published(id_externe: str) -> Solution:
    solution = published.published_solution(id_externe)
    if solution is None:
        raise Http404("Solution introuvable")
    return solution


# The e-mail leaves from the task worker after the response: the page says it is on its way,
# not that it arrived (a failed send is reported to the operators).
CONTACT_QUEUED = (
    "Votre message est enregistré : il va être transmis au fournisseur par e-mail "
    "dans les prochaines minutes."
)


@require_http_methods(["GET", "POST"])
def solution(request, id_externe: str):
    item = _published(id_externe)
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if is_robot(data):  # answered as accepted, nothing stored
                messages.success(request, CONTACT_QUEUED)
                return redirect("catalogue:solution", id_externe=id_externe)
            try:
                contacts.contact(
                    item,
                    data["nom"],
                    data["email"],
                    data["entreprise"],
                    data["message"],
                    address_key(client_ip(request)),  # IPv6 by /64
                    request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, CONTACT_QUEUED)
                return redirect("catalogue:solution", id_externe=id_externe)
    else:
        contacts.record_view(item)
    content = item.version_publiee.contenu
    families = {f.code: f for f in FamilleCasUsage.objects.filter(code__in=content["familles"])}
    return render(
        request,
        "catalogue/solution.html",
        {
            "title": content["nom"],
            "breadcrumb": [("Catalogue", "/catalogue/")],
            "solution": item,
            "c": content,
            "d": describe(content),
            "familles": [families[c] for c in content["familles"] if c in families],
            "secteurs": _sectors(content["secteurs"]),
            "form": form,
            "conservation_mois": contacts.CONTACT_RETENTION_MONTHS,
        },
    )


def _sectors(codes_naf: list[str]) -> list[Naf]:
    """The NAF entries of a content's sectors, in its order (empty: every sector)."""
    found = {n.code: n for n in Naf.objects.filter(code__in=codes_naf)}
    return [found[c] for c in codes_naf if c in found]


@require_GET
def comparer(request):
    ids = request.GET.getlist("ids")
    compared, error = [], ""
    if ids:  # no selection yet: the page explains how to make one
        try:
            compared = published.comparison(ids)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    response = render(
        request,
        "catalogue/comparer.html",
        {
            "title": "Comparer des solutions",
            "solutions": [
                {
                    "solution": s,
                    "c": s.version_publiee.contenu,
                    "d": describe(s.version_publiee.contenu),
                }
                for s in compared
            ],
            "erreur": error,
            # Back to the search with the same ticked solutions, to add or remove some.
            "retour": reverse("catalogue:liste")
            + ("?" + urlencode({"ids": ids}, doseq=True) if ids else ""),
            "breadcrumb": [("Catalogue", "/catalogue/")],
        },
    )
    return degraded(response, False, refused=bool(error))


EXPORT_KINDS = ("jsonl", "csv")


class _Echo:
    def write(self, value):
        return value


@require_GET
def export(request, kind: str):
    """The published catalogue as open data: `export.jsonl` (exchange format) or `export.csv`;
    any other extension is no page (404)."""
    if kind not in EXPORT_KINDS:
        raise Http404("Format d'export inconnu : .jsonl ou .csv")
    if kind == "csv":
        writer = csvsafe.DictWriter(_Echo(), fieldnames=fmt.CSV_COLUMNS)
        rows = (writer.writerow(fmt.line_to_csv_row(line)) for line in imports.export_lines())
        response = StreamingHttpResponse(
            _with_header(writer, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="catalogue-osez-ia.csv"'
        return response
    lines = (json.dumps(line, ensure_ascii=False) + "\n" for line in imports.export_lines())
    response = StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="catalogue-osez-ia.jsonl"'
    return response


def _with_header(writer, rows):
    yield writer.writerow(dict(zip(fmt.CSV_COLUMNS, fmt.CSV_COLUMNS, strict=True)))
    yield from rows


# Provider space --------------------------------------------------------------------------


def _provider(request) -> Fournisseur | None:
    return permissions.providers_of(request.user).first()


@login_required
@require_http_methods(["GET", "POST"])
def espace(request):
    fournisseur = _provider(request)
    if fournisseur is None:
        form = FournisseurForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                outcome = providers.register_provider(
                    request.user,
                    form.cleaned_data["nom"],
                    form.cleaned_data["siren"],
                    form.cleaned_data["message"],
                )
            except ValidationError as exc:
                report_on_form(form, exc)
            except RateLimited as exc:
                form.add_error(None, str(exc))
            else:
                if isinstance(outcome, Fournisseur):
                    messages.success(request, f"L'organisation {outcome.nom} est enregistrée.")
                else:
                    messages.info(request, claim_notice(outcome.type_organisation))
                return redirect("catalogue:espace")
        return render(
            request,
            "catalogue/espace_inscription.html",
            {
                "title": "Espace fournisseur",
                "form": form,
                "demandes": claims_of(request.user).filter(
                    type_organisation=TypeOrganisation.FOURNISSEUR
                )[:20],
            },
        )
    own = list(solutions.provider_solutions(fournisseur))
    for item in own:
        item.soumettable = permissions.can_submit(item)
    new_token = request.session.pop("nouveau_jeton", None)
    return render(
        request,
        "catalogue/espace.html",
        {
            "title": "Espace fournisseur",
            "fournisseur": fournisseur,
            "solutions": own,
            "jetons": fournisseur.jetons.filter(revoque=False),
            "nouveau_jeton": new_token,
        },
    )


def _own(request, id_externe: str) -> Solution:
    item = (
        Solution.objects.select_related("fournisseur", "version_publiee", "version_en_cours")
        .filter(id_externe=id_externe)
        .first()
    )
    if item is None or not permissions.can_edit(request.user, item):
        raise Http404("Solution introuvable")
    return item


@login_required
@require_http_methods(["GET", "POST"])
def editer(request, id_externe: str | None = None):
    fournisseur = _provider(request)
    if fournisseur is None:
        return redirect("catalogue:espace")
    item = _own(request, id_externe) if id_externe else None
    if request.method == "POST":
        form = SolutionForm(request.POST, solution=item)
        if form.is_valid():
            submit_now = request.POST.get("action") == "soumettre"
            try:
                if item is None:
                    saved = solutions.create_solution(
                        fournisseur, form.to_line(fournisseur), request.user, submit_now=submit_now
                    )
                else:
                    saved = solutions.update_solution(
                        fournisseur,
                        item,
                        form.to_line(fournisseur),
                        request.user,
                        submit_now=submit_now,
                    )
            except ValidationError as exc:
                form.add_service_errors(exc)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                done = "soumise à la modération" if submit_now else "enregistrée en brouillon"
                messages.success(request, f"La solution est {done}.")
                return redirect("catalogue:espace") if saved else None
    else:
        version = (item.version_en_cours or item.version_publiee) if item else None
        form = SolutionForm(
            initial=SolutionForm.initial_from(item.id_externe, version.contenu)
            if version
            else {"langues": "fr"},
            solution=item,
        )
    return render(
        request,
        "catalogue/editer.html",
        {
            "title": "Modifier la solution" if item else "Proposer une solution",
            "form": form,
            "solution": item,
            "breadcrumb": [("Espace fournisseur", "/catalogue/espace-fournisseur/")],
        },
    )


@login_required
@require_POST
def soumettre(request, id_externe: str):
    item = _own(request, id_externe)
    try:
        solutions.submit(item, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "La solution est soumise à la modération.")
    return redirect("catalogue:espace")


@login_required
@require_POST
def retirer(request, id_externe: str):
    item = _own(request, id_externe)
    try:
        moderating.withdraw(item, request.user, request.POST.get("motif", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "La solution est retirée du catalogue.")
    return redirect("catalogue:espace")


@login_required
@require_POST
def jeton(request):
    fournisseur = _provider(request)
    if fournisseur is None:
        raise Http404
    request.session["nouveau_jeton"] = tokens.create_token(
        fournisseur, request.user, request.POST.get("nom", "Jeton API")
    )
    return redirect("catalogue:espace")


def _revoke(request, fournisseur: Fournisseur, pk: int) -> None:
    try:
        tokens.revoke_token(fournisseur, pk, request.user)
    except JetonAPI.DoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Le jeton est révoqué.")


@login_required
@require_POST
def revoquer(request, pk: int):
    fournisseur = _provider(request)
    if fournisseur is None:
        raise Http404
    _revoke(request, fournisseur, pk)
    return redirect("catalogue:espace")


@login_required
@require_GET
def historique(request, id_externe: str):
    item = Solution.objects.select_related("fournisseur").filter(id_externe=id_externe).first()
    if item is None or not permissions.can_see_history(request.user, item):
        raise Http404
    events = item.evenements.select_related("auteur", "version")[:200]
    return render(
        request,
        "catalogue/historique.html",
        {"title": f"Historique de {item}", "solution": item, "evenements": events},
    )


# Moderation ----------------------------------------------------------------------------


@login_required
@require_GET
def moderation(request):
    if not permissions.can_moderate(request.user):
        raise PermissionDenied
    page_obj = paginate(request, moderating.moderation_queue(), PAGE_SIZE)
    for version in page_obj:  # everything that will be published, as the public will read it
        version.d = describe(version.contenu)
        version.secteurs_naf = _sectors(version.contenu.get("secteurs") or [])
    failed = contacts.failed_contacts()
    return render(
        request,
        "catalogue/moderation.html",
        {
            "title": "Modération du catalogue",
            "page_obj": page_obj,
            "contacts_en_echec": failed[:50],
            "contacts_en_echec_nombre": failed.count(),
            "query": query_without_page(request),
            "refus_form": RefusForm(),
            "retraits": moderating.recent_withdrawals()[:20],
        },
    )


@login_required
@require_POST
def renvoyer_contact(request, pk: int):
    if not permissions.can_moderate(request.user):
        raise PermissionDenied
    demande = DemandeContact.objects.filter(pk=pk).first()
    if demande is None:
        raise Http404
    try:
        contacts.retry_contact(demande)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"La demande n° {demande.pk} est de nouveau en file d'envoi.")
    return redirect("catalogue:moderation")


@login_required
@require_POST
def decider(request, pk: int):
    if not permissions.can_moderate(request.user):
        raise PermissionDenied
    version = VersionSolution.objects.select_related("solution").filter(pk=pk).first()
    if version is None:
        raise Http404
    decision = request.POST.get("decision", "")
    try:
        moderating.decide(
            version, request.user, decision, RefusForm(request.POST).data.get("motif", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if decision == "publier":
            messages.success(request, f"« {version.nom} » est publiée.")
        else:
            messages.success(
                request, f"« {version.nom} » est refusée ; le fournisseur voit le motif."
            )
    return redirect("catalogue:moderation")


# Providers, for operators ------------------------------------------------------------------


def _operator_provider(request, siren: str) -> Fournisseur:
    if not permissions.can_moderate(request.user):
        raise PermissionDenied
    fournisseur = Fournisseur.objects.filter(siren=siren).first()
    if fournisseur is None:
        raise Http404
    return fournisseur


@login_required
@require_GET
def fournisseurs(request):
    if not permissions.can_moderate(request.user):
        raise PermissionDenied
    page_obj = paginate(request, Fournisseur.objects.order_by("nom", "pk"), PROVIDERS_PAGE_SIZE)
    return render(
        request,
        "catalogue/fournisseurs.html",
        {
            "title": "Fournisseurs du catalogue",
            "breadcrumb": [("Modération du catalogue", "/catalogue/moderation/")],
            "page_obj": page_obj,
            "query": query_without_page(request),
        },
    )


@login_required
@require_GET
def fournisseur(request, siren: str):
    item = _operator_provider(request, siren)
    return _provider_page(request, item, MembreForm())


def _provider_page(request, item: Fournisseur, form):
    return render(
        request,
        "catalogue/fournisseur.html",
        {
            "title": f"Fournisseur {item.nom}",
            "breadcrumb": [
                ("Modération du catalogue", "/catalogue/moderation/"),
                ("Fournisseurs", "/catalogue/moderation/fournisseurs/"),
            ],
            "fournisseur": item,
            "membres": item.membres.order_by("email"),
            "jetons": item.jetons.select_related("utilisateur", "revoque_par"),
            "solutions": item.solutions.order_by("id_externe"),
            "form": form,
        },
    )


@login_required
@require_POST
def ajouter_membre(request, siren: str):
    item = _operator_provider(request, siren)
    form = MembreForm(request.POST)
    if form.is_valid():
        try:
            user = providers.add_member_by_email(item, form.cleaned_data["email"], request.user)
        except ValidationError as exc:
            report_on_form(form, exc)
        else:
            messages.success(request, f"{user.email} est désormais membre {de(item.nom)}.")
            return redirect("catalogue:fournisseur", siren=item.siren)
    return _provider_page(request, item, form)


@login_required
@require_POST
def revoquer_jeton_fournisseur(request, siren: str, pk: int):
    item = _operator_provider(request, siren)
    _revoke(request, item, pk)
    return redirect("catalogue:fournisseur", siren=item.siren)
