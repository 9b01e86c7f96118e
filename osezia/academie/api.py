from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from osezia.socle.api_security import session_auth
from osezia.socle.pagination import PageOut, PageParams, Pagination, Rows
from osezia.socle.regles import MAX_EXTERNAL_ID
from osezia.socle.validation import texte

from . import balisage, permissions, search
from . import format as fmt
from .models import Inscription, OrganismeFormation, Session, Tutoriel
from .services import (
    certificates,
    completions,
    enrolments,
    organisations,
    paths,
    profiles,
    trainings,
    tutorials,
)
from .services.counters import counters as trained_counters

router = Router(tags=["Académie de l'IA"])


class SessionOut(Schema):
    id: int
    debut: date | None = Field(None, description="Date de début (vide : entrée permanente)")
    fin: date | None
    places: int | None = Field(None, description="Places (vide : sans limite)")
    places_restantes: int | None
    etat_recrutement: str = Field(description=", ".join(fmt.ETATS_RECRUTEMENT))


class FormationItem(Schema):
    id: str
    intitule: str
    organisme: str
    publics: list[str]
    modalite: str | None = Field(None, description="presentiel, mixte ou distance")
    region: str | None = Field(None, description="Code INSEE de la région (vide : à distance)")
    departement: str | None
    ville: str
    duree_heures: int | None
    prix_ttc_eur: float | None
    financements: list[str]
    familles: list[str]
    certifiante: bool
    prochaine_session: date | None = Field(None, description="Début de la prochaine session")
    prochaine_session_detail: SessionOut | None


class FormationPage(PageOut):
    facets: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="Pour chaque filtre, le nombre de résultats par valeur"
    )
    items: list[FormationItem]


class FormationParams(PageParams):
    q: texte(search.MAX_QUERY) | None = Field(None, description="Texte libre")
    public: list[str] = Field(
        default_factory=list, max_length=50, description=", ".join(fmt.PUBLICS)
    )
    region: list[str] = Field(
        default_factory=list, max_length=50, description="Code INSEE de région"
    )
    modalite: list[str] = Field(
        default_factory=list, max_length=50, description=", ".join(fmt.MODALITES)
    )
    financement: list[str] = Field(
        default_factory=list, max_length=50, description=", ".join(fmt.FINANCEMENTS)
    )
    famille: list[str] = Field(
        default_factory=list, max_length=50, description="Famille de cas d'usage"
    )
    niveau: list[str] = Field(
        default_factory=list, max_length=50, description=", ".join(fmt.NIVEAUX)
    )
    duree: list[str] = Field(default_factory=list, max_length=50, description=", ".join(fmt.DUREES))
    certifiante: bool | None = None
    gratuit: bool = False
    tri: texte(20) | None = Field(None, description=", ".join(search.SPEC.sorts))
    facettes: bool = Field(
        False, description="Ajouter le nombre de résultats par valeur de chaque filtre (`facets`)"
    )


@router.get("/formations", response=FormationPage, summary="Chercher une formation")
def list_formations(request, params: Query[FormationParams]):
    """Published trainings, best first when `q` is given; several values of one filter are
    alternatives (OR); `region` matches the trainings held in that region. The same search as
    the list page; with `facettes=true`, the same facet counts."""
    query = search.read(params.model_dump(exclude={"facettes"}))
    page = search.run(query, facets=params.facettes)
    items = [search.item(f, query) for f in search.formations_for(page)]
    return page.answer(items, facets=params.facettes)


class ActionOut(Schema):
    id: str
    publics: list[str]
    modalite: str
    adresse: str
    code_postal: str
    ville: str
    departement: str | None
    region: str | None
    duree_heures: int | None
    prix_ttc_eur: float | None
    financements: list[str]
    rythme: str
    conditions: str
    sessions: list[SessionOut]


class FormationOut(Schema):
    id: str
    intitule: str
    objectifs: str
    resultats_attendus: str
    contenu: str
    certifiante: bool
    code_rncp: str
    code_rs: str
    niveau_entree: str
    familles: list[str]
    organisme: dict
    actions: list[ActionOut]


