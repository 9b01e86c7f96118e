"""The self-diagnostic: versioned questionnaires and the diagnostics answered against them."""

import uuid

from django.db import models

from osezia.entreprises.models import Entreprise
from osezia.referentiels import codes
from osezia.referentiels.contraintes import choices_constraint, code_constraint
from osezia.referentiels.models import Departement, Dimension, Naf
from osezia.socle.regles import MAX_EFFECTIF, MAX_MONTANT_EUR

from .questionnaire import QUESTION_TYPES

# A question's type, declared by questionnaire.QUESTION_TYPES (the pure engine's list).
TypeQuestion = models.TextChoices(
    "TypeQuestion", [(value.upper(), (value, value)) for value in QUESTION_TYPES]
)


class Questionnaire(models.Model):
    """One version of the questionnaire. A version answered once is frozen: operators publish
    a new version instead, so a past result never changes."""

    version = models.PositiveIntegerField(unique=True)
    titre = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    publie = models.BooleanField("publié", default=False)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.titre} (v{self.version})"


class Etape(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="etapes"
    )
    code = models.CharField(max_length=40)
    titre = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    ordre = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["ordre"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="etape_code_unique")
        ]

    def __str__(self) -> str:
        return self.titre


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    etape = models.ForeignKey(Etape, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=60)
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, null=True, blank=True)
    type = models.CharField(max_length=20, choices=TypeQuestion.choices)
    libelle = models.CharField("libellé", max_length=300)
    aide = models.TextField(blank=True)
    obligatoire = models.BooleanField(default=True)
    max_choix = models.PositiveSmallIntegerField(null=True, blank=True)
    familles_usage = models.JSONField(default=list, blank=True)
    ordre = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["ordre"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="question_code_unique"),
            choices_constraint("type", TypeQuestion, "question_type_valide"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.libelle}"


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(max_length=60)
    libelle = models.CharField("libellé", max_length=300)
    points = models.PositiveSmallIntegerField(default=0)
    familles = models.JSONField(default=dict, blank=True)
    exclusif = models.BooleanField(default=False)
    ordre = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["ordre"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="option_code_unique"),
            models.CheckConstraint(
                condition=models.Q(points__lte=100), name="option_points_max_100"
            ),
        ]

    def __str__(self) -> str:
        return self.libelle


class StatutDiagnostic(models.TextChoices):
    EN_COURS = "en_cours", "En cours"
    TERMINE = "termine", "Terminé"


class Diagnostic(models.Model):
    """One self-diagnostic: the company profile at that time, the answers, the results.

    Anonymous diagnostics carry a secret `jeton` kept in the person's session; they are
    attached to a company when the person registers it."""

    Statut = StatutDiagnostic

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    jeton = models.CharField(max_length=64, unique=True, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="diagnostics"
    )
    entreprise = models.ForeignKey(
        Entreprise, on_delete=models.CASCADE, null=True, blank=True, related_name="diagnostics"
    )
    auteur = models.ForeignKey(
        "comptes.Utilisateur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diagnostics",
    )
    statut = models.CharField(max_length=10, choices=Statut.choices, default=Statut.EN_COURS)
    etape_courante = models.PositiveSmallIntegerField(default=0)
    # The company profile as it was answered.
    naf = models.ForeignKey(Naf, on_delete=models.PROTECT, related_name="+")
    effectif = models.PositiveIntegerField()
    chiffre_affaires_cents = models.BigIntegerField(null=True, blank=True)
    categorie_taille = models.CharField(max_length=3, choices=codes.choices("taille", short=True))
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.TextField(blank=True, max_length=5000)
    reponses = models.JSONField(default=dict, blank=True)
    # Results, computed when the diagnostic is completed (and when it is re-scored).
    score_global = models.PositiveSmallIntegerField(null=True, blank=True)
    niveau = models.CharField(max_length=20, blank=True, choices=codes.choices("niveau"))
    score_strategie = models.PositiveSmallIntegerField(null=True, blank=True)
    score_donnees = models.PositiveSmallIntegerField(null=True, blank=True)
    score_competences = models.PositiveSmallIntegerField(null=True, blank=True)
    score_outils = models.PositiveSmallIntegerField(null=True, blank=True)
    score_usages = models.PositiveSmallIntegerField(null=True, blank=True)
    score_confiance = models.PositiveSmallIntegerField(null=True, blank=True)
    cas_usage = models.JSONField(default=list, blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)
    termine_le = models.DateTimeField(null=True, blank=True)
    recalcule_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-cree_le"]
        indexes = [
            models.Index(fields=["entreprise", "-termine_le"]),
            models.Index(fields=["categorie_taille", "statut"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score_global__isnull=True) | models.Q(score_global__lte=100),
                name="diagnostic_score_borne",
            ),
            code_constraint("categorie_taille", "taille", "diagnostic_taille_valide"),
            code_constraint("niveau", "niveau", "diagnostic_niveau_valide", blank=True),
            choices_constraint("statut", StatutDiagnostic, "diagnostic_statut_valide"),
            models.CheckConstraint(
                condition=models.Q(effectif__lte=MAX_EFFECTIF), name="diagnostic_effectif_borne"
            ),
            models.CheckConstraint(
                condition=models.Q(chiffre_affaires_cents__isnull=True)
                | models.Q(
                    chiffre_affaires_cents__gte=0,
                    chiffre_affaires_cents__lte=MAX_MONTANT_EUR * 100,
                ),
                name="diagnostic_ca_borne",
            ),
        ]

    def __str__(self) -> str:
        return f"Diagnostic {self.uuid} ({self.get_statut_display()})"

    # One score field per dimension, named after its code.
    DIMENSION_FIELDS = {d: f"score_{d.lower()}" for d in codes.codes("dimension")}

    @property
    def dimensions(self) -> dict[str, int] | None:
        if self.score_global is None:
            return None
        return {d: getattr(self, f) for d, f in self.DIMENSION_FIELDS.items()}
