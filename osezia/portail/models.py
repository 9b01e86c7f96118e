"""The site layer's own tables: the messages sent to the operators through the contact page,
and the legal information an operator fills in the back office (shown on the legal pages,
with a visible « à compléter par l'opérateur » until it is)."""

from django.conf import settings
from django.db import models

from osezia.referentiels.contraintes import choices_constraint


class SujetContact(models.TextChoices):
    QUESTION = "question", "Une question sur la plateforme"
    COMPTE = "compte", "Mon compte, ma connexion ou mon mot de passe"
    ACCESSIBILITE = "accessibilite", "Un contenu inaccessible (accessibilité)"
    DONNEES = "donnees", "Mes données personnelles (exercer un droit)"
    SIGNALEMENT = "signalement", "Signaler une erreur ou un contenu"
    PARTENARIAT = "partenariat", "Devenir partenaire du plan"
    AUTRE = "autre", "Autre sujet"


class MessageContact(models.Model):
    """A message to the operators from the contact page (kept for the back office; the
    operators are also e-mailed by a task once it is stored)."""

    Sujet = SujetContact

    nom = models.CharField("prénom et nom", max_length=150)
    email = models.EmailField("adresse électronique")
    sujet = models.CharField(max_length=20, choices=SujetContact.choices)
    message = models.TextField(max_length=3000)
    emetteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="compte de l'émetteur",
    )
    cree_le = models.DateTimeField("reçu le", auto_now_add=True, db_index=True)
    traite = models.BooleanField("traité", default=False)

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = "message de contact"
        verbose_name_plural = "messages de contact"
        constraints = [choices_constraint("sujet", SujetContact, "message_contact_sujet_valide")]

    def __str__(self) -> str:
        return f"{self.get_sujet_display()} — {self.nom}"


class InformationsLegales(models.Model):
    """The one row of legal information (editor, publication director, host, DPO, retention,
    CNIL), edited by the operators in the back office. An empty field is shown on the legal
    pages as « à compléter par l'opérateur », never as a blank."""

    editeur = models.TextField(
        "éditeur", blank=True, help_text="Nom, adresse et SIRET de l'administration éditrice."
    )
    directeur_publication = models.CharField(
        "directeur ou directrice de la publication", max_length=255, blank=True
    )
    hebergeur = models.TextField(
        "hébergeur", blank=True, help_text="Raison sociale, adresse et téléphone de l'hébergeur."
    )
    contact_dpo = models.CharField(
        "contact du délégué à la protection des données",
        max_length=255,
        blank=True,
        help_text="Adresse électronique ou postale du DPO.",
    )
    durees_conservation = models.TextField(
        "durées de conservation",
        blank=True,
        help_text="Par catégorie de données : comptes, diagnostics, messages de contact…",
    )
    mention_cnil = models.TextField(
        "mention CNIL",
        blank=True,
        help_text="Le droit d'introduire une réclamation auprès de la CNIL et, le cas échéant, "
        "les références du registre des traitements.",
    )
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "informations légales"
        verbose_name_plural = "informations légales"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="informations_legales_unique")
        ]

    def __str__(self) -> str:
        return "Informations légales du site"

    @classmethod
    def courantes(cls) -> "InformationsLegales":
        """The row (created empty on first use)."""
        return cls.objects.get_or_create(pk=1)[0]
