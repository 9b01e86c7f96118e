from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from osezia.socle.pagination import paginate, query_without_page

from .models import FamilleCasUsage, Naf, NiveauNaf, Region
from .queries import is_valid_niveau, search_naf, suggest_naf


@require_GET
def naf(request):
    niveau = request.GET.get("niveau") or ""
    q = (request.GET.get("q") or "").strip()[:100]
    erreur = None
    if not is_valid_niveau(niveau):
        erreur = "Niveau inconnu : choisissez section, division, groupe, classe ou sous-classe."
        niveau = ""
    page = paginate(request, search_naf(niveau, q).select_related("parent"), per_page=50)
    # Everyday trade words (« plombier »), which INSEE's labels rarely use, on the first page.
    metier = suggest_naf(q, 8) if q and page.number == 1 and niveau in ("", "sous_classe") else []
    return render(
        request,
        "referentiels/naf.html",
        {
            "title": "Nomenclature d'activités française (NAF rév. 2)",
            "page_obj": page,
            "query": query_without_page(request),
            "niveaux": NiveauNaf.choices,
            "niveau": niveau,
            "q": q,
            "erreur": erreur,
            "metier": metier,
        },
    )


@require_GET
def naf_detail(request, code: str):
    item = get_object_or_404(Naf.objects.select_related("parent"), code=code.upper())
    return render(
        request,
        "referentiels/naf_detail.html",
        {
            "title": f"{item.code} — {item.libelle}",
            "breadcrumb": [("NAF rév. 2", "/referentiels/naf/")],
            "naf": item,
            "chaine": list(reversed(item.ancetres()))[:-1],
            "enfants": item.enfants.order_by("code"),
        },
    )


@require_GET
def territoires(request):
    regions = Region.objects.prefetch_related("departements")
    return render(
        request,
        "referentiels/territoires.html",
        {"title": "Régions et départements", "regions": regions},
    )


@require_GET
def familles(request):
    return render(
        request,
        "referentiels/familles.html",
        {"title": "Familles de cas d'usage de l'IA", "familles": FamilleCasUsage.objects.all()},
    )
