"""Business meetings: events and their slots, registrations, interests, scheduling runs,
meetings (with their check-in and feedback).

Invariants are database constraints (codes from `referentiels/codes.py`, statuses from their
`TextChoices`, one registration per account and event, one interest per ordered pair, a pair
met once per event, one table per slot). Rows are written by `services/` only."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from osezia.referentiels import codes
from osezia.referentiels.contraintes import choices_constraint, code_constraint
from osezia.referentiels.models import Region

DUREES_RDV = (15, 20, 30)
MAX_TABLES = 500
MAX_CAPACITE = 5000
MAX_PRESENTATION = 1000
MAX_MESSAGE = 500


class TypeEvenement(models.TextChoices):
    RENCONTRE = "rencontre", "Rencontre d'affaires régionale"
    AI_BUSINESS_DAY = "ai_business_day", "AI Business Day"


class Evenement(models.Model):
    Type = TypeEvenement

    titre = models.CharField(max_length=200)
    type_evenement = models.CharField(
        "type", max_length=20, choices=TypeEvenement.choices, default=TypeEvenement.RENCONTRE
    )
    organisme = models.CharField(
        "organisateur", max_length=20, choices=codes.choices("organisateur_rencontre")
    )
    organisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evenements_organises"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="evenements"
    )
    lieu = models.CharField("lieu", max_length=255, blank=True)
    en_ligne = models.BooleanField("en ligne", default=False)
    description = models.TextField(blank=True, max_length=3000)
    date = models.DateField()
    duree_rdv = models.PositiveSmallIntegerField("durée d'un rendez-vous (minutes)", default=20)
    # [["09:00", "12:00"], ["14:00", "17:00"]]: the sessions; the gaps between them are breaks
    sessions = models.JSONField("sessions", default=list)
    tables = models.PositiveIntegerField("nombre de tables", default=20)
    salles = models.PositiveSmallIntegerField("nombre de salles", default=1)
    ouverture_inscriptions = models.DateField("ouverture des inscriptions")
    cloture_inscriptions = models.DateField("clôture des inscriptions")
    capacite = models.PositiveIntegerField("capacité (participants)", default=100)
    agenda_publie_le = models.DateTimeField(null=True, blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = "rencontre d'affaires"
        verbose_name_plural = "rencontres d'affaires"
        constraints = [
            choices_constraint("type_evenement", TypeEvenement, "evenement_type_valide"),
            code_constraint("organisme", "organisateur_rencontre", "evenement_organisme_valide"),
            models.CheckConstraint(
                condition=Q(duree_rdv__in=DUREES_RDV),
                name="evenement_duree_valide",
                violation_error_message="Un rendez-vous dure 15, 20 ou 30 minutes.",
            ),
            models.CheckConstraint(
                condition=Q(tables__gte=1, tables__lte=MAX_TABLES),
                name="evenement_tables_bornees",
            ),
            models.CheckConstraint(
                condition=Q(cloture_inscriptions__gte=F("ouverture_inscriptions")),
                name="evenement_inscriptions_ordonnees",
            ),
        ]

    def __str__(self):
        return self.titre

    @property
    def national(self) -> bool:
        return self.type_evenement == TypeEvenement.AI_BUSINESS_DAY


class Creneau(models.Model):
    evenement = models.ForeignKey(Evenement, on_delete=models.CASCADE, related_name="creneaux")
    numero = models.PositiveSmallIntegerField()
    debut = models.DateTimeField()
    fin = models.DateTimeField()

    class Meta:
        ordering = ["evenement", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["evenement", "numero"], name="creneau_unique"),
            models.CheckConstraint(condition=Q(fin__gt=F("debut")), name="creneau_ordonne"),
        ]

    def __str__(self):
        return self.ident

    @property
    def ident(self) -> str:
        return f"C{self.numero:02d}"


class TypeParticipant(models.TextChoices):
    ENTREPRISE = "entreprise", "Entreprise"
    FOURNISSEUR = "fournisseur", "Fournisseur de solutions d'IA"


class Inscription(models.Model):
    Type = TypeParticipant

    evenement = models.ForeignKey(Evenement, on_delete=models.CASCADE, related_name="inscriptions")
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inscriptions_rencontres"
    )
    type_participant = models.CharField(max_length=20, choices=TypeParticipant.choices)
    entreprise = models.ForeignKey(
        "entreprises.Entreprise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inscriptions_rencontres",
    )
    organisation = models.CharField("organisation", max_length=255)
    secteur = models.CharField("secteur (section NAF)", max_length=1, blank=True)
    taille = models.CharField("catégorie de taille", max_length=3, blank=True)
    familles = models.JSONField("familles de cas d'usage", default=list)
    presentation = models.TextField(
        "ce que vous cherchez ou proposez", max_length=MAX_PRESENTATION, blank=True
    )
    disponibilites = models.ManyToManyField(Creneau, related_name="inscriptions", blank=True)
    max_rdv = models.PositiveSmallIntegerField("rendez-vous au plus", default=6)
    code_emargement = models.CharField(max_length=16, unique=True)
    present_le = models.DateTimeField(null=True, blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evenement", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["evenement", "utilisateur"], name="inscription_unique"),
            choices_constraint("type_participant", TypeParticipant, "inscription_type_valide"),
            code_constraint("taille", "taille", "inscription_taille_valide", blank=True),
        ]

    def __str__(self):
        return self.organisation

    @property
    def ident(self) -> str:
        prefixe = "E" if self.type_participant == TypeParticipant.ENTREPRISE else "F"
        return f"{prefixe}{self.pk}"


class ReponseDemande(models.TextChoices):
    SANS_DEMANDE = "", "Sans message"
    EN_ATTENTE = "en_attente", "En attente"
    ACCEPTEE = "acceptee", "Acceptée"
    DECLINEE = "declinee", "Déclinée"


class Interet(models.Model):
    Reponse = ReponseDemande

    de = models.ForeignKey(Inscription, on_delete=models.CASCADE, related_name="interets_emis")
    vers = models.ForeignKey(Inscription, on_delete=models.CASCADE, related_name="interets_recus")
    niveau = models.CharField(max_length=10, choices=codes.choices("interet_rencontre"))
    message = models.CharField(max_length=MAX_MESSAGE, blank=True)
    reponse = models.CharField(max_length=12, choices=ReponseDemande.choices, blank=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["de", "vers"], name="interet_unique"),
            models.CheckConstraint(condition=~Q(de=F("vers")), name="interet_pas_soi_meme"),
            code_constraint("niveau", "interet_rencontre", "interet_niveau_valide"),
            choices_constraint("reponse", ReponseDemande, "interet_reponse_valide"),
        ]

    def __str__(self):
        return f"{self.de} → {self.vers} ({self.niveau})"

    @property
    def poids(self) -> int:
        return int(codes.field("interet_rencontre", "poids")[self.niveau])


class StatutPlanification(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours"
    TERMINEE = "terminee", "Terminée"
    ECHEC = "echec", "Échec"


class Planification(models.Model):
    """One run of the scheduler on an event (the result shown to the organiser)."""

    Statut = StatutPlanification

    evenement = models.ForeignKey(
        Evenement, on_delete=models.CASCADE, related_name="planifications"
    )
    lancee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    statut = models.CharField(
        max_length=12, choices=StatutPlanification.choices, default=StatutPlanification.EN_ATTENTE
    )
    progression = models.PositiveSmallIntegerField(default=0)
    etape = models.CharField(max_length=200, blank=True)
    objectif = models.FloatField(null=True, blank=True)
    borne = models.FloatField(null=True, blank=True)
    optimal = models.BooleanField(default=False)
    duree_s = models.FloatField(null=True, blank=True)
    rdv_min = models.PositiveIntegerField(null=True, blank=True)
    rdv_median = models.FloatField(null=True, blank=True)
    rdv_max = models.PositiveIntegerField(null=True, blank=True)
    glouton = models.FloatField(null=True, blank=True)
    message = models.TextField(blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)
    terminee_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-cree_le", "-pk"]
        constraints = [
            choices_constraint("statut", StatutPlanification, "planification_statut_valide")
        ]

    def __str__(self):
        return f"Planification {self.pk} ({self.statut})"

    @property
    def ecart_pct(self) -> float | None:
        if self.objectif is None or not self.borne:
            return None
        return round(100 * (self.borne - self.objectif) / self.borne, 2)


class RendezVous(models.Model):
    evenement = models.ForeignKey(Evenement, on_delete=models.CASCADE, related_name="rendez_vous")
    a = models.ForeignKey(Inscription, on_delete=models.CASCADE, related_name="rdv_a")
    b = models.ForeignKey(Inscription, on_delete=models.CASCADE, related_name="rdv_b")
    creneau = models.ForeignKey(Creneau, on_delete=models.CASCADE, related_name="rendez_vous")
    table = models.PositiveIntegerField()
    verrouille = models.BooleanField("verrouillé", default=False)
    annule = models.BooleanField("annulé", default=False)
    uid = models.UUIDField(default=uuid.uuid4, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    tenu = models.BooleanField("tenu", null=True, blank=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["creneau__numero", "table"]
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        constraints = [
            models.UniqueConstraint(fields=["evenement", "a", "b"], name="rdv_paire_unique"),
            models.CheckConstraint(condition=Q(a__lt=F("b")), name="rdv_paire_ordonnee"),
            models.UniqueConstraint(
                fields=["creneau", "table"], condition=Q(annule=False), name="rdv_table_unique"
            ),
            models.CheckConstraint(condition=Q(table__gte=1), name="rdv_table_positive"),
        ]

    def __str__(self):
        return f"{self.a} — {self.b}, {self.creneau}, table {self.table}"

    def autre(self, inscription: Inscription) -> Inscription:
        return self.b if inscription.pk == self.a_id else self.a


class Retour(models.Model):
    """A participant's feedback on one meeting (1 to 5, and what follows)."""

    rendez_vous = models.ForeignKey(RendezVous, on_delete=models.CASCADE, related_name="retours")
    auteur = models.ForeignKey(Inscription, on_delete=models.CASCADE, related_name="retours")
    note = models.PositiveSmallIntegerField()
    suite = models.CharField(max_length=20, choices=codes.choices("suite_rendez_vous"))
    commentaire = models.CharField(max_length=MAX_MESSAGE, blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rendez_vous", "auteur"], name="retour_unique"),
            models.CheckConstraint(condition=Q(note__gte=1, note__lte=5), name="retour_note_1_5"),
            code_constraint("suite", "suite_rendez_vous", "retour_suite_valide"),
        ]

    def __str__(self):
        return f"Retour {self.note}/5 ({self.suite})"