@router.get("/formations/{path:reference}", response=FormationOut, summary="Une formation")
def get_formation(request, reference: texte(MAX_EXTERNAL_ID)):
    formation = trainings.published_formation(reference)
    if formation is None:
        raise Http404
    org = formation.organisme
    return {
        "id": formation.reference,
        **{name: getattr(formation, name) for name in trainings.FORMATION_FIELDS},
        "organisme": {"nom": org.nom, "siret": org.siret, "numero_activite": org.numero_activite},
        "actions": [
            {
                "id": a.reference,
                "publics": a.publics,
                "modalite": a.modalite,
                "adresse": a.adresse,
                "code_postal": a.code_postal,
                "ville": a.ville,
                "departement": a.departement_id,
                "region": a.region_id,
                "duree_heures": a.duree_heures,
                "prix_ttc_eur": search.euros(a.prix_ttc_centimes),
                "financements": a.financements,
                "rythme": a.rythme,
                "conditions": a.conditions,
                "sessions": [search.session_data(s) for s in a.sessions.all()],
            }
            for a in formation.actions.all()
        ],
    }


class TutorielItem(Schema):
    id: str
    titre: str
    resume: str
    minutes: int
    niveau: str
    publics: list[str]
    familles: list[str]
    video_url: str


class TutorielPage(PageOut):
    items: list[TutorielItem]


class TutorielParams(PageParams):
    q: texte(search.MAX_QUERY) | None = None
    public: list[str] = Field(default_factory=list, max_length=50)
    famille: list[str] = Field(default_factory=list, max_length=50)


def _tutorial_item(t: Tutoriel) -> dict:
    return {
        "id": t.slug,
        "titre": t.titre,
        "resume": t.resume,
        "minutes": t.minutes,
        "niveau": t.niveau,
        "publics": t.publics,
        "familles": t.familles,
        "video_url": t.video_url,
    }


@router.get("/tutoriels", response=TutorielPage, summary="Chercher un tutoriel")
def list_tutoriels(request, params: Query[TutorielParams]):
    query = search.read(params.model_dump(), search.TUTORIAL_SPEC)
    page = search.run(query, search.TUTORIAL_SPEC)
    return page.answer([_tutorial_item(t) for t in search.tutorials_for(page)], facets=False)


class Question(Schema):
    question: str
    choix: list[str]


class Bloc(Schema):
    type: Literal["titre", "paragraphe", "liste"]
    texte: str | None = Field(None, description="Titre ou paragraphe")
    items: list[str] | None = Field(None, description="Éléments d'une liste")


class TutorielOut(TutorielItem):
    contenu: str = Field(description="Texte balisé brut (« ## » titre, « - » puce)")
    blocs: list[Bloc] = Field(description="Le contenu interprété, bloc par bloc")
    quiz: list[Question]


@router.get("/tutoriels/{slug}", response=TutorielOut, summary="Un tutoriel et son quiz")
def get_tutoriel(request, slug: texte(60)):
    tutoriel = tutorials.published_tutorial(slug)
    if tutoriel is None:
        raise Http404
    return {
        **_tutorial_item(tutoriel),
        "contenu": tutoriel.contenu,
        "blocs": balisage.blocks(tutoriel.contenu),
        "quiz": [{"question": q["question"], "choix": q["choix"]} for q in tutoriel.quiz],
    }


class Reponses(Schema):
    reponses: list[Annotated[int, Field(ge=0, le=100)] | None] = Field(
        max_length=10, description="Pour chaque question, l'indice du choix"
    )


class CorrectionOut(Schema):
    question: int = Field(description="Rang de la question (à partir de 1)")
    reponse: int | None = Field(None, description="Le choix donné (rang à partir de 0)")
    juste: bool
    bonne_reponse: int | None = Field(
        None, description="Le bon choix, donné une fois le quiz réussi seulement"
    )


class QuizOut(Schema):
    bonnes_reponses: int
    questions: int
    reussi: bool
    essais_restants: int = Field(description="Essais encore possibles dans l'heure glissante")
    code_verification: str | None
    corrections: list[CorrectionOut] = Field(
        default_factory=list, description="Question par question : juste ou non"
    )


