"""Accounts: users identified by e-mail, their roles, and their membership of companies."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower


class Role(models.TextChoices):
    ENTREPRISE = "ENTREPRISE", "Membre d'une entreprise"
    FOURNISSEUR = "FOURNISSEUR", "Fournisseur de solutions d'IA"
    EXPERT = "EXPERT", "Expert Diagnostic Data IA"
    AMBASSADEUR = "AMBASSADEUR", "Ambassadeur IA"
    APPRENANT = "APPRENANT", "Apprenant"
    CITOYEN = "CITOYEN", "Citoyen"
    OPERATEUR = "OPERATEUR", "Opérateur du plan"


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
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="role_valide"),
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
