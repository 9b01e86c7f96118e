"""Diagnostic Data IA: experts and their accreditation, declared conflicts of interest, the
regional envelopes of the State's share, the companies' files (requests), their quotes, every
transition and the expert's report.

Invariants are database constraints: statuses and codes from their declarations, bounds of
amounts and days, one open file per company, an envelope never committed beyond its amount.
Rows are written by `services/` only."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from osezia.referentiels import codes
from osezia.referentiels.contraintes import choices_constraint
from osezia.referentiels.models import Region

from . import devis, etats

MAX_TEXTE = 2000
MAX_CAPACITE_JOURS = 90  # per quarter
MAX_ENVELOPPE_EUR = 100_000_000

StatutDemande = models.TextChoices(
    "StatutDemande", [(code.upper(), (code, label)) for code, label in etats.LIBELLES.items()]
)


class StatutExpert(models.TextChoices):
    CANDIDATURE = "candidature", "Candidature à examiner"
    ACCREDITE = "accredite", "Accrédité"
    SUSPENDU = "suspendu", "Accréditation suspendue"


class Expert(models.Model):
    Statut = StatutExpert

    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_data_ia"
    )
    structure = models.CharField("cabinet ou structure", max_length=200, blank=True)
    # The SIREN of the expert's own company: never suggested to it.
    siren = models.CharField("SIREN du cabinet", max_length=9, blank=True)
    familles = models.JSONField("familles de cas d'usage maîtrisées", default=list)
    naf = models.JSONField(
        "secteurs (codes NAF, tout niveau ; vide : tous)", default=list, blank=True
    )
    regions = models.ManyToManyField(Region, blank=True, related_name="experts_data_ia")
    capacite_jours_trimestre = models.PositiveSmallIntegerField(
        "capacité (jours par trimestre)", default=30
    )
    taux_journalier_ht_cents = models.PositiveIntegerField("taux journalier HT (centimes)")
    presentation = models.TextField(blank=True, max_length=MAX_TEXTE)
    statut = models.CharField(max_length=12, choices=Statut.choices, default=Statut.CANDIDATURE)
    accredite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accredite_le = models.DateTimeField(null=True, blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["utilisateur__last_name", "utilisateur__first_name", "pk"]
        constraints = [
            choices_constraint("statut", StatutExpert, "expert_statut_connu"),
            models.CheckConstraint(
                condition=Q(
                    capacite_jours_trimestre__gte=1,
                    capacite_jours_trimestre__lte=MAX_CAPACITE_JOURS,
                ),
                name="expert_capacite_bornee",
                violation_error_message=f"La capacité va de 1 à {MAX_CAPACITE_JOURS} jours par trimestre.",
            ),
            models.CheckConstraint(
                condition=Q(
                    taux_journalier_ht_cents__gte=devis.MIN_TAUX_EUR * 100,
                    taux_journalier_ht_cents__lte=devis.MAX_TAUX_EUR * 100,
                ),
                name="expert_taux_borne",
                violation_error_message=f"Le taux journalier va de {devis.MIN_TAUX_EUR} à {devis.MAX_TAUX_EUR} €.",
            ),
        ]

    def __str__(self) -> str:
        return self.nom_complet

    @property
    def nom_complet(self) -> str:
        return self.utilisateur.get_full_name() or self.utilisateur.email


class ConflitInteret(models.Model):
    """A company the expert declared a tie with (client, relative, shareholder…)."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflits")
    siren = models.CharField("SIREN de l'entreprise", max_length=9)
    motif = models.CharField(max_length=300)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["expert", "siren"], name="conflit_unique")]

    def __str__(self) -> str:
        return f"{self.expert} — SIREN {self.siren}"