class QuizRefuse(Schema):
    detail: str
    attente_secondes: int = Field(description="Secondes avant de pouvoir répondre de nouveau")


@router.post(
    "/tutoriels/{slug}/quiz",
    response={200: QuizOut, 429: QuizRefuse},
    auth=session_auth,
    summary="Répondre au quiz",
    description=(
        "Trois essais par tutoriel et par heure glissante au plus, 30 secondes au moins entre "
        "deux essais ; au-delà, réponse 429 avec le délai (en-tête Retry-After), sans correction."
    ),
)
def answer_quiz(request, slug: texte(60), payload: Reponses, response: HttpResponse):
    tutoriel = tutorials.published_tutorial(slug)
    if tutoriel is None:
        raise Http404
    try:
        result = tutorials.submit_quiz(request.auth, tutoriel, payload.reponses)
    except tutorials.QuizAttemptRefused as refused:
        response["Retry-After"] = str(refused.retry_after)
        return Status(
            429,
            {
                "detail": refused.messages[0].capitalize() + ".",
                "attente_secondes": refused.retry_after,
            },
        )
    return {
        "bonnes_reponses": result.correct,
        "questions": result.total,
        "reussi": result.passed,
        "essais_restants": result.attempts_left,
        "code_verification": result.inscription.code_verification if result.passed else None,
        "corrections": [
            {
                "question": c.numero,
                "reponse": c.reponse,
                "juste": c.juste,
                "bonne_reponse": c.bonne_reponse,
            }
            for c in result.corrections
        ],
    }


class Etape(Schema):
    ordre: int
    type: str
    id: str
    titre: str


class ParcoursItem(Schema):
    id: str
    titre: str
    description: str
    public: str
    etapes: list[Etape]


def parcours_item(parcours) -> dict:
    return {
        "id": parcours.slug,
        "titre": parcours.titre,
        "description": parcours.description,
        "public": parcours.public,
        "etapes": [
            {
                "ordre": e.ordre,
                "type": "tutoriel" if e.tutoriel_id else "formation",
                "id": e.tutoriel.slug if e.tutoriel_id else e.formation.reference,
                "titre": e.tutoriel.titre if e.tutoriel_id else e.formation.intitule,
            }
            for e in parcours.etapes.all()
        ],
    }


class ParcoursParams(Schema):
    public: texte(30) | None = Field(None, description=", ".join(fmt.PUBLICS))


@router.get("/parcours", response=list[ParcoursItem], summary="Les parcours d'apprentissage")
@paginate(Pagination, page_size=20)
def list_parcours(request, params: Query[ParcoursParams]):
    return Rows(paths.published_paths(params.public), parcours_item)


class SuiviOut(Schema):
    parcours: str
    titre: str
    etapes_faites: int
    etapes: int
    pourcentage: int
    termine_le: datetime | None
    code_verification: str | None


@router.get(
    "/suivis", response=list[SuiviOut], auth=session_auth, summary="Mes parcours et ma progression"
)
@paginate(Pagination, page_size=20)
def my_paths(request):
    """The paths I follow, with the steps done (the same progress as my space's page)."""
    return [
        {
            "parcours": state.parcours.slug,
            "titre": state.parcours.titre,
            "etapes_faites": state.done,
            "etapes": state.total,
            "pourcentage": state.percent,
            "termine_le": state.suivi.termine_le,
            "code_verification": state.suivi.code_verification,
        }
        for state in paths.followed_paths(request.auth)
    ]


class Compteurs(Schema):
    professionnels_formes: int
    par_public: dict[str, int]
    par_region: dict[str, int]
    par_mois: dict[str, int]
    objectif_2030: int


@router.get("/compteurs", response=Compteurs, summary="Professionnels formés")
def get_counters(request):
    """Distinct persons with at least one completed training or learning path (definition in
    docs/academie.md), by audience, region (code INSEE; NC: unknown) and month."""
    return trained_counters()


