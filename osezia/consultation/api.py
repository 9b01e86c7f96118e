"""The consultation's API under /api/v1/consultations (contract of docs/consultation.md).

A participant is named by the `X-Participant: <jeton>` header (the token given once by
`POST /{slug}/participants`), or by a logged-in account's session (CSRF token required on
writes). Rate limits are the consultation's own (per participant and per address, see
`CONSULTATION_LIMITES`), not the API's per-address anonymous limit: a whole school or mobile
network takes part from one address."""

from datetime import datetime
from typing import Literal

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.utils import check_csrf

from osezia.socle.api_security import CSRF_REFUSED, session_auth
from osezia.socle.client import client_ip
from osezia.socle.pagination import Pagination

from . import permissions
from .models import Consultation, Participant, Proposition
from .services import donnees, participation, resultats

router = Router(tags=["Consultation citoyenne"], throttle=[])

UNKNOWN_PARTICIPANT = (
    "Participant inconnu : créez-en un avec POST /api/v1/consultations/{slug}/participants "
    "puis envoyez son jeton dans l'en-tête X-Participant (ou connectez-vous)."
)
UNKNOWN_TOKEN = "Jeton de participant inconnu pour cette consultation (en-tête X-Participant)."  # noqa: S105 - a message


def _consultation(slug: str) -> Consultation:
    if len(slug) > 80:
        raise Http404
    return get_object_or_404(Consultation, slug=slug)


def _participant(request, consultation: Consultation, create: bool = True) -> Participant:
    token = request.headers.get("X-Participant")
    if token:
        found = participation.participant_for_token(consultation, token.strip())
        if found is None:
            raise HttpError(401, UNKNOWN_TOKEN)
        return found
    user = request.user
    if user.is_authenticated:
        if request.method not in ("GET", "HEAD", "OPTIONS") and check_csrf(request):
            raise HttpError(403, CSRF_REFUSED)
        found = participation.participant_for_account(
            consultation, user, client_ip(request), create=create
        )
        if found is not None:
            return found
    raise HttpError(401, UNKNOWN_PARTICIPANT.format(slug=consultation.slug))


class ParticipantIn(Schema):
    tranche_age: str = Field("", description="Code de tranche d'âge (referentiels)")
    departement: str = Field("", description="Code INSEE du département")
    profil: str = Field("", description="citoyen, entreprise, association, administration, autre")


class ParticipantOut(Schema):
    participant_id: str = Field(description="Identifiant pseudonyme public")
    jeton: str = Field(description="Secret à envoyer dans l'en-tête X-Participant")


@router.post(
    "/{slug}/participants",
    response={201: ParticipantOut},
    summary="Devenir participant (pseudonyme, sans compte)",
)
def create_participant(request, slug: str, payload: ParticipantIn | None = None):
    consultation = _consultation(slug)
    payload = payload or ParticipantIn()
    participant, token = participation.create_participant(
        consultation,
        client_ip(request),
        tranche_age=payload.tranche_age,
        departement=payload.departement,
        profil=payload.profil,
    )
    return Status(201, {"participant_id": participant.pseudonyme, "jeton": token})


class ConsultationOut(Schema):
    slug: str
    question: str
    ouverture: datetime
    cloture: datetime
    etat: Literal["a_venir", "ouverte", "close"]
    propositions: int = Field(description="Propositions acceptées et visibles")
    participants: int
    votes: int


@router.get("/{slug}", response=ConsultationOut, summary="Une consultation et ses compteurs")
def consultation_detail(request, slug: str):
    return participation.summary(_consultation(slug))


class PropositionIn(Schema):
    texte: str = Field(
        description="Une phrase de 140 caractères au plus, commençant par « Il faut »"
    )


class PropositionOut(Schema):
    id: int
    texte: str
    statut: str


@router.post(
    "/{slug}/propositions",
    response={201: PropositionOut},
    summary="Proposer (soumis à modération)",
)
def create_proposition(request, slug: str, payload: PropositionIn):
    consultation = _consultation(slug)
    participant = _participant(request, consultation)
    proposition = participation.propose(consultation, participant, payload.texte)
    return Status(201, proposition)


class PropositionItem(Schema):
    id: int
    texte: str
    votes: int


@router.get(
    "/{slug}/propositions",
    response=list[PropositionItem],
    summary="Propositions acceptées (les plus récentes d'abord)",
)
@paginate(Pagination, page_size=20)
def list_propositions(request, slug: str):
    return participation.accepted(_consultation(slug)).order_by("-cree_le", "-pk")


class SimilarItem(Schema):
    id: int
    texte: str
    score: float


class SimilarOut(Schema):
    items: list[SimilarItem] = Field(max_length=participation.SIMILAR_LIMIT)


@router.get(
    "/{slug}/propositions/similaires",
    response=SimilarOut,
    summary="Propositions acceptées proches d'un texte (10 au plus)",
)
def similar_propositions(request, slug: str, texte: str = ""):
    consultation = _consultation(slug)
    return {"items": participation.similar(consultation, texte, client_ip(request))}


