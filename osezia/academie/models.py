"""The Académie de l'IA: training organisations, trainings (LHEO: formation > action > session),
tutorials, learning paths, enrolments, and the counter of « professionnels formés »."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from osezia.referentiels.contraintes import choices_constraint, code_constraint

from .format import ETATS_RECRUTEMENT, MODALITES, NIVEAUX_TUTORIEL, PUBLICS

PUBLIC_CHOICES = list(PUBLICS.items())
# A session's recruitment state, declared by format.ETATS_RECRUTEMENT (LHEO's "1"/"2"/"3"
# are mapped at the LHEO boundary).
EtatRecrutement = models.TextChoices(
    "EtatRecrutement",
    [(value.upper(), (value, label)) for value, label in ETATS_RECRUTEMENT.items()],
)
# An action's modality and a tutorial's level, declared by format.MODALITES and
# format.NIVEAUX_TUTORIEL (each column is held to its list by a constraint).
Modalite = models.TextChoices(
    "Modalite", [(value.upper(), (value, label)) for value, label in MODALITES.items()]
)
NiveauTutoriel = models.TextChoices(
    "NiveauTutoriel",
    [(value.upper(), (value, label)) for value, label in NIVEAUX_TUTORIEL.items()],
)


class StatutInscription(models.TextChoices):
    INSCRIT = "inscrit", "Inscrit·e"
    ATTENTE = "attente", "Sur liste d'attente"
    TERMINEE = "terminee", "Terminée"
    ANNULEE = "annulee", "Annulée"


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed


def random_code(groups: int = 3) -> str:
    """« ABCD-EFGH-JKLM »: 20 bits a group, from the system's secure random source."""
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(groups))


def learner_code() -> str:
    return random_code(2)


class OrganismeFormation(models.Model):
    """A training organisation, identified by its SIRET; its members manage its sessions."""

    siret = models.CharField("SIRET", max_length=14, unique=True)
    numero_activite = models.CharField(
        "numéro de déclaration d'activité", max_length=11, blank=True
    )
    nom = models.CharField(max_length=250)
    raison_sociale = models.CharField("raison sociale", max_length=250, blank=True)
    adresse = models.CharField(max_length=250, blank=True)
    code_postal = models.CharField(max_length=5, blank=True)
    ville = models.CharField(max_length=100, blank=True)
    courriel = models.EmailField(blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    membres = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="organismes_formation", blank=True
    )

    class Meta:
        ordering = ["nom"]
        verbose_name = "organisme de formation"
        verbose_name_plural = "organismes de formation"
        constraints = [
            models.CheckConstraint(
                condition=Q(siret__regex=r"^[0-9]{14}$"), name="organisme_siret_14_chiffres"
            )
        ]

    def __str__(self) -> str:
        return self.nom


class Formation(models.Model):
    """A training offer (LHEO `formation`); `reference` is its public identifier."""

    reference = models.CharField("identifiant", max_length=120, unique=True)
    organisme = models.ForeignKey(
        OrganismeFormation, on_delete=models.PROTECT, related_name="formations"
    )
    intitule = models.CharField("intitulé", max_length=255)
    objectifs = models.TextField()
    resultats_attendus = models.TextField("résultats attendus", blank=True)
    contenu = models.TextField()
    certifiante = models.BooleanField(default=False)
    code_rncp = models.CharField("code RNCP", max_length=12, blank=True)
    code_rs = models.CharField("code RS", max_length=12, blank=True)
    niveau_entree = models.CharField("niveau d'entrée (LHEO)", max_length=2, default="0")
    familles = models.JSONField("familles de cas d'usage", default=list, blank=True)
    url = models.CharField(max_length=400, blank=True)
    lheo = models.JSONField("éléments LHEO conservés", default=dict, blank=True)
    publiee = models.BooleanField("publiée", default=True)
    source = models.CharField(max_length=20, default="saisie")
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["intitule"]
        verbose_name = "formation"
        constraints = [
            models.CheckConstraint(
                condition=Q(certifiante=False) | ~Q(code_rncp="") | ~Q(code_rs=""),
                name="formation_certifiante_a_un_code",
            )
        ]

    def __str__(self) -> str:
        return self.intitule


