"""Reference data shared by every module: NAF rév. 2, geography, the plan's codes.

The rows come from versioned files in `data/` (see data/SOURCES.md) and are loaded by
`services.load_referentiels`, run by a data migration and by `manage.py load_referentiels`.
"""

from django.db import models


class CodeLibelle(models.Model):
    code = models.CharField("code", max_length=40, primary_key=True)
    libelle = models.CharField("libellé", max_length=255)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        abstract = True
        ordering = ["ordre", "code"]

    def __str__(self) -> str:
        return self.libelle


class NiveauNaf(models.TextChoices):
    SECTION = "section", "Section"
    DIVISION = "division", "Division"
    GROUPE = "groupe", "Groupe"
    CLASSE = "classe", "Classe"
    SOUS_CLASSE = "sous_classe", "Sous-classe"


class Naf(models.Model):
    """One code of the NAF rév. 2 at any of its five levels."""

    code = models.CharField("code", max_length=6, primary_key=True)
    libelle = models.CharField("libellé", max_length=255)
    libelle_court = models.CharField("libellé court", max_length=65, blank=True)
    niveau = models.CharField("niveau", max_length=12, choices=NiveauNaf.choices, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="enfants"
    )
    section = models.CharField("section", max_length=1, db_index=True)
    recherche = models.CharField(max_length=400, editable=False)

    class Meta:
        verbose_name = "code NAF"
        verbose_name_plural = "codes NAF"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(niveau__in=NiveauNaf.values), name="naf_niveau_valide"
            ),
            models.CheckConstraint(
                condition=models.Q(niveau=NiveauNaf.SECTION, parent__isnull=True)
                | (~models.Q(niveau=NiveauNaf.SECTION) & models.Q(parent__isnull=False)),
                name="naf_parent_sauf_section",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.libelle}"

    def ancetres(self) -> list["Naf"]:
        """This code and its parents, from itself up to the section."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class Region(CodeLibelle):
    code = models.CharField("code INSEE", max_length=2, primary_key=True)

    class Meta(CodeLibelle.Meta):
        verbose_name = "région"


class Departement(CodeLibelle):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")

    class Meta(CodeLibelle.Meta):
        verbose_name = "département"

    def __str__(self) -> str:
        return f"{self.libelle} ({self.code})"


class FamilleCasUsage(CodeLibelle):
    libelle_court = models.CharField("libellé court", max_length=80)

    class Meta(CodeLibelle.Meta):
        verbose_name = "famille de cas d'usage"
        verbose_name_plural = "familles de cas d'usage"


class Dimension(CodeLibelle):
    libelle_court = models.CharField("libellé court", max_length=80)

    class Meta(CodeLibelle.Meta):
        verbose_name = "dimension de maturité"
        verbose_name_plural = "dimensions de maturité"


class NiveauMaturite(CodeLibelle):
    score_min = models.PositiveSmallIntegerField()
    score_max = models.PositiveSmallIntegerField()

    class Meta(CodeLibelle.Meta):
        verbose_name = "niveau de maturité"
        verbose_name_plural = "niveaux de maturité"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score_min__lte=models.F("score_max")),
                name="niveau_bornes_ordonnees",
            )
        ]


class Public(CodeLibelle):
    class Meta(CodeLibelle.Meta):
        verbose_name = "public de l'Académie"
        verbose_name_plural = "publics de l'Académie"


class CategorieTaille(CodeLibelle):
    definition = models.TextField("définition")

    class Meta(CodeLibelle.Meta):
        verbose_name = "catégorie de taille"
        verbose_name_plural = "catégories de taille"


class TypeAmbassadeur(CodeLibelle):
    class Meta(CodeLibelle.Meta):
        verbose_name = "type d'ambassadeur"
        verbose_name_plural = "types d'ambassadeur"


class ReseauPartenaire(CodeLibelle):
    class Meta(CodeLibelle.Meta):
        verbose_name = "réseau partenaire"
        verbose_name_plural = "réseaux partenaires"


class NiveauRisqueIA(CodeLibelle):
    description = models.TextField()

    class Meta(CodeLibelle.Meta):
        verbose_name = "niveau de risque (AI Act)"
        verbose_name_plural = "niveaux de risque (AI Act)"
