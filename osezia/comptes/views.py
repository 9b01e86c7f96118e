from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from osezia.entreprises.permissions import visible_entreprises

from .permissions import is_operator


@login_required
@require_GET
def espace(request):
    entreprises = visible_entreprises(request.user).select_related("naf", "departement")
    return render(
        request,
        "comptes/espace.html",
        {
            "title": "Mon espace",
            "roles": sorted(request.user.attributions.all(), key=lambda a: a.role),
            "entreprises": entreprises[:20],
            "is_operator": is_operator(request.user),
        },
    )
