from django import forms

from osezia.referentiels import codes
from osezia.referentiels.forms import NafField
from osezia.referentiels.models import Departement, Region
from osezia.socle.validation import TextFormMixin, honeypot_field

from .models import MAX_CAPACITE, MAX_MESSAGE, MAX_PRESENTATION, Activite, StatutDemande


def _optional(kind: str, empty: str = "Tous") -> list[tuple[str, str]]:
    return [("", empty), *codes.choices(kind)]


class FiltresForm(forms.Form):
    region = forms.ChoiceField(label="Région", required=False, choices=())
    departement = forms.ChoiceField(label="Département", required=False, choices=())
    naf = NafField(
        sous_classe=False,
        label="Secteur (code NAF ou métier)",
        required=False,
        help_text="Par exemple 10.71C, 10.71, C ou « boulangerie »",
    )
    type_ambassadeur = forms.ChoiceField(
        label="Type d'ambassadeur", required=False, choices=_optional("type_ambassadeur")
    )
    reseau = forms.ChoiceField(label="Réseau", required=False, choices=_optional("reseau"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "Toutes")] + [
            (r.code, r.libelle) for r in Region.objects.order_by("libelle")
        ]
        self.fields["departement"].choices = [("", "Tous")] + [
            (d.code, str(d)) for d in Departement.objects.order_by("code")
        ]


class ContactForm(TextFormMixin, forms.Form):
    nom = forms.CharField(label="Votre nom", max_length=150)
    email = forms.EmailField(
        label="Votre adresse électronique", help_text="L'ambassadeur vous répond à cette adresse."
    )
    message = forms.CharField(
        label="Votre message", max_length=MAX_MESSAGE, widget=forms.Textarea(attrs={"rows": 6})
    )
    site = honeypot_field()


class ProfilForm(TextFormMixin, forms.Form):
    prenom = forms.CharField(label="Prénom", max_length=100)
    nom = forms.CharField(label="Nom", max_length=100)
    type_ambassadeur = forms.ChoiceField(
        label="Type d'ambassadeur", choices=codes.choices("type_ambassadeur")
    )
    reseau = forms.ChoiceField(label="Réseau partenaire", choices=codes.choices("reseau"))
    structure = forms.CharField(
        label="Structure",
        max_length=200,
        required=False,
        help_text="Votre CCI, votre direction régionale, votre association…",
    )
    regions = forms.MultipleChoiceField(
        label="Régions couvertes",
        required=False,
        help_text="Aucune : toute la France.",
        widget=forms.CheckboxSelectMultiple,
    )
    naf = forms.CharField(
        label="Secteurs couverts (codes NAF)",
        required=False,
        max_length=300,
        help_text="Codes à tout niveau, séparés par des points-virgules (par exemple C ; 10.71 ; 47.24Z). Vide : tous les secteurs.",
    )
    capacite_mensuelle = forms.IntegerField(
        label="Capacité mensuelle",
        min_value=1,
        max_value=MAX_CAPACITE,
        initial=5,
        help_text="Nombre d'entreprises que vous pouvez suivre en même temps.",
    )
    langues = forms.CharField(label="Langues parlées", max_length=200, initial="français")
    presentation = forms.CharField(
        label="Présentation",
        max_length=MAX_PRESENTATION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = [
            (r.code, r.libelle) for r in Region.objects.order_by("libelle")
        ]

    def profile(self) -> dict:
        data = dict(self.cleaned_data)
        data["naf"] = [p.strip() for p in data.get("naf", "").split(";") if p.strip()]
        return data


class DemandeForm(TextFormMixin, forms.Form):
    entreprise = forms.ChoiceField(label="Entreprise", choices=())
    email = forms.EmailField(label="Adresse électronique où l'ambassadeur vous contacte")
    message = forms.CharField(
        label="Ce que vous attendez",
        required=False,
        max_length=MAX_MESSAGE,
        help_text="Votre activité, vos questions sur l'IA, vos disponibilités (2 000 caractères au plus).",
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, entreprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entreprise"].choices = [
            (str(e.pk), f"{e.denomination} ({e.siren})") for e in entreprises
        ]


class StatutForm(TextFormMixin, forms.Form):
    statut = forms.ChoiceField(label="Nouveau statut", choices=())
    motif = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=500,
        help_text="Obligatoire pour « Pas pour moi » : la demande va à un autre ambassadeur.",
    )

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut"].choices = [(s, StatutDemande(s).label) for s in allowed]


class TransfertForm(TextFormMixin, forms.Form):
    ambassadeur = forms.CharField(
        label="Identifiant de l'ambassadeur",
        max_length=120,
        help_text="Son identifiant dans l'annuaire (par exemple AMB-CCI-035).",
    )
    motif = forms.CharField(label="Raison", max_length=500)


class ActiviteForm(TextFormMixin, forms.Form):
    type_activite = forms.ChoiceField(label="Type", choices=Activite.Type.choices)
    titre = forms.CharField(label="Titre", max_length=200)
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    lieu = forms.CharField(label="Lieu", max_length=200)
    participants = forms.IntegerField(
        label="Participants ou entreprises rencontrées", min_value=1, max_value=100_000, initial=1
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(TextFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("accepter", "Accepter"), ("refuser", "Refuser")])
    motif = forms.CharField(label="Raison du refus", required=False, max_length=500)
