"""Companies registered on the platform."""

from django.db import models

from osezia.referentiels import codes
from osezia.referentiels.contraintes import choices_constraint, code_constraint
from osezia.referentiels.models import Departement, Naf, Region
from osezia.socle.regles import MAX_EFFECTIF, MAX_MONTANT_EUR


class SourceEntreprise(models.TextChoices):
    SAISIE = "saisie", "Saisie par l'entreprise"
    RECHERCHE_ENTREPRISES = "recherche_entreprises", "API Recherche d'entreprises"


class Entreprise(models.Model):
    """A company, identified by its SIREN; NAF sous-classe and size category are derived."""

    Source = SourceEntreprise

    siren = models.CharField("SIREN", max_length=9, unique=True)
    siret = models.CharField("SIRET de l'établissement", max_length=14, blank=True)
    denomination = models.CharField("dénomination", max_length=255)
    naf = models.ForeignKey(
        Naf, on_delete=models.PROTECT, related_name="entreprises", verbose_name="activité (NAF)"
    )
    effectif = models.PositiveIntegerField("effectif (personnes)")
    chiffre_affaires_cents = models.BigIntegerField(
        "chiffre d'affaires (centimes)", null=True, blank=True
    )
    total_bilan_cents = models.BigIntegerField("total de bilan (centimes)", null=True, blank=True)
    categorie_taille = models.CharField(
        "catégorie de taille",
        max_length=3,
        choices=codes.choices("taille", short=True),
        db_index=True,
    )
    taille_estimee = models.BooleanField(
        "catégorie estimée",
        default=False,
        help_text="Vrai quand un chiffre manquant pourrait la changer.",
    )
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="entreprises"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="entreprises")
    adresse = models.CharField("adresse", max_length=255, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    commune = models.CharField("commune", max_length=120, blank=True)
    description = models.TextField("activité décrite par l'entreprise", blank=True, max_length=5000)
    source = models.CharField(max_length=30, choices=Source.choices, default=Source.SAISIE)
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["denomination"]
        indexes = [
            models.Index(fields=["categorie_taille", "region"]),
            models.Index(fields=["naf"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(siren__regex=r"^[0-9]{9}$"), name="entreprise_siren_9_chiffres"
            ),
            models.CheckConstraint(
                condition=models.Q(siret="") | models.Q(siret__regex=r"^[0-9]{14}$"),
                name="entreprise_siret_14_chiffres",
            ),
            code_constraint(
                "categorie_taille",
                "taille",
                "entreprise_categorie_valide",
            ),
            choices_constraint("source", SourceEntreprise, "entreprise_source_valide"),
            models.CheckConstraint(
                condition=models.Q(chiffre_affaires_cents__isnull=True)
                | models.Q(chiffre_affaires_cents__gte=0),
                name="entreprise_ca_positif",
            ),
            models.CheckConstraint(
                condition=models.Q(total_bilan_cents__isnull=True)
                | models.Q(total_bilan_cents__gte=0),
                name="entreprise_bilan_positif",
            ),
            models.CheckConstraint(
                condition=models.Q(effectif__lte=MAX_EFFECTIF), name="entreprise_effectif_borne"
            ),
            models.CheckConstraint(
                condition=models.Q(chiffre_affaires_cents__isnull=True)
                | models.Q(chiffre_affaires_cents__lte=MAX_MONTANT_EUR * 100),
                name="entreprise_ca_borne",
            ),
            models.CheckConstraint(
                condition=models.Q(total_bilan_cents__isnull=True)
                | models.Q(total_bilan_cents__lte=MAX_MONTANT_EUR * 100),
                name="entreprise_bilan_borne",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.denomination} ({self.siren})"

    @property
    def chiffre_affaires_eur(self) -> int | None:
        return None if self.chiffre_affaires_cents is None else self.chiffre_affaires_cents // 100

    @property
    def total_bilan_eur(self) -> int | None:
        return None if self.total_bilan_cents is None else self.total_bilan_cents // 100
