"""The Diagnostic Data IA's API under /api/v1/expertise (contract of docs/expertise.md): the
public simulation of a quote, and one's files (requests), their quote, states and moves, the
report as JSON and PDF, with the rights of the pages (session authentication)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from osezia.entreprises.models import Entreprise
from osezia.socle.api_security import session_auth
from osezia.socle.pagination import PageOut, PageParams, page_answer, page_size
from osezia.socle.ratelimit import consume_request
from osezia.socle.validation import texte

from . import devis as calcul
from . import etats, permissions, services
from .models import MAX_TEXTE, Demande
from .services.demandes import REQUESTS_PER_DAY

router = Router(tags=["Diagnostic Data IA"])

SIMULATIONS_PER_MINUTE = 30


class SimulationIn(Schema):
    jours: int = Field(
        calcul.JOURS_PAR_DEFAUT,
        description=f"Jours d'expert, de {calcul.MIN_JOURS} à {calcul.MAX_JOURS}",
    )
    taux_journalier_ht_eur: Decimal = Field(
        description=f"Taux journalier hors taxes en euros, de {calcul.MIN_TAUX_EUR} à {calcul.MAX_TAUX_EUR}"
    )


class SimulationOut(Schema):
    cout_ht_eur: float
    cout_ttc_eur: float
    part_etat_eur: float
    part_entreprise_eur: float
    taux_prise_en_charge: int


@router.get(
    "/simulation",
    response=SimulationOut,
    summary="Simuler le coût d'un diagnostic et la part de l'État (public)",
)
def simulation(request, params: Query[SimulationIn]):
    consume_request(request, "expertise-simulation", SIMULATIONS_PER_MINUTE, 60)
    taux = params.taux_journalier_ht_eur
    errors = {}
    if not calcul.MIN_JOURS <= params.jours <= calcul.MAX_JOURS:
        errors["jours"] = f"le nombre de jours va de {calcul.MIN_JOURS} à {calcul.MAX_JOURS}."
    if (
        not taux.is_finite()
        or not calcul.MIN_TAUX_EUR <= taux <= calcul.MAX_TAUX_EUR
        or taux != taux.quantize(Decimal("0.01"))
    ):
        errors["taux_journalier_ht_eur"] = (
            f"le taux journalier hors taxes va de {calcul.MIN_TAUX_EUR} à {calcul.MAX_TAUX_EUR} €, au centime près."
        )
    if errors:
        raise ValidationError(errors)
    return calcul.simulation(calcul.montants(params.jours, int(taux * 100)))


# Files -------------------------------------------------------------------------------------


class DevisOut(Schema):
    jours: int
    taux_journalier_ht_eur: float
    cout_ht_eur: float
    tva_eur: float
    cout_ttc_eur: float
    part_etat_eur: float
    part_entreprise_eur: float
    taux_prise_en_charge: int


class DemandeOut(Schema):
    id: int
    entreprise_siren: str
    entreprise: str
    region: str
    statut: str = Field(
        description="demandee, eligible, expert_assigne, devis_accepte, en_cours, rapport_remis, valide, facture, clos, refusee, annulee"
    )
    libelle_statut: str
    motif: str
    expert: str | None
    echeance_acceptation: str | None = Field(
        description="AAAA-MM-JJ : l'expert accepte au plus tard ce jour"
    )
    attente_enveloppe_rang: int | None = Field(
        description="Position dans la file de l'enveloppe régionale, si le dossier attend"
    )
    devis: DevisOut | None
    transitions_possibles: list[str] = Field(
        description="Les états où la personne peut faire passer le dossier"
    )
    cree_le: str


class DemandesPage(PageOut):
    items: list[DemandeOut]


def _devis(demande) -> dict | None:
    quote = getattr(demande, "devis", None) if hasattr(demande, "devis") else None
    if quote is None:
        return None
    m = quote.montants
    return {
        "jours": m.jours,
        "taux_journalier_ht_eur": calcul.euros(m.taux_journalier_ht_cents),
        "cout_ht_eur": calcul.euros(m.cout_ht_cents),
        "tva_eur": calcul.euros(m.tva_cents),
        "cout_ttc_eur": calcul.euros(m.cout_ttc_cents),
        "part_etat_eur": calcul.euros(m.part_etat_cents),
        "part_entreprise_eur": calcul.euros(m.part_entreprise_cents),
        "taux_prise_en_charge": m.taux_prise_en_charge,
    }


def _out(demande: Demande, user) -> dict:
    parties = permissions.parties_of(user, demande)
    return {
        "id": demande.pk,
        "entreprise_siren": demande.entreprise.siren,
        "entreprise": demande.entreprise.denomination,
        "region": demande.region_id,
        "statut": demande.statut,
        "libelle_statut": demande.libelle_statut,
        "motif": demande.motif,
        "expert": demande.expert.nom_complet if demande.expert_id else None,
        "echeance_acceptation": demande.echeance_acceptation.isoformat()
        if demande.echeance_acceptation
        else None,
        "attente_enveloppe_rang": services.queue_rank(demande),
        "devis": _devis(demande),
        "transitions_possibles": [t.vers for t in etats.possibles(demande.statut, parties)],
        "cree_le": demande.cree_le.isoformat(),
    }


def _visible(request, pk: int) -> Demande:
    found = (
        permissions.visible_demandes(request.user)
        .select_related("entreprise", "expert__utilisateur", "region")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


@router.get(
    "/demandes",
    response=DemandesPage,
    auth=session_auth,
    summary="Mes dossiers (entreprise, expert ; tous pour un opérateur)",
)
def mes_demandes(request, pages: Query[PageParams]):
    found = (
        permissions.visible_demandes(request.user)
        .select_related("entreprise", "expert__utilisateur", "region")
        .order_by("-cree_le", "-pk")
    )
    size = page_size(pages.page_size)
    start = (pages.page - 1) * size
    return page_answer(
        [_out(d, request.user) for d in found[start : start + size]],
        found.count(),
        pages.page,
        size,
    )


class DemandeIn(Schema):
    entreprise_siren: str = Field(
        max_length=9, description="SIREN de l'entreprise dont vous êtes membre"
    )
    besoins: texte(MAX_TEXTE, multiline=True)
    contraintes: texte(MAX_TEXTE, multiline=True) = ""
    partage_autodiagnostic: bool = Field(
        False,
        description="L'entreprise consent à partager son dernier autodiagnostic avec l'expert",
    )


@router.post(
    "/demandes",
    response={201: DemandeOut},
    auth=session_auth,
    summary="Demander un Diagnostic Data IA (PME et ETI)",
)
def demander(request, payload: DemandeIn):
    entreprise = Entreprise.objects.filter(
        siren=payload.entreprise_siren, adhesions__utilisateur=request.user
    ).first()
    if entreprise is None:
        raise Http404
    consume_request(request, "expertise-demande", REQUESTS_PER_DAY, 86400)
    demande = services.create_request(request.user, entreprise, payload.dict())
    return Status(201, _out(_visible(request, demande.pk), request.user))


@router.get("/demandes/{pk}", response=DemandeOut, auth=session_auth, summary="Un de mes dossiers")
def une_demande(request, pk: int):
    return _out(_visible(request, pk), request.user)


@router.get(
    "/demandes/{pk}/devis", response=DevisOut, auth=session_auth, summary="Le devis d'un dossier"
)
def le_devis(request, pk: int):
    found = _devis(_visible(request, pk))
    if found is None:
        raise Http404
    return found


class TransitionOut(Schema):
    de: str
    vers: str
    par: str | None
    partie: str
    motif: str
    commentaire: str
    le: str


class TransitionsPage(PageOut):
    items: list[TransitionOut]


@router.get(
    "/demandes/{pk}/transitions",
    response=TransitionsPage,
    auth=session_auth,
    summary="Le suivi d'un dossier : chaque transition, de la plus ancienne à la plus récente",
)
def transitions(request, pk: int, pages: Query[PageParams]):
    found = services.timeline(_visible(request, pk))
    size = page_size(pages.page_size)
    start = (pages.page - 1) * size
    rows = [
        {
            "de": t.de,
            "vers": t.vers,
            "par": (t.par.get_full_name() or t.par.email) if t.par else None,
            "partie": t.partie,
            "motif": t.motif,
            "commentaire": t.commentaire,
            "le": t.le.isoformat(),
        }
        for t in found[start : start + size]
    ]
    return page_answer(rows, found.count(), pages.page, size)


class TransitionIn(Schema):
    vers: str = Field(max_length=16, description="L'état visé (voir transitions_possibles)")
    motif: str = Field(
        "", max_length=40, description="Code du motif, quand la transition en demande un"
    )
    commentaire: texte(MAX_TEXTE, multiline=True) = ""


class TransitionDone(DemandeOut):
    message: str


@router.post(
    "/demandes/{pk}/transitions",
    response=TransitionDone,
    auth=session_auth,
    summary="Faire passer un dossier à l'état suivant (selon son rôle)",
)
def faire_avancer(request, pk: int, payload: TransitionIn):
    demande = _visible(request, pk)
    message = f"Dossier « {etats.LIBELLES.get(payload.vers, payload.vers)} »."
    if payload.vers == etats.DEVIS_ACCEPTE:
        demande, message = services.accept(demande, request.user)
    elif payload.vers == etats.EXPERT_ASSIGNE:
        raise ValidationError(
            {"vers": "désignez l'expert depuis la page du dossier (suggestions classées)."}
        )
    else:
        services.move(demande, request.user, payload.vers, payload.motif, payload.commentaire)
    return {**_out(_visible(request, pk), request.user), "message": message}


@router.get("/demandes/{pk}/rapport", auth=session_auth, summary="Le rapport de l'expert (JSON)")
def le_rapport(request, pk: int):
    demande = _visible(request, pk)
    context = services.view(demande, with_recommendations=False)
    if not context:
        raise Http404
    found = context["rapport"]
    return {
        "statut": found.statut,
        "remis_le": found.remis_le.isoformat() if found.remis_le else None,
        "valide_le": found.valide_le.isoformat() if found.valide_le else None,
        "synthese": context["contenu"].get("synthese", ""),
        "maturite": context["contenu"].get("maturite", []),
        "mots_entreprise": context["contenu"].get("mots_entreprise", ""),
        "cas_usage": [
            {k: v for k, v in c.items() if k not in ("gain", "risque", "famille_libelle")}
            | {"gain_eur_par_an": c["gain"].euros_par_an, "gain_formule": c["gain"].formule}
            for c in context["cas"]
        ],
        "feuille_de_route": [
            {"trimestre": t, "cas_usage": items} for t, items in context["feuille_de_route"]
        ],
    }


@router.get("/demandes/{pk}/rapport.pdf", auth=session_auth, summary="Le rapport de l'expert (PDF)")
def le_rapport_pdf(request, pk: int):
    from .views import report_pdf

    return report_pdf(request, _visible(request, pk))
