"""Accounts: users identified by e-mail, their roles, and their membership of companies."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower

from osezia.referentiels.contraintes import choices_constraint


class Role(models.TextChoices):
    ENTREPRISE = "ENTREPRISE", "Membre d'une entreprise"
    FOURNISSEUR = "FOURNISSEUR", "Fournisseur de solutions d'IA"
    EXPERT = "EXPERT", "Expert Diagnostic Data IA"
    AMBASSADEUR = "AMBASSADEUR", "Ambassadeur IA"
    APPRENANT = "APPRENANT", "Apprenant"
    CITOYEN = "CITOYEN", "Citoyen"
    OPERATEUR = "OPERATEUR", "Opérateur du plan"
    ORGANISATEUR = "ORGANISATEUR", "Organisateur de rencontres d'affaires"


# Roles a person may choose when signing up; the others are granted by an operator.
SELF_SERVICE_ROLES = [Role.ENTREPRISE, Role.FOURNISSEUR, Role.APPRENANT, Role.CITOYEN]


class UtilisateurManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class Utilisateur(AbstractUser):
    """A person; logs in with their e-mail address."""

    username = None
    email = models.EmailField("adresse électronique", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UtilisateurManager()

    class Meta:
        verbose_name = "utilisateur"
        constraints = [models.UniqueConstraint(Lower("email"), name="utilisateur_email_unique_ci")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def roles(self) -> set[str]:
        """The codes of this person's roles (cached on the instance for the request)."""
        if not hasattr(self, "_roles_cache"):
            self._roles_cache = set(self.attributions.values_list("role", flat=True))
        return self._roles_cache


class AttributionRole(models.Model):
    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.CASCADE, related_name="attributions"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rôle attribué"
        verbose_name_plural = "rôles attribués"
        constraints = [
            models.UniqueConstraint(
                fields=["utilisateur", "role"], name="role_unique_par_utilisateur"
            ),
            choices_constraint("role", Role, "role_valide"),
        ]

    def __str__(self) -> str:
        return f"{self.utilisateur} — {self.get_role_display()}"


class Adhesion(models.Model):
    """A person's membership of a company; exactly one member of each company is its admin."""

    utilisateur = models.ForeignKey(Utilisateur, on_delete=models.CASCADE, related_name="adhesions")
    entreprise = models.ForeignKey(
        "entreprises.Entreprise", on_delete=models.CASCADE, related_name="adhesions"
    )
    est_admin = models.BooleanField("administrateur de l'entreprise", default=False)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "adhésion à une entreprise"
        verbose_name_plural = "adhésions aux entreprises"
        constraints = [
            models.UniqueConstraint(fields=["utilisateur", "entreprise"], name="adhesion_unique"),
            models.UniqueConstraint(
                fields=["entreprise"],
                condition=models.Q(est_admin=True),
                name="un_seul_admin_par_entreprise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.utilisateur} ∈ {self.entreprise}"


class TypeOrganisation(models.TextChoices):
    """The kinds of organisation a person may ask to join (each app registers its own)."""

    ENTREPRISE = "entreprise", "Entreprise"
    FOURNISSEUR = "fournisseur", "Fournisseur de solutions d'IA"
    ORGANISME_FORMATION = "organisme_formation", "Organisme de formation"


class StatutDemande(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    ACCEPTEE = "acceptee", "Acceptée"
    REFUSEE = "refusee", "Refusée"


class DemandeRattachement(models.Model):
    """A person's request to become a member of an organisation that already exists on the
    platform; operators accept or refuse it (with a reason). Nobody joins an organisation by
    being the first to type its SIREN."""

    Statut = StatutDemande

    demandeur = models.ForeignKey(
        Utilisateur, on_delete=models.CASCADE, related_name="demandes_rattachement"
    )
    type_organisation = models.CharField(
        "type d'organisation", max_length=20, choices=TypeOrganisation.choices
    )
    organisation_id = models.PositiveBigIntegerField("identifiant interne de l'organisation")
    identifiant = models.CharField("SIREN ou SIRET", max_length=14)
    nom_organisation = models.CharField("nom de l'organisation", max_length=255)
    message = models.TextField("message du demandeur", blank=True, max_length=2000)
    statut = models.CharField(max_length=12, choices=Statut.choices, default=Statut.EN_ATTENTE)
    decide_par = models.ForeignKey(
        Utilisateur, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decide_le = models.DateTimeField("décidée le", null=True, blank=True)
    motif_refus = models.TextField("motif du refus", blank=True, max_length=2000)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "demande de rattachement"
        verbose_name_plural = "demandes de rattachement"
        ordering = ["-cree_le", "-pk"]
        indexes = [models.Index(fields=["statut", "cree_le"])]
        constraints = [
            models.UniqueConstraint(
                fields=["demandeur", "type_organisation", "organisation_id"],
                condition=models.Q(statut=StatutDemande.EN_ATTENTE),
                name="une_demande_en_attente_par_organisation",
            ),
            choices_constraint("statut", StatutDemande, "demande_statut_valide"),
            choices_constraint("type_organisation", TypeOrganisation, "demande_type_valide"),
            models.CheckConstraint(
                condition=~models.Q(statut=StatutDemande.REFUSEE) | ~models.Q(motif_refus=""),
                name="demande_refus_avec_motif",
            ),
            models.CheckConstraint(
                condition=models.Q(statut=StatutDemande.EN_ATTENTE)
                | models.Q(decide_le__isnull=False),
                name="demande_decidee_datee",
            ),
            models.CheckConstraint(
                condition=models.Q(identifiant__regex=r"^([0-9]{9}|[0-9]{14})$"),
                name="demande_identifiant_siren_ou_siret",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demandeur} → {self.nom_organisation} ({self.get_statut_display()})"

    @property
    def est_refusee(self) -> bool:
        return self.statut == StatutDemande.REFUSEE


class StatutInvitation(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    ACCEPTEE = "acceptee", "Acceptée"
    DECLINEE = "declinee", "Déclinée"
    ANNULEE = "annulee", "Annulée"


class InvitationEntreprise(models.Model):
    """A company admin's invitation to an e-mail address; the person joins only when they
    accept it, logged in with that (verified) address. The admin never learns whether an
    account uses the address."""

    Statut = StatutInvitation

    entreprise = models.ForeignKey(
        "entreprises.Entreprise", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("adresse invitée")
    invite_par = models.ForeignKey(
        Utilisateur, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    statut = models.CharField(max_length=12, choices=Statut.choices, default=Statut.EN_ATTENTE)
    cree_le = models.DateTimeField(auto_now_add=True)
    repondu_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "invitation à rejoindre une entreprise"
        verbose_name_plural = "invitations à rejoindre une entreprise"
        ordering = ["-cree_le", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "entreprise",
                Lower("email"),
                condition=models.Q(statut=StatutInvitation.EN_ATTENTE),
                name="une_invitation_en_attente_par_adresse",
            ),
            choices_constraint("statut", StatutInvitation, "invitation_statut_valide"),
            models.CheckConstraint(
                condition=models.Q(statut=StatutInvitation.EN_ATTENTE)
                | models.Q(repondu_le__isnull=False),
                name="invitation_reponse_datee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.entreprise_id} ({self.get_statut_display()})"
