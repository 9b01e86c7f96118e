"""The solutions catalogue: providers, solutions, their moderated versions and history."""

import hashlib

from django.conf import settings
from django.db import models

from osezia.referentiels.contraintes import choices_constraint


class Fournisseur(models.Model):
    """A provider organisation (identified by its SIREN)."""

    siren = models.CharField("SIREN", max_length=9, unique=True)
    nom = models.CharField(max_length=255)
    site_web = models.URLField(blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)
    membres = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="fournisseurs", blank=True
    )

    class Meta:
        ordering = ["nom"]
        verbose_name = "fournisseur"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(siren__regex=r"^[0-9]{9}$"), name="fournisseur_siren_9_chiffres"
            )
        ]

    def __str__(self) -> str:
        return self.nom


class Solution(models.Model):
    """A solution: its identity, the version online (if any) and the one being worked on."""

    id_externe = models.CharField(max_length=120, unique=True)
    fournisseur = models.ForeignKey(Fournisseur, on_delete=models.PROTECT, related_name="solutions")
    version_publiee = models.OneToOneField(
        "VersionSolution", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version_en_cours = models.OneToOneField(
        "VersionSolution", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retiree = models.BooleanField("retirée du catalogue", default=False)
    vues = models.PositiveIntegerField(default=0)
    contacts = models.PositiveIntegerField(default=0)
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id_externe"]
        indexes = [models.Index(fields=["fournisseur", "retiree"])]

    def __str__(self) -> str:
        version = self.version_publiee or self.version_en_cours
        return version.nom if version else self.id_externe

    @property
    def est_publiee(self) -> bool:
        return self.version_publiee_id is not None and not self.retiree


class StatutVersion(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SOUMISE = "soumise", "Soumise à la modération"
    PUBLIEE = "publiee", "Publiée"
    REFUSEE = "refusee", "Refusée"
    REMPLACEE = "remplacee", "Remplacée par une version plus récente"


class VersionSolution(models.Model):
    """One version of a solution's content; moderated: brouillon → soumise → publiee | refusee."""

    Statut = StatutVersion

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="versions")
    numero = models.PositiveIntegerField()
    statut = models.CharField(max_length=12, choices=Statut.choices, default=Statut.BROUILLON)
    contenu = models.JSONField()
    nom = models.CharField(max_length=200)
    motif_refus = models.TextField(blank=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=20, default="espace")
    cree_le = models.DateTimeField(auto_now_add=True)
    decide_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["solution", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["solution", "numero"], name="version_numero_unique"),
            choices_constraint("statut", StatutVersion, "version_statut_valide"),
            models.CheckConstraint(
                condition=~models.Q(statut=StatutVersion.REFUSEE) | ~models.Q(motif_refus=""),
                name="refus_avec_motif",
            ),
        ]
        indexes = [models.Index(fields=["statut", "cree_le"])]

    def __str__(self) -> str:
        return f"{self.nom} v{self.numero} ({self.get_statut_display()})"


class EvenementSolution(models.Model):
    """The history of a solution: every change, who made it and when."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="evenements")
    version = models.ForeignKey(
        VersionSolution, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30)
    detail = models.TextField(blank=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-cree_le", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} ({self.cree_le:%Y-%m-%d})"

    @property
    def libelle_action(self) -> str:
        """The action as people read it (« Soumission à la modération », not « soumission »)."""
        from .presentation import action

        return action(self.action)


class StatutDemandeContact(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente d'envoi"
    ENVOYEE = "envoyee", "Transmise au fournisseur"
    ECHEC = "echec", "Échec de l'envoi"


class DemandeContact(models.Model):
    """A company's message to a provider about a solution, e-mailed by a background task."""

    Statut = StatutDemandeContact

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="demandes")
    nom = models.CharField(max_length=150)
    email = models.EmailField()
    entreprise = models.CharField(max_length=255, blank=True)
    message = models.TextField(max_length=3000)
    emetteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    empreinte_ip = models.CharField(max_length=64, db_index=True)
    cree_le = models.DateTimeField(auto_now_add=True, db_index=True)
    statut = models.CharField(max_length=12, choices=Statut.choices, default=Statut.EN_ATTENTE)
    envoye_le = models.DateTimeField(null=True, blank=True)
    # Why the e-mail could not be sent (shown to operators only).
    erreur = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-cree_le"]
        indexes = [models.Index(fields=["statut", "cree_le"])]
        constraints = [
            choices_constraint("statut", StatutDemandeContact, "demande_contact_statut_valide"),
            models.CheckConstraint(
                condition=~models.Q(statut=StatutDemandeContact.ENVOYEE)
                | models.Q(envoye_le__isnull=False),
                name="demande_contact_envoyee_datee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nom} → {self.solution_id}"

    @staticmethod
    def fingerprint(ip: str) -> str:
        return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest()


class JetonAPI(models.Model):
    """A provider's API token (only its hash is stored)."""

    fournisseur = models.ForeignKey(Fournisseur, on_delete=models.CASCADE, related_name="jetons")
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jetons_api"
    )
    nom = models.CharField(max_length=100)
    prefixe = models.CharField(max_length=12)
    empreinte = models.CharField(max_length=64, unique=True)
    cree_le = models.DateTimeField(auto_now_add=True)
    utilise_le = models.DateTimeField(null=True, blank=True)
    revoque = models.BooleanField(default=False)
    revoque_le = models.DateTimeField("révoqué le", null=True, blank=True)
    revoque_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="révoqué par",
    )

    class Meta:
        ordering = ["-cree_le"]

    def __str__(self) -> str:
        return f"{self.nom} ({self.prefixe}…)"

    @staticmethod
    def hash(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()