class SequenceItem(Schema):
    id: int
    texte: str


class SequenceOut(Schema):
    items: list[SequenceItem] = Field(max_length=participation.SEQUENCE_SIZE)


@router.get(
    "/{slug}/sequence",
    response=SequenceOut,
    summary="Les prochaines propositions à voter (12 au plus)",
)
def sequence(request, slug: str):
    consultation = _consultation(slug)
    participant = _participant(request, consultation)
    return {"items": participation.next_sequence(consultation, participant)}


class VoteIn(Schema):
    proposition: int
    vote: str = Field(description="pour, contre ou neutre")
    qualification: str = Field("", description="Qualification optionnelle, selon le vote")


class VoteOut(Schema):
    proposition: int
    vote: str
    qualification: str


@router.post(
    "/{slug}/votes",
    response={200: VoteOut, 201: VoteOut},
    summary="Voter (un second vote remplace le premier)",
)
def vote(request, slug: str, payload: VoteIn):
    # The hot path: a token names the participant and its consultation in one query.
    participant = participation.participant_for_slug_and_token(
        slug, request.headers.get("X-Participant")
    )
    if participant is not None:
        consultation = participant.consultation
    else:
        consultation = _consultation(slug)
        participant = _participant(request, consultation)
    result = participation.cast_vote(
        consultation,
        participant,
        payload.proposition,
        payload.vote,
        payload.qualification,
        address=client_ip(request),
    )
    return Status(201 if result.created else 200, result)


class SignalementIn(Schema):
    proposition: int


class SignalementOut(Schema):
    proposition: int
    nouveau: bool


@router.post(
    "/{slug}/signalements",
    response=SignalementOut,
    summary="Signaler une proposition (masquée à 3 signalements, jusqu'à revue)",
)
def report(request, slug: str, payload: SignalementIn):
    consultation = _consultation(slug)
    participant = _participant(request, consultation)
    new = participation.report(consultation, participant, payload.proposition)
    return {"proposition": payload.proposition, "nouveau": new}


@router.get(
    "/{slug}/resultats",
    summary="Résultats : propositions (zones, score, controverse) et groupes d'opinion",
)
def results(request, slug: str, segments: bool = False):
    """As stored by the last computation (recomputed by a task shortly after votes, never on
    a read). `?segments=true` adds the figures by age bracket, region and kind."""
    consultation = _consultation(slug)
    donnees = resultats.stored(consultation)
    answer = {
        "propositions": donnees["propositions"],
        "groupes": donnees["groupes"],
        "compteurs": donnees.get("compteurs", {}),
        "calcule_le": resultats.computed_at(consultation),
    }
    if segments:
        answer["segments"] = donnees.get("segments", {})
    return answer


def _export(request, slug: str, name: str):
    consultation = _consultation(slug)
    try:
        content_type, filename, chunks = donnees.open_data_for(
            consultation, name, client_ip(request)
        )
    except KeyError:
        raise Http404 from None
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get(
    "/{slug}/export/polis/{name}",
    summary="Export compatible Pol.is : comments.csv, votes.csv, participants-votes.csv",
)
def export_polis(request, slug: str, name: str):
    return _export(request, slug, f"polis/{name}")


@router.get(
    "/{slug}/export/{name}",
    summary="Données ouvertes (Licence Ouverte 2.0) : propositions et votes, CSV ou Parquet",
)
def export(request, slug: str, name: str):
    return _export(request, slug, name)


# Moderation (operators) -----------------------------------------------------------------------


class ModerationItem(Schema):
    id: int
    texte: str
    statut: str
    masquee: bool
    signalements: int
    cree_le: datetime


class DecisionIn(Schema):
    decision: Literal["acceptee", "refusee"]
    motif: str = Field("", description="Motif du refus (liste motif_moderation)")


def _operator(request):
    if not permissions.may_moderate(request.auth):
        raise Http404
    return request.auth


@router.get(
    "/{slug}/moderation",
    response=list[ModerationItem],
    auth=session_auth,
    summary="File de modération (opérateurs) : en attente, puis masquées après signalements",
)
@paginate(Pagination, page_size=20)
def moderation_queue(request, slug: str):
    operator = _operator(request)
    return participation.moderation_rows(_consultation(slug), operator)


@router.post(
    "/{slug}/propositions/{proposition_id}/moderation",
    response=PropositionOut,
    auth=session_auth,
    summary="Accepter ou refuser une proposition en attente, republier ou retirer une "
    "proposition masquée après signalements (opérateurs)",
)
def moderate(request, slug: str, proposition_id: int, payload: DecisionIn):
    operator = _operator(request)
    consultation = _consultation(slug)
    proposition = get_object_or_404(Proposition, pk=proposition_id, consultation=consultation)
    return participation.decide(proposition.pk, operator, payload.decision, payload.motif)
