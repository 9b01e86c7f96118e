from django import forms

from osezia.socle.validation import TextFormMixin

from .models import SELF_SERVICE_ROLES, Role


class SignupForm(TextFormMixin, forms.Form):
    """Extra fields of the allauth sign-up form."""

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    profil = forms.ChoiceField(
        label="Vous êtes",
        choices=[(r.value, r.label) for r in SELF_SERVICE_ROLES],
        initial=Role.ENTREPRISE,
        help_text="Les rôles d'expert, d'ambassadeur et d'opérateur sont attribués par les opérateurs du plan.",
    )

    def signup(self, request, user):
        from .services import grant_role

        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        grant_role(user, self.cleaned_data["profil"])


class DemandeRattachementForm(TextFormMixin, forms.Form):
    """A claim on an organisation already on the platform (the label says which number)."""

    identifiant = forms.CharField(label="SIRET de l'organisme", max_length=20)
    message = forms.CharField(
        label="Votre fonction dans l'organisation",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Les opérateurs du plan vérifient votre demande avant de vous rattacher ; "
        "ils pourront vous demander un extrait Kbis ou une adresse électronique professionnelle.",
    )


class RefusRattachementForm(TextFormMixin, forms.Form):
    motif = forms.CharField(
        label="Motif du refus (envoyé au demandeur)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