class Action(models.Model):
    """One way of following a training (LHEO `action`): audiences, modality, place, duration,
    price and funding."""

    formation = models.ForeignKey(Formation, on_delete=models.CASCADE, related_name="actions")
    reference = models.CharField(max_length=140)  # the training's (120) + "-A<n>" when derived
    ordre = models.PositiveSmallIntegerField(default=0)
    publics = models.JSONField(default=list)
    codes_public_lheo = models.JSONField(default=list, blank=True)
    modalite = models.CharField("modalité", max_length=10, choices=Modalite.choices)
    adresse = models.CharField(max_length=250, blank=True)
    code_postal = models.CharField(max_length=5, blank=True)
    ville = models.CharField(max_length=100, blank=True)
    departement = models.ForeignKey(
        "referentiels.Departement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(
        "referentiels.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    duree_heures = models.PositiveIntegerField("durée (heures)", null=True, blank=True)
    prix_ttc_centimes = models.PositiveIntegerField("prix TTC (centimes)", null=True, blank=True)
    financements = models.JSONField(default=list, blank=True)
    codes_financeurs_lheo = models.JSONField(default=list, blank=True)
    rythme = models.TextField(blank=True)
    conditions = models.TextField(blank=True)

    class Meta:
        ordering = ["formation", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["formation", "reference"], name="action_unique"),
            choices_constraint("modalite", Modalite, "action_modalite_valide"),
        ]

    def __str__(self) -> str:
        return f"{self.formation} ({self.get_modalite_display()})"


class Session(models.Model):
    """A dated run of an action (LHEO `session`); seats are never oversold: the number taken
    can never exceed the seats (a database constraint), and taking one is a conditional
    update. A session without dates is a permanent entry; without seats, unlimited."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="sessions")
    reference = models.CharField(max_length=140)
    debut = models.DateField("début", null=True, blank=True)
    fin = models.DateField(null=True, blank=True)
    places = models.PositiveIntegerField(null=True, blank=True)
    places_prises = models.PositiveIntegerField(default=0)
    EtatRecrutement = EtatRecrutement
    etat_recrutement = models.CharField(
        max_length=10, choices=EtatRecrutement.choices, default=EtatRecrutement.OUVERT
    )

    class Meta:
        ordering = ["debut", "id"]
        indexes = [models.Index(fields=["debut"])]
        constraints = [
            models.UniqueConstraint(fields=["action", "reference"], name="session_unique"),
            models.CheckConstraint(
                condition=Q(places__isnull=True) | Q(places_prises__lte=F("places")),
                name="session_jamais_surreservee",
            ),
            models.CheckConstraint(
                condition=Q(debut__isnull=True) | Q(fin__isnull=True) | Q(fin__gte=F("debut")),
                name="session_fin_apres_debut",
            ),
            choices_constraint("etat_recrutement", EtatRecrutement, "session_etat_valide"),
        ]

    def __str__(self) -> str:
        return f"{self.action.formation} — {self.debut or 'entrée permanente'}"

    @property
    def places_restantes(self) -> int | None:
        return None if self.places is None else max(0, self.places - self.places_prises)

    @property
    def ouverte(self) -> bool:
        return self.etat_recrutement == EtatRecrutement.OUVERT


class Tutoriel(models.Model):
    """A short free item: text (or a video link), a few minutes, a quiz to complete it."""

    slug = models.SlugField(max_length=60, unique=True)
    titre = models.CharField(max_length=150)
    resume = models.CharField("résumé", max_length=250)
    contenu = models.TextField()
    video_url = models.URLField("lien vidéo", blank=True)
    minutes = models.PositiveSmallIntegerField()
    niveau = models.CharField(max_length=15, choices=NiveauTutoriel.choices)
    publics = models.JSONField(default=list)
    familles = models.JSONField(default=list, blank=True)
    quiz = models.JSONField(default=list)
    publie = models.BooleanField("publié", default=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["titre"]
        verbose_name = "tutoriel"
        constraints = [choices_constraint("niveau", NiveauTutoriel, "tutoriel_niveau_valide")]

    def __str__(self) -> str:
        return self.titre


class Parcours(models.Model):
    """A learning path: ordered tutorials and trainings for one audience."""

    slug = models.SlugField(max_length=80, unique=True)
    titre = models.CharField(max_length=200)
    description = models.TextField()
    public = models.CharField(max_length=20, choices=PUBLIC_CHOICES)
    publie = models.BooleanField("publié", default=True)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordre", "titre"]
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        constraints = [code_constraint("public", "public", "parcours_public")]

    def __str__(self) -> str:
        return self.titre


class EtapeParcours(models.Model):
    parcours = models.ForeignKey(Parcours, on_delete=models.CASCADE, related_name="etapes")
    ordre = models.PositiveSmallIntegerField()
    tutoriel = models.ForeignKey(Tutoriel, on_delete=models.PROTECT, null=True, blank=True)
    formation = models.ForeignKey(Formation, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["parcours", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["parcours", "ordre"], name="etape_ordre_unique"),
            models.CheckConstraint(
                condition=Q(tutoriel__isnull=True, formation__isnull=False)
                | Q(tutoriel__isnull=False, formation__isnull=True),
                name="etape_un_seul_contenu",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parcours} — étape {self.ordre}"


class ProfilApprenant(models.Model):
    """The learner's audience and place, asked once, used for the counter."""

    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profil_apprenant"
    )
    public = models.CharField(max_length=20, choices=PUBLIC_CHOICES)
    departement = models.ForeignKey(
        "referentiels.Departement", on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("referentiels.Region", on_delete=models.PROTECT, related_name="+")
    # Given by the learner to a training organisation that records a session they followed
    # without enrolling: without it, an organisation cannot act on someone's account.
    code_apprenant = models.CharField(max_length=9, unique=True, default=learner_code)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "profil d'apprenant"
        constraints = [code_constraint("public", "public", "profil_public")]

    def __str__(self) -> str:
        return f"{self.utilisateur} ({self.get_public_display()})"


class Inscription(models.Model):
    """A learner's enrolment in a session, or start of a tutorial."""

    Statut = StatutInscription

    apprenant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inscriptions"
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, null=True, blank=True, related_name="inscriptions"
    )
    tutoriel = models.ForeignKey(
        Tutoriel, on_delete=models.PROTECT, null=True, blank=True, related_name="inscriptions"
    )
    statut = models.CharField(max_length=10, choices=Statut.choices)
    cree_le = models.DateTimeField(auto_now_add=True)
    termine_le = models.DateTimeField(null=True, blank=True)
    valide_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    score_quiz = models.PositiveSmallIntegerField(null=True, blank=True)
    code_verification = models.CharField(max_length=14, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-cree_le"]
        indexes = [
            models.Index(fields=["session", "statut", "cree_le"]),
            models.Index(fields=["apprenant", "statut"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(session__isnull=True, tutoriel__isnull=False)
                | Q(session__isnull=False, tutoriel__isnull=True),
                name="inscription_session_ou_tutoriel",
            ),
            models.UniqueConstraint(
                fields=["apprenant", "session"],
                condition=~Q(statut=StatutInscription.ANNULEE),
                name="inscription_active_unique",
            ),
            models.UniqueConstraint(
                fields=["apprenant", "tutoriel"], name="tutoriel_commence_une_fois"
            ),
            choices_constraint("statut", StatutInscription, "inscription_statut_valide"),
        ]

    def __str__(self) -> str:
        return f"{self.apprenant} — {self.session or self.tutoriel} ({self.get_statut_display()})"

    @property
    def est_inscrit(self) -> bool:
        return self.statut == StatutInscription.INSCRIT

    @property
    def est_terminee(self) -> bool:
        return self.statut == StatutInscription.TERMINEE


class SuiviParcours(models.Model):
    """A learner's progress along a path; completed when every step is."""

    apprenant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suivis_parcours"
    )
    parcours = models.ForeignKey(Parcours, on_delete=models.PROTECT, related_name="suivis")
    commence_le = models.DateTimeField(auto_now_add=True)
    termine_le = models.DateTimeField(null=True, blank=True)
    code_verification = models.CharField(max_length=14, unique=True, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["apprenant", "parcours"], name="suivi_unique")
        ]

    def __str__(self) -> str:
        return f"{self.apprenant} — {self.parcours}"


