"""Consultations, their pseudonymous participants, proposals, votes and reports.

The invariants are database constraints: one vote per participant and proposal, a
qualification only where its vote allows it, one report per participant and proposal, a
refused proposal has its reason. Counters per proposal are written by the services in the
transaction of each vote (never counted over the votes table when a page is read)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from osezia.referentiels import codes
from osezia.referentiels.contraintes import choices_constraint, code_constraint


class Etat(models.TextChoices):
    A_VENIR = "a_venir", "À venir"
    OUVERTE = "ouverte", "Ouverte"
    CLOSE = "close", "Close"


class Consultation(models.Model):
    slug = models.SlugField("adresse", max_length=80, unique=True)
    question = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    ouverture = models.DateTimeField()
    cloture = models.DateTimeField("clôture")
    # Participants counted when they are created (far rarer than votes).
    participants = models.PositiveIntegerField(default=0)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(cloture__gt=models.F("ouverture")),
                name="consultation_cloture_apres_ouverture",
                violation_error_message="La clôture doit suivre l'ouverture.",
            )
        ]

    def __str__(self) -> str:
        return self.question

    def etat(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.ouverture:
            return Etat.A_VENIR
        return Etat.OUVERTE if now < self.cloture else Etat.CLOSE


class Participant(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE)
    # Public pseudonym: the API's participant_id, the exports' participant column.
    pseudonyme = models.CharField(max_length=32, unique=True)
    # sha256 (hex) of the secret token; null for imported participants (no token).
    jeton_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    compte = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    externe_id = models.CharField(max_length=120, null=True, blank=True)
    tranche_age = models.CharField(max_length=20, blank=True, choices=codes.choices("tranche_age"))
    departement = models.CharField(max_length=3, blank=True)
    region = models.CharField(max_length=3, blank=True)
    profil = models.CharField(
        max_length=20, blank=True, choices=codes.choices("profil_participant")
    )
    # False: the trust rule of docs/consultation.md excluded this participant from the scores.
    fiable = models.BooleanField(default=True)
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "compte"],
                condition=Q(compte__isnull=False),
                name="participant_un_par_compte",
            ),
            models.UniqueConstraint(
                fields=["consultation", "externe_id"],
                condition=Q(externe_id__isnull=False),
                name="participant_externe_unique",
            ),
            code_constraint(
                "tranche_age", "tranche_age", "participant_tranche_age_connue", blank=True
            ),
            code_constraint("profil", "profil_participant", "participant_profil_connu", blank=True),
        ]

    def __str__(self) -> str:
        return self.pseudonyme


class Statut(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente de modération"
    ACCEPTEE = "acceptee", "Acceptée"
    REFUSEE = "refusee", "Refusée"


class Proposition(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE)
    # 140 characters on the platform (checked by the service); imported texts are kept whole.
    texte = models.TextField()
    auteur = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True, blank=True)
    externe_id = models.CharField(max_length=120, null=True, blank=True)
    statut = models.CharField(max_length=12, choices=Statut.choices, default=Statut.EN_ATTENTE)
    motif = models.CharField(max_length=30, blank=True, choices=codes.choices("motif_moderation"))
    modere_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    modere_le = models.DateTimeField(null=True, blank=True)
    signalements = models.PositiveIntegerField(default=0)
    signalements_revus = models.PositiveIntegerField(default=0)
    masquee = models.BooleanField(default=False)
    votes = models.PositiveIntegerField(default=0)
    pour = models.PositiveIntegerField(default=0)
    contre = models.PositiveIntegerField(default=0)
    neutre = models.PositiveIntegerField(default=0)
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["consultation", "statut"])]
        constraints = [
            choices_constraint("statut", Statut, "proposition_statut_connu"),
            models.CheckConstraint(
                condition=(Q(statut=Statut.REFUSEE) & Q(motif__in=codes.codes("motif_moderation")))
                | (~Q(statut=Statut.REFUSEE) & Q(motif="")),
                name="proposition_refus_motive",
                violation_error_message="Un refus porte un motif de la liste, et seul un refus.",
            ),
            models.CheckConstraint(
                condition=Q(votes=models.F("pour") + models.F("contre") + models.F("neutre")),
                name="proposition_compteurs_coherents",
            ),
            models.UniqueConstraint(
                fields=["consultation", "externe_id"],
                condition=Q(externe_id__isnull=False),
                name="proposition_externe_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.texte[:80]


def _qualification_allowed() -> Q:
    allowed = Q(qualification="")
    for vote in codes.codes("vote_consultation"):
        allowed |= Q(vote=vote, qualification__in=codes.qualifications_for(vote))
    return allowed


class Vote(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE)
    proposition = models.ForeignKey(Proposition, on_delete=models.CASCADE)
    vote = models.CharField(max_length=10, choices=codes.choices("vote_consultation"))
    qualification = models.CharField(max_length=30, blank=True)
    cree_le = models.DateTimeField(default=timezone.now)
    modifie_le = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "proposition"], name="vote_un_par_proposition"
            ),
            code_constraint("vote", "vote_consultation", "vote_valeur_connue"),
            models.CheckConstraint(
                condition=_qualification_allowed(),
                name="vote_qualification_permise",
                violation_error_message="Cette qualification ne va pas avec ce vote.",
            ),
        ]
        indexes = [models.Index(fields=["consultation", "participant"])]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.proposition_id} : {self.vote}"


class _ParticipantProposition(models.Model):
    """A participant's mark on a proposal, at most one of its kind per pair."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE)
    proposition = models.ForeignKey(Proposition, on_delete=models.CASCADE)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "proposition"], name="%(class)s_un_par_participant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.proposition_id}"


class Signalement(_ParticipantProposition):
    cree_le = models.DateTimeField(default=timezone.now)


class Affichage(_ParticipantProposition):
    """A proposal shown to a participant in a sequence: never shown to them again."""

    montre_le = models.DateTimeField(default=timezone.now)


class Resultats(models.Model):
    """The results computed by the task after votes (read by pages and the API as stored)."""

    consultation = models.OneToOneField(Consultation, on_delete=models.CASCADE)
    donnees = models.JSONField(default=dict)
    calcule_le = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Résultats de {self.consultation_id}"
