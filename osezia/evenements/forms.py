"""Forms of the business meetings' pages (the rules are checked again by the services)."""

from django import forms

from osezia.referentiels import codes
from osezia.referentiels.models import Region
from osezia.socle.validation import TextFormMixin

from .models import DUREES_RDV, MAX_MESSAGE, MAX_PRESENTATION, MAX_TABLES, TypeEvenement


class FiltresForm(forms.Form):
    region = forms.ModelChoiceField(
        Region.objects.order_by("libelle"),
        required=False,
        empty_label="Toutes les régions",
        label="Région",
    )
    mois = forms.CharField(
        label="Mois",
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text="Format : AAAA-MM",
    )

    def clean_mois(self):
        mois = self.cleaned_data["mois"].strip()
        if not mois:
            return ""
        parts = mois.split("-")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
            raise forms.ValidationError("Un mois au format AAAA-MM, par exemple 2027-03.")
        if not 2000 <= int(parts[0]) <= 2100:
            raise forms.ValidationError("Une année entre 2000 et 2100.")
        return mois


class EvenementForm(TextFormMixin, forms.Form):
    titre = forms.CharField(max_length=200)
    type_evenement = forms.ChoiceField(label="Type", choices=TypeEvenement.choices)
    organisme = forms.ChoiceField(
        label="Organisateur", choices=codes.choices("organisateur_rencontre")
    )
    region = forms.ModelChoiceField(
        Region.objects.order_by("libelle"),
        required=False,
        label="Région",
        help_text="Obligatoire pour une rencontre régionale.",
    )
    lieu = forms.CharField(max_length=255, required=False)
    en_ligne = forms.BooleanField(label="En ligne", required=False)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    duree_rdv = forms.TypedChoiceField(
        label="Durée d'un rendez-vous",
        coerce=int,
        choices=[(d, f"{d} minutes") for d in DUREES_RDV],
    )
    sessions = forms.CharField(
        label="Sessions",
        max_length=200,
        initial="09:00-12:00, 14:00-17:00",
        help_text="Plages horaires séparées par des virgules ; les intervalles sont les pauses.",
    )
    tables = forms.IntegerField(
        min_value=1, max_value=MAX_TABLES, initial=20, label="Nombre de tables"
    )
    salles = forms.IntegerField(min_value=1, max_value=50, initial=1, label="Nombre de salles")
    capacite = forms.IntegerField(min_value=2, max_value=5000, initial=100, label="Capacité")
    ouverture_inscriptions = forms.DateField(
        label="Ouverture des inscriptions", widget=forms.DateInput(attrs={"type": "date"})
    )
    cloture_inscriptions = forms.DateField(
        label="Clôture des inscriptions", widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=3000, required=False
    )

    def clean_sessions(self):
        plages = []
        for morceau in self.cleaned_data["sessions"].split(","):
            morceau = morceau.strip()
            if not morceau:
                continue
            if morceau.count("-") != 1:
                raise forms.ValidationError("Écrivez chaque session « HH:MM-HH:MM ».")
            debut, fin = (x.strip() for x in morceau.split("-"))
            plages.append((debut, fin))
        if not plages:
            raise forms.ValidationError("Au moins une session.")
        return plages


class InscriptionForm(TextFormMixin, forms.Form):
    profil = forms.ChoiceField(label="Je m'inscris au titre de")
    familles = forms.MultipleChoiceField(
        label="Familles de cas d'usage",
        choices=codes.choices("famille", short=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Ce que vous cherchez (entreprise) ou proposez (fournisseur).",
    )
    presentation = forms.CharField(
        label="En quelques mots",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_PRESENTATION,
        required=False,
    )
    disponibilites = forms.MultipleChoiceField(
        label="Créneaux où vous êtes disponible", widget=forms.CheckboxSelectMultiple
    )
    max_rdv = forms.IntegerField(label="Nombre maximal de rendez-vous", min_value=1, max_value=100)

    def __init__(self, *args, profils=(), creneaux=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profil"].choices = [
            (
                str(k),
                f"{p.organisation} ({'entreprise' if p.type_participant == 'entreprise' else 'fournisseur'})",
            )
            for k, p in enumerate(profils)
        ]
        self.fields["disponibilites"].choices = [
            (str(c.pk), f"{c.debut:%H:%M}–{c.fin:%H:%M}") for c in creneaux
        ]


class InteretForm(TextFormMixin, forms.Form):
    vers = forms.IntegerField(widget=forms.HiddenInput)
    niveau = forms.ChoiceField(label="Votre intérêt", choices=codes.choices("interet_rencontre"))
    message = forms.CharField(
        label="Message (facultatif : en fait une demande)", max_length=MAX_MESSAGE, required=False
    )


class CodeForm(TextFormMixin, forms.Form):
    code = forms.CharField(
        label="Code d'émargement (scanné ou saisi)",
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )


class RetourForm(TextFormMixin, forms.Form):
    note = forms.TypedChoiceField(
        label="Note",
        coerce=int,
        choices=[(n, f"{n} / 5") for n in range(1, 6)],
        widget=forms.RadioSelect,
    )
    suite = forms.ChoiceField(label="Suite donnée", choices=codes.choices("suite_rendez_vous"))
    commentaire = forms.CharField(max_length=MAX_MESSAGE, required=False)