class ProfilIn(Schema):
    public: Literal[tuple(fmt.PUBLICS)] = Field(description=", ".join(fmt.PUBLICS))
    departement: texte(3, description="Code INSEE du département")
    prenom: texte(150, description="Nom porté par les attestations") | None = None
    nom: texte(150) | None = None


class ProfilOut(Schema):
    public: str
    departement: str
    code_apprenant: str


@router.put("/profil", response=ProfilOut, auth=session_auth, summary="Mon profil d'apprenant")
def put_profile(request, payload: ProfilIn):
    profile = profiles.set_profile(
        request.auth, payload.public, payload.departement, payload.prenom, payload.nom
    )
    return {
        "public": profile.public,
        "departement": profile.departement_id,
        "code_apprenant": profile.code_apprenant,
    }


class InscriptionOut(Schema):
    id: int
    statut: str
    session: int | None
    formation: str | None
    tutoriel: str | None
    cree_le: datetime
    termine_le: datetime | None
    code_verification: str | None
    annulable: bool = Field(description="L'inscription peut encore être annulée")


def _inscription(i: Inscription) -> dict:
    return {
        "id": i.pk,
        "statut": i.statut,
        "session": i.session_id,
        "formation": i.session.action.formation.reference if i.session_id else None,
        "tutoriel": i.tutoriel.slug if i.tutoriel_id else None,
        "cree_le": i.cree_le,
        "termine_le": i.termine_le,
        "code_verification": i.code_verification,
        "annulable": enrolments.cancellable(i),
    }


class ApercuOut(Schema):
    session: int
    formation: str
    prix_ttc_eur: float | None = Field(None, description="0 : gratuite ; vide : non communiqué")
    financements: list[str] = Field(description=", ".join(fmt.FINANCEMENTS))
    publics: list[str] = Field(description="Publics visés par la session")
    avertissement_public: str = Field(
        description="Non vide quand votre public n'est pas visé : l'inscription demande alors "
        "`confirmer_hors_public=true`"
    )
    liste_attente: bool = Field(description="La session est complète : liste d'attente")
    refus: str = Field(description="Pourquoi l'inscription est impossible (vide : possible)")


@router.get(
    "/sessions/{session_id}/inscription",
    response=ApercuOut,
    auth=session_auth,
    summary="Avant de s'inscrire : prix, financements, public, places",
)
def enrolment_preview(request, session_id: int):
    session = (
        Session.objects.select_related("action__formation")
        .filter(pk=session_id, action__formation__publiee=True)
        .first()
    )
    if session is None:
        raise Http404
    apercu = enrolments.preview(request.auth, session)
    action = session.action
    return {
        "session": session.pk,
        "formation": action.formation.reference,
        "prix_ttc_eur": search.euros(action.prix_ttc_centimes),
        "financements": action.financements,
        "publics": action.publics,
        "avertissement_public": (
            apercu.avertissement_public.capitalize() + "." if apercu.avertissement_public else ""
        ),
        "liste_attente": apercu.liste_attente,
        "refus": apercu.refus.capitalize() + "." if apercu.refus else "",
    }


@router.post(
    "/sessions/{session_id}/inscriptions",
    response={201: InscriptionOut},
    auth=session_auth,
    summary="S'inscrire à une session",
    description=(
        "Une place s'il en reste, sinon la liste d'attente (`statut`). Une seule session "
        "d'une même formation à la fois (422 sinon). Quand la session ne vise pas votre public, "
        "réponse 422 sauf avec `confirmer_hors_public=true`. Un courriel vous est envoyé, avec "
        "la session au format iCalendar, et l'organisme de formation est prévenu."
    ),
)
def enrol(request, session_id: int, confirmer_hors_public: bool = False):
    try:
        inscription = enrolments.enrol(
            request.auth, session_id, outside_audience_confirmed=confirmer_hors_public
        )
    except Session.DoesNotExist as error:
        raise Http404 from error
    return Status(201, _inscription(inscription))


@router.get(
    "/inscriptions", response=list[InscriptionOut], auth=session_auth, summary="Mes inscriptions"
)
@paginate(Pagination, page_size=20)
def my_enrolments(request):
    return Rows(enrolments.enrolments_of(request.auth), _inscription)


