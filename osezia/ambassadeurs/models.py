"""The ambassadors' network: profiles (and applications), company requests routed to them,
every assignment and status change, the activity log and the messages of the contact form.

Invariants are database constraints: codes from `referentiels/codes.py`, statuses from their
`TextChoices`, a capacity of at least one, one profile per account. Rows are written by
`services/` only."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from osezia.referentiels import codes
from osezia.referentiels.contraintes import choices_constraint, code_constraint
from osezia.referentiels.models import Departement, Naf, Region

MAX_CAPACITE = 200
MAX_PRESENTATION = 1000
MAX_MESSAGE = 2000


class StatutAmbassadeur(models.TextChoices):
    CANDIDATURE = "candidature", "Candidature à valider"
    ACTIF = "actif", "Actif"
    REFUSE = "refuse", "Candidature refusée"
    INACTIF = "inactif", "Inactif"


class Ambassadeur(models.Model):
    Statut = StatutAmbassadeur

    id_externe = models.CharField("identifiant", max_length=120, unique=True)
    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ambassadeur",
    )
    prenom = models.CharField("prénom", max_length=100)
    nom = models.CharField(max_length=100)
    # Never shown in public (directory, API, public page): the contact form writes to it.
    email = models.EmailField("adresse électronique")
    type_ambassadeur = models.CharField(
        "type", max_length=20, choices=codes.choices("type_ambassadeur")
    )
    reseau = models.CharField("réseau", max_length=30, choices=codes.choices("reseau"))
    # Empty: every region / every sector.
    regions = models.ManyToManyField(Region, blank=True, related_name="ambassadeurs")
    naf = models.ManyToManyField(Naf, blank=True, related_name="ambassadeurs")
    capacite_mensuelle = models.PositiveSmallIntegerField("capacité mensuelle", default=5)
    presentation = models.TextField("présentation", blank=True, max_length=MAX_PRESENTATION)
    langues = models.CharField("langues parlées", max_length=200, default="français")
    structure = models.CharField("structure", max_length=200, blank=True)
    statut = models.CharField(max_length=12, choices=Statut.choices, default=Statut.ACTIF)
    motif_refus = models.CharField(max_length=500, blank=True)
    decide_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["nom", "prenom", "id_externe"]
        indexes = [models.Index(fields=["statut", "type_ambassadeur", "reseau"])]
        constraints = [
            code_constraint("type_ambassadeur", "type_ambassadeur", "ambassadeur_type_connu"),
            code_constraint("reseau", "reseau", "ambassadeur_reseau_connu"),
            choices_constraint("statut", StatutAmbassadeur, "ambassadeur_statut_connu"),
            models.CheckConstraint(
                condition=Q(capacite_mensuelle__gte=1, capacite_mensuelle__lte=MAX_CAPACITE),
                name="ambassadeur_capacite_bornee",
                violation_error_message=f"La capacité mensuelle va de 1 à {MAX_CAPACITE}.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prenom} {self.nom}"

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom}"


class StatutDemande(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente d'un ambassadeur"
    ASSIGNEE = "assignee", "Assignée"
    PRISE_EN_CHARGE = "prise_en_charge", "Prise en charge"
    ACCOMPAGNEE = "accompagnee", "Accompagnée"
    SANS_SUITE = "sans_suite", "Sans suite"
    INJOIGNABLE = "injoignable", "Entreprise injoignable"
    PAS_POUR_MOI = "pas_pour_moi", "Pas pour moi"


OPEN_STATUSES = (StatutDemande.ASSIGNEE, StatutDemande.PRISE_EN_CHARGE)
CLOSED_STATUSES = (StatutDemande.ACCOMPAGNEE, StatutDemande.SANS_SUITE, StatutDemande.INJOIGNABLE)


class SourceDemande(models.TextChoices):
    ESPACE = "espace", "Espace entreprise"
    DIAGNOSTIC = "diagnostic", "Résultats du diagnostic"
    API = "api", "API"
    IMPORT = "import", "Import"


class Demande(models.Model):
    """A company's request « Être accompagné par un ambassadeur »."""

    Statut = StatutDemande

    entreprise = models.ForeignKey(
        "entreprises.Entreprise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demandes_ambassadeur",
    )
    demandeur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demandes_ambassadeur",
    )
    siret = models.CharField("SIRET", max_length=14, blank=True)
    naf = models.ForeignKey(Naf, on_delete=models.PROTECT, related_name="+")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    effectif = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField(max_length=MAX_MESSAGE, blank=True)
    email = models.EmailField("adresse électronique de contact")
    source = models.CharField(max_length=12, choices=SourceDemande.choices)
    statut = models.CharField(max_length=16, choices=Statut.choices, default=Statut.ASSIGNEE)
    ambassadeur = models.ForeignKey(
        Ambassadeur, on_delete=models.PROTECT, null=True, blank=True, related_name="demandes"
    )
    rang = models.PositiveSmallIntegerField(null=True, blank=True)
    motif_routage = models.TextField("raison du choix", blank=True)
    tous_complets = models.BooleanField("tous les ambassadeurs étaient complets", default=False)
    assignee_le = models.DateTimeField(null=True, blank=True)
    echeance_premier_contact = models.DateField(null=True, blank=True)
    relance_le = models.DateTimeField(null=True, blank=True)
    premier_contact_le = models.DateTimeField(null=True, blank=True)
    dans_les_temps = models.BooleanField(null=True, blank=True)
    cloturee_le = models.DateTimeField(null=True, blank=True)
    cree_le = models.DateTimeField()

    class Meta:
        ordering = ["-cree_le", "-pk"]
        indexes = [
            models.Index(fields=["ambassadeur", "statut"]),
            models.Index(fields=["statut", "assignee_le"]),
        ]
        constraints = [
            choices_constraint("statut", StatutDemande, "demande_statut_connu"),
            choices_constraint("source", SourceDemande, "demande_source_connue"),
            models.CheckConstraint(
                condition=Q(siret="") | Q(siret__regex=r"^[0-9]{14}$"),
                name="demande_siret_14_chiffres",
            ),
            models.CheckConstraint(
                condition=Q(statut=StatutDemande.EN_ATTENTE, ambassadeur__isnull=True)
                | (~Q(statut=StatutDemande.EN_ATTENTE) & Q(ambassadeur__isnull=False)),
                name="demande_ambassadeur_sauf_en_attente",
                violation_error_message="Une demande a un ambassadeur, sauf en attente.",
            ),
        ]

    def __str__(self) -> str:
        return f"Demande n° {self.pk}"

    @property
    def ouverte(self) -> bool:
        return self.statut in OPEN_STATUSES