class ApprenantForme(models.Model):
    """One row per distinct person trained (first completed training or path): the source of
    the counters below, never counted over per page view."""

    # Kept (anonymous) when the account is deleted: the person was trained all the same.
    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    public = models.CharField(max_length=20)
    region = models.CharField(max_length=3)  # code INSEE, or "NC" when unknown
    mois = models.CharField(max_length=7)  # AAAA-MM, Europe/Paris
    forme_le = models.DateTimeField()

    class Meta:
        verbose_name = "professionnel formé"
        verbose_name_plural = "professionnels formés"

    def __str__(self) -> str:
        return f"{self.utilisateur_id} ({self.public}, {self.region}, {self.mois})"


class CompteurFormes(models.Model):
    """The « professionnels formés » counters, by dimension (total, public, region, mois),
    kept incrementally in the same transaction as the completion; each key is split over a
    few slices so that concurrent completions do not queue on one row."""

    dimension = models.CharField(max_length=10)
    cle = models.CharField(max_length=20)
    tranche = models.PositiveSmallIntegerField()
    valeur = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dimension", "cle", "tranche"], name="compteur_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.cle}#{self.tranche} = {self.valeur}"


class TentativeQuiz(models.Model):
    """One graded answer to a tutorial's quiz. The quiz rules (attempts per hour, delay between
    attempts) are counted on these rows; an attempt refused by the rules is not stored, and a
    tutorial is completed only by a passed attempt stored here."""

    apprenant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tentatives_quiz"
    )
    tutoriel = models.ForeignKey(Tutoriel, on_delete=models.PROTECT, related_name="tentatives")
    cree_le = models.DateTimeField(default=timezone.now)
    bonnes_reponses = models.PositiveSmallIntegerField()
    questions = models.PositiveSmallIntegerField()
    reussie = models.BooleanField()

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = "tentative de quiz"
        verbose_name_plural = "tentatives de quiz"
        indexes = [models.Index(fields=["apprenant", "tutoriel", "cree_le"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(questions__gte=1) & Q(bonnes_reponses__lte=F("questions")),
                name="tentative_score_dans_le_quiz",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.apprenant_id} — {self.tutoriel_id} : {self.bonnes_reponses}/{self.questions}"
