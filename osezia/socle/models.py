"""The kernel's one table: rate-limit counters shared by every worker and machine."""

from django.db import models


class CompteurLimite(models.Model):
    """Calls counted for one action, one key (a person, an address) and one time window.

    Counted with an atomic `UPDATE … SET compte = compte + 1`: the database cache's `incr` is a
    read then a write (two simultaneous calls would count once) and resets the entry's expiry."""

    cle = models.CharField(max_length=120, primary_key=True)
    compte = models.PositiveIntegerField(default=1)
    expire_le = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "compteur de limite"
        verbose_name_plural = "compteurs de limite"

    def __str__(self) -> str:
        return f"{self.cle} = {self.compte}"