class RaisonFin(models.TextChoices):
    DELAI = "delai", "Pas de premier contact dans le délai"
    TRANSFERT = "transfert", "Transmise à un autre ambassadeur"
    PAS_POUR_MOI = "pas_pour_moi", "Pas pour cet ambassadeur"
    OPERATEUR = "operateur", "Réattribuée par un opérateur"


class Attribution(models.Model):
    """One ambassador's turn on a request: routing's reason, the deadline, how it ended. Its
    increasing id orders assignments (the routing rule's « last assignment »)."""

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="attributions")
    ambassadeur = models.ForeignKey(
        Ambassadeur, on_delete=models.PROTECT, related_name="attributions"
    )
    rang = models.PositiveSmallIntegerField(null=True, blank=True)
    motif = models.TextField(blank=True)
    debut = models.DateTimeField()
    echeance = models.DateField()
    fin = models.DateTimeField(null=True, blank=True)
    raison_fin = models.CharField(max_length=14, choices=RaisonFin.choices, blank=True)
    commentaire_fin = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["ambassadeur", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(raison_fin="") | Q(raison_fin__in=RaisonFin.values),
                name="attribution_raison_connue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.demande_id} → {self.ambassadeur_id}"


class HistoriqueStatut(models.Model):
    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="historique")
    avant = models.CharField(max_length=16, blank=True)
    apres = models.CharField(max_length=16, choices=StatutDemande.choices)
    ambassadeur = models.ForeignKey(
        Ambassadeur, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    motif = models.CharField(max_length=500, blank=True)
    le = models.DateTimeField()

    class Meta:
        ordering = ["le", "pk"]
        verbose_name = "changement de statut"

    def __str__(self) -> str:
        return f"{self.demande_id} : {self.avant} → {self.apres}"


class TypeActivite(models.TextChoices):
    EVENEMENT = "evenement", "Événement"
    ATELIER = "atelier", "Atelier"
    RENCONTRE = "rencontre", "Entreprise rencontrée"


class Activite(models.Model):
    """The ambassador's activity log: events, workshops, companies met."""

    Type = TypeActivite

    ambassadeur = models.ForeignKey(Ambassadeur, on_delete=models.CASCADE, related_name="activites")
    type_activite = models.CharField("type", max_length=12, choices=Type.choices)
    titre = models.CharField(max_length=200)
    date = models.DateField()
    lieu = models.CharField(max_length=200)
    participants = models.PositiveIntegerField("participants ou entreprises", default=1)
    description = models.TextField(blank=True, max_length=MAX_MESSAGE)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "activité"
        constraints = [choices_constraint("type_activite", TypeActivite, "activite_type_connu")]

    def __str__(self) -> str:
        return self.titre


class MessageAmbassadeur(models.Model):
    """A message from the public page's contact form, sent on to the ambassador by e-mail."""

    ambassadeur = models.ForeignKey(Ambassadeur, on_delete=models.CASCADE, related_name="messages")
    nom = models.CharField(max_length=150)
    email = models.EmailField()
    message = models.TextField(max_length=MAX_MESSAGE)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = "message à un ambassadeur"

    def __str__(self) -> str:
        return f"{self.nom} → {self.ambassadeur_id}"