class Enveloppe(models.Model):
    """The State's share available in a region for a year, set by operators; `engage_cents`
    is what approved quotes have committed (freed when a committed file is cancelled)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    annee = models.PositiveSmallIntegerField("année")
    montant_cents = models.BigIntegerField("montant (centimes)")
    engage_cents = models.BigIntegerField("engagé (centimes)", default=0)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-annee", "region__libelle"]
        constraints = [
            models.UniqueConstraint(fields=["region", "annee"], name="enveloppe_unique"),
            models.CheckConstraint(
                condition=Q(engage_cents__gte=0, engage_cents__lte=F("montant_cents")),
                name="enveloppe_jamais_depassee",
                violation_error_message="L'enveloppe ne peut pas être engagée au-delà de son montant.",
            ),
            models.CheckConstraint(
                condition=Q(montant_cents__gte=0, montant_cents__lte=MAX_ENVELOPPE_EUR * 100),
                name="enveloppe_montant_borne",
            ),
        ]

    def __str__(self) -> str:
        return f"Enveloppe {self.region_id} {self.annee}"

    @property
    def restant_cents(self) -> int:
        return self.montant_cents - self.engage_cents


class Demande(models.Model):
    """A company's Diagnostic Data IA file, from the request to its closing."""

    Statut = StatutDemande

    entreprise = models.ForeignKey(
        "entreprises.Entreprise", on_delete=models.CASCADE, related_name="demandes_expertise"
    )
    demandeur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    statut = models.CharField(max_length=16, choices=Statut.choices, default=etats.DEMANDEE)
    besoins = models.TextField(max_length=MAX_TEXTE)
    contraintes = models.TextField(max_length=MAX_TEXTE, blank=True)
    # The self-diagnostic shared with the expert, with the company's consent only.
    diagnostic = models.ForeignKey(
        "diagnostics.Diagnostic", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partage_consenti = models.BooleanField("partage de l'autodiagnostic consenti", default=False)
    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, null=True, blank=True, related_name="demandes"
    )
    assigne_le = models.DateTimeField(null=True, blank=True)
    echeance_acceptation = models.DateField(null=True, blank=True)
    accepte_le = models.DateTimeField("acceptée par l'expert le", null=True, blank=True)
    relance_le = models.DateTimeField(null=True, blank=True)
    # Waiting for the regional envelope (FIFO by this date) once the company accepted the quote.
    attente_enveloppe_depuis = models.DateTimeField(null=True, blank=True)
    annee_enveloppe = models.PositiveSmallIntegerField(null=True, blank=True)
    part_etat_engagee_cents = models.BigIntegerField(default=0)
    motif = models.CharField(max_length=40, blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-cree_le", "-pk"]
        indexes = [
            models.Index(fields=["statut", "region"]),
            models.Index(fields=["attente_enveloppe_depuis"]),
        ]
        constraints = [
            choices_constraint("statut", StatutDemande, "demande_expertise_statut_connu"),
            models.UniqueConstraint(
                fields=["entreprise"],
                condition=Q(statut__in=list(etats.OUVERTS)),
                name="expertise_une_demande_ouverte",
                violation_error_message="Votre entreprise a déjà une demande de Diagnostic Data IA en cours.",
            ),
            models.CheckConstraint(
                condition=Q(part_etat_engagee_cents__gte=0), name="demande_expertise_part_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Diagnostic Data IA n° {self.pk}"

    @property
    def libelle_statut(self) -> str:
        return etats.LIBELLES[self.statut]


class Devis(models.Model):
    """The expert's quote; its amounts are computed by `devis.montants`, never typed."""

    demande = models.OneToOneField(Demande, on_delete=models.CASCADE, related_name="devis")
    jours = models.PositiveSmallIntegerField(default=devis.JOURS_PAR_DEFAUT)
    taux_journalier_ht_cents = models.PositiveIntegerField()
    cout_ht_cents = models.BigIntegerField()
    tva_cents = models.BigIntegerField()
    cout_ttc_cents = models.BigIntegerField()
    part_etat_cents = models.BigIntegerField()
    part_entreprise_cents = models.BigIntegerField()
    contenu = models.TextField("contenu de la mission", max_length=MAX_TEXTE, blank=True)
    propose_le = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(jours__gte=devis.MIN_JOURS, jours__lte=devis.MAX_JOURS),
                name="devis_jours_bornes",
            ),
            models.CheckConstraint(
                condition=Q(part_etat_cents__gte=0)
                & Q(part_entreprise_cents=F("cout_ttc_cents") - F("part_etat_cents"))
                & Q(cout_ttc_cents=F("cout_ht_cents") + F("tva_cents")),
                name="devis_parts_exactes",
            ),
        ]

    def __str__(self) -> str:
        return f"Devis du dossier n° {self.demande_id}"

    @property
    def montants(self) -> devis.Montants:
        return devis.montants(self.jours, self.taux_journalier_ht_cents)


MOTIF_CODES = [
    c
    for kind in (etats.MOTIF_REFUS, etats.MOTIF_ANNULATION, etats.MOTIF_DECLIN)
    for c in codes.codes(kind)
] + ["delai_depasse"]


class Transition(models.Model):
    """One move of a file: who (and as which party), when, from, to, why."""

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="transitions")
    de = models.CharField(max_length=16, blank=True)  # empty: the request's creation
    vers = models.CharField(max_length=16)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partie = models.CharField(max_length=12, choices=list(etats.PARTIES.items()))
    motif = models.CharField(max_length=40, blank=True)
    commentaire = models.TextField(max_length=MAX_TEXTE, blank=True)
    le = models.DateTimeField()

    class Meta:
        ordering = ["le", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vers__in=list(etats.LIBELLES)), name="transition_vers_connu"
            ),
            models.CheckConstraint(
                condition=Q(partie__in=list(etats.PARTIES)), name="transition_partie_connue"
            ),
            models.CheckConstraint(
                condition=Q(motif="") | Q(motif__in=MOTIF_CODES), name="transition_motif_connu"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.de or '—'} → {self.vers}"

    @property
    def libelle_vers(self) -> str:
        return etats.LIBELLES[self.vers]

    @property
    def libelle_de(self) -> str:
        return etats.LIBELLES.get(self.de, "")

    @property
    def libelle_motif(self) -> str:
        for kind in (etats.MOTIF_REFUS, etats.MOTIF_ANNULATION, etats.MOTIF_DECLIN):
            if codes.is_code(kind, self.motif):
                return codes.label(kind, self.motif)
        return "délai d'acceptation dépassé" if self.motif == "delai_depasse" else ""


class StatutRapport(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    REMIS = "remis", "Remis à l'entreprise"
    MODIFICATIONS = "modifications", "Modifications demandées"
    VALIDE = "valide", "Validé par l'entreprise"


class Rapport(models.Model):
    demande = models.OneToOneField(Demande, on_delete=models.CASCADE, related_name="rapport")
    contenu = models.JSONField(default=dict)
    statut = models.CharField(
        max_length=14, choices=StatutRapport.choices, default=StatutRapport.BROUILLON
    )
    remis_le = models.DateTimeField(null=True, blank=True)
    valide_le = models.DateTimeField(null=True, blank=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [choices_constraint("statut", StatutRapport, "rapport_statut_connu")]

    def __str__(self) -> str:
        return f"Rapport du dossier n° {self.demande_id}"