def _visible_inscription(request, pk: int) -> Inscription:
    inscription = (
        Inscription.objects.select_related("session__action__formation", "tutoriel")
        .filter(pk=pk)
        .first()
    )
    if inscription is None or not permissions.can_see_inscription(request.auth, inscription):
        raise Http404
    return inscription


@router.delete("/inscriptions/{pk}", response=InscriptionOut, auth=session_auth, summary="Annuler")
def cancel(request, pk: int):
    inscription = _visible_inscription(request, pk)
    return _inscription(enrolments.cancel(request.auth, inscription))


@router.post(
    "/inscriptions/{pk}/validation",
    response=InscriptionOut,
    auth=session_auth,
    summary="Valider l'achèvement (organisme de formation ou opérateur)",
)
def validate(request, pk: int):
    inscription = _visible_inscription(request, pk)
    if not permissions.can_manage_session(request.auth, inscription.session):
        raise PermissionDenied
    return _inscription(completions.complete_session(request.auth, inscription))


class Participant(Schema):
    email: texte(254, description="Adresse du compte de l'apprenant")
    code: texte(9, description="Code d'apprenant, donné par l'apprenant")


@router.post(
    "/sessions/{session_id}/achevements",
    response={201: InscriptionOut},
    auth=session_auth,
    summary="Déclarer l'achèvement d'un participant (organisme de formation ou opérateur)",
)
def declare(request, session_id: int, payload: Participant):
    """For a session that has started: a learner who followed it without enrolling on the
    platform gives the organisation their e-mail and learner code (from their space)."""
    session = Session.objects.select_related("action__formation").filter(pk=session_id).first()
    if session is None or not permissions.can_manage_session(request.auth, session):
        raise Http404
    inscription = completions.record_attendance(request.auth, session, payload.email, payload.code)
    return Status(201, _inscription(inscription))


class AttestationOut(Schema):
    code: str
    nom: str
    intitule: str
    nature: str
    organisme: str
    termine_le: datetime
    duree_heures: int | None


@router.get("/attestations/{code}", response=AttestationOut, summary="Vérifier une attestation")
def verify(request, code: texte(40)):
    attestation = certificates.find_attestation(code)
    if attestation is None:
        raise Http404
    return attestation.__dict__


class MembreIn(Schema):
    email: texte(254, description="Adresse du compte à rattacher")


class MembreOut(Schema):
    email: str
    nom: str


class MembresOut(Schema):
    organisme: str
    siret: str
    ajoute: bool = Field(False, description="La personne vient d'être rattachée")
    membres: list[MembreOut]


def _managed_organisation(request, siret: str) -> OrganismeFormation:
    if not permissions.can_manage_members(request.auth):
        raise PermissionDenied
    organisme = OrganismeFormation.objects.filter(siret=siret).first()
    if organisme is None:
        raise Http404
    return organisme


def _members(organisme: OrganismeFormation, added: bool = False) -> dict:
    return {
        "organisme": organisme.nom,
        "siret": organisme.siret,
        "ajoute": added,
        "membres": [
            {"email": m.email, "nom": f"{m.first_name} {m.last_name}".strip()}
            for m in organisations.members(organisme)
        ],
    }


@router.get(
    "/organismes/{siret}/membres",
    response=MembresOut,
    auth=session_auth,
    summary="Membres d'un organisme de formation (opérateurs)",
)
def list_members(request, siret: texte(14)):
    return _members(_managed_organisation(request, siret))


@router.post(
    "/organismes/{siret}/membres",
    response={200: MembresOut, 201: MembresOut},
    auth=session_auth,
    summary="Rattacher un compte à un organisme de formation (opérateurs)",
)
def add_member(request, siret: texte(14), payload: MembreIn):
    """The account then manages the organisation's sessions and records completions. 201
    when added, 200 when already a member."""
    organisme = _managed_organisation(request, siret)
    _, added = organisations.add_member_by_email(organisme, payload.email, request.auth)
    return Status(201 if added else 200, _members(organisme, added))
