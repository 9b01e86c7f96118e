from django import forms

from osezia.socle.validation import TextFormMixin, honeypot_field

from .models import SujetContact


class ContactForm(TextFormMixin, forms.Form):
    """The contact page's form to the operators of the platform."""

    nom = forms.CharField(label="Vos prénom et nom", max_length=150)
    email = forms.EmailField(
        label="Votre adresse électronique",
        max_length=254,
        help_text="Pour vous répondre ; format attendu : nom@domaine.fr",
    )
    sujet = forms.ChoiceField(
        label="Sujet", choices=[("", "Choisissez un sujet")] + SujetContact.choices
    )
    message = forms.CharField(
        label="Votre message",
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=20,
        max_length=3000,
        help_text="Entre 20 et 3 000 caractères.",
    )
    site = honeypot_field()
