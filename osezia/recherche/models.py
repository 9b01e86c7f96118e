"""The search index's change log: what must be brought up to date in the index.

A row is written in the same transaction as the change it records (a solution published or
withdrawn, a training imported, a tutorial saved), so the log can never miss a committed
change. The applier (`services.apply_pending`) recomputes each logged document from the
database, writes the index, then deletes exactly the rows it applied: a crash at any point
leaves the rows for the next run, which repairs the index.
"""

from django.db import models

DOC_TYPES = ("solution", "formation", "tutoriel")


class ChangementIndex(models.Model):
    """One document to bring up to date (append-only; the applier collapses duplicates)."""

    class Type(models.TextChoices):
        SOLUTION = "solution", "Solution du catalogue"
        FORMATION = "formation", "Formation de l'Académie"
        TUTORIEL = "tutoriel", "Tutoriel de l'Académie"

    type_document = models.CharField("type de document", max_length=20, choices=Type.choices)
    cle = models.CharField("clé", max_length=140)
    cree_le = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "changement à indexer"
        verbose_name_plural = "changements à indexer"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(type_document__in=DOC_TYPES),
                name="changement_index_type_connu",
            ),
            models.CheckConstraint(
                condition=~models.Q(cle=""), name="changement_index_cle_non_vide"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type_document}:{self.cle}"
