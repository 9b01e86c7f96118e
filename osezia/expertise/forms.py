from decimal import Decimal, InvalidOperation

from django import forms

from osezia.referentiels import codes
from osezia.referentiels.models import Region
from osezia.socle.validation import TextFormMixin

from . import devis, rapport
from .models import MAX_CAPACITE_JOURS, MAX_ENVELOPPE_EUR, MAX_TEXTE


def euros_to_cents(value, low: int, high: int) -> int:
    """A typed amount in euros (« 1 200,50 ») as cents, or ValidationError in French."""
    text = str(value).replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise forms.ValidationError(
            "Indiquez un montant en euros, par exemple 1200 ou 1200,50."
        ) from exc
    if amount != amount.quantize(Decimal("0.01")) or not low <= amount <= high:
        raise forms.ValidationError(f"Un montant de {low} à {high} €, au centime près.")
    return int(amount * 100)


class DemandeForm(TextFormMixin, forms.Form):
    entreprise = forms.TypedChoiceField(label="Entreprise", coerce=int, choices=())
    besoins = forms.CharField(
        label="Vos besoins",
        help_text="Ce que vous attendez du diagnostic : activités concernées, difficultés, idées.",
        max_length=MAX_TEXTE,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    contraintes = forms.CharField(
        label="Vos contraintes",
        required=False,
        help_text="Calendrier, disponibilité des équipes, données sensibles, budget…",
        max_length=MAX_TEXTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    partage_autodiagnostic = forms.BooleanField(
        label="J'accepte que l'expert lise le dernier autodiagnostic de l'entreprise",
        help_text="Ses réponses, ses scores et ses cas d'usage préremplissent le rapport de l'expert.",
        required=False,
    )

    def __init__(self, *args, entreprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entreprise"].choices = [
            (e.pk, f"{e.denomination} ({e.categorie_taille})") for e in entreprises
        ]


class TransitionForm(TextFormMixin, forms.Form):
    motif = forms.ChoiceField(label="Motif", required=False, choices=())
    commentaire = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=MAX_TEXTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, transition=None, **kwargs):
        super().__init__(*args, **kwargs)
        if transition is not None:
            if transition.motif:
                self.fields["motif"].choices = [
                    ("", "Choisir un motif"),
                    *codes.choices(transition.motif),
                ]
                self.fields["motif"].required = True
            else:
                del self.fields["motif"]
            if transition.commentaire:
                self.fields["commentaire"].required = True
                self.fields["commentaire"].label = "Ce qu'il faut modifier"


class DevisForm(TextFormMixin, forms.Form):
    jours = forms.IntegerField(
        label="Nombre de jours",
        min_value=devis.MIN_JOURS,
        max_value=devis.MAX_JOURS,
        initial=devis.JOURS_PAR_DEFAUT,
    )
    taux_journalier_ht_eur = forms.CharField(
        label="Taux journalier hors taxes (€)",
        max_length=20,
        help_text=f"De {devis.MIN_TAUX_EUR} à {devis.MAX_TAUX_EUR} € par jour",
    )
    contenu = forms.CharField(
        label="Contenu de la mission",
        required=False,
        max_length=MAX_TEXTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_taux_journalier_ht_eur(self):
        return euros_to_cents(
            self.cleaned_data["taux_journalier_ht_eur"], devis.MIN_TAUX_EUR, devis.MAX_TAUX_EUR
        )


class SimulationForm(forms.Form):
    jours = forms.IntegerField(
        label="Nombre de jours", min_value=devis.MIN_JOURS, max_value=devis.MAX_JOURS
    )
    taux_journalier_ht_eur = forms.CharField(label="Taux journalier hors taxes (€)", max_length=20)

    def clean_taux_journalier_ht_eur(self):
        return euros_to_cents(
            self.cleaned_data["taux_journalier_ht_eur"], devis.MIN_TAUX_EUR, devis.MAX_TAUX_EUR
        )


class AssignationForm(forms.Form):
    expert = forms.TypedChoiceField(label="Expert proposé", coerce=int, choices=())

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [
            (s.candidat.id, f"{s.candidat.nom} — score {s.score} ({', '.join(s.raisons)})")
            for s in suggestions
        ]


class ProfilForm(TextFormMixin, forms.Form):
    structure = forms.CharField(label="Cabinet ou structure", max_length=200, required=False)
    siren = forms.CharField(
        label="SIREN de votre cabinet",
        max_length=20,
        required=False,
        help_text="Jamais proposé à votre propre entreprise",
    )
    familles = forms.MultipleChoiceField(
        label="Familles de cas d'usage maîtrisées",
        widget=forms.CheckboxSelectMultiple,
        choices=codes.choices("famille"),
    )
    naf = forms.CharField(
        label="Secteurs (codes NAF séparés par des virgules)",
        max_length=300,
        required=False,
        help_text="Par exemple C, 49.41A ; vide : tous les secteurs",
    )
    regions = forms.MultipleChoiceField(
        label="Régions où vous intervenez",
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        required=False,
        help_text="Aucune : toutes les régions",
    )
    capacite_jours_trimestre = forms.IntegerField(
        label="Capacité (jours par trimestre)", min_value=1, max_value=MAX_CAPACITE_JOURS
    )
    taux_journalier_ht_eur = forms.CharField(label="Taux journalier hors taxes (€)", max_length=20)
    presentation = forms.CharField(
        label="Présentation",
        required=False,
        max_length=MAX_TEXTE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = [
            (r.code, r.libelle) for r in Region.objects.order_by("libelle")
        ]

    def clean_taux_journalier_ht_eur(self):
        return euros_to_cents(
            self.cleaned_data["taux_journalier_ht_eur"], devis.MIN_TAUX_EUR, devis.MAX_TAUX_EUR
        )

    def clean_naf(self):
        from osezia.referentiels.naf import normalize_code

        return [normalize_code(c) for c in self.cleaned_data["naf"].split(",") if c.strip()]


class ConflitForm(TextFormMixin, forms.Form):
    siren = forms.CharField(label="SIREN de l'entreprise", max_length=20)
    motif = forms.CharField(label="Votre lien avec elle", max_length=300)


class EnveloppeForm(forms.Form):
    region = forms.ChoiceField(label="Région", choices=())
    annee = forms.IntegerField(label="Année", min_value=2025, max_value=2035)
    montant_eur = forms.CharField(label="Montant de l'enveloppe (part de l'État, €)", max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [
            (r.code, r.libelle) for r in Region.objects.order_by("libelle")
        ]

    def clean_montant_eur(self):
        return euros_to_cents(self.cleaned_data["montant_eur"], 0, MAX_ENVELOPPE_EUR)


class CasForm(TextFormMixin, forms.Form):
    libelle = forms.CharField(label="Intitulé", max_length=rapport.MAX_LIBELLE)
    justification = forms.CharField(
        label="Justification",
        required=False,
        max_length=rapport.MAX_TEXTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    valeur = forms.IntegerField(label="Valeur (0 à 100)", min_value=0, max_value=100)
    faisabilite = forms.IntegerField(label="Faisabilité (0 à 100)", min_value=0, max_value=100)
    gain_mode = forms.ChoiceField(
        label="Calcul du gain",
        choices=[
            (rapport.GAIN_PRODUCTIVITE, "Part de productivité sur une masse salariale"),
            (rapport.GAIN_HEURES, "Heures économisées × coût horaire"),
        ],
    )
    heures_par_an = forms.IntegerField(
        label="Heures économisées par an", min_value=0, max_value=rapport.MAX_HEURES
    )
    cout_horaire_eur = forms.IntegerField(
        label="Coût horaire chargé (€)", min_value=0, max_value=1000
    )
    masse_salariale_eur = forms.IntegerField(
        label="Masse salariale concernée (€ par an)", min_value=0, max_value=rapport.MAX_MONTANT_EUR
    )
    part_pct = forms.IntegerField(label="Part de productivité (%)", min_value=0, max_value=100)
    cout_min_eur = forms.IntegerField(
        label="Coût estimé, bas (€)", min_value=0, max_value=rapport.MAX_MONTANT_EUR
    )
    cout_max_eur = forms.IntegerField(
        label="Coût estimé, haut (€)", min_value=0, max_value=rapport.MAX_MONTANT_EUR
    )
    risque_ia_act = forms.ChoiceField(
        label="Niveau de risque AI Act", choices=codes.choices("risque_ia_act")
    )
    donnees_personnelles = forms.CharField(
        label="Protection des données",
        required=False,
        max_length=rapport.MAX_TEXTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    trimestre = forms.IntegerField(
        label="Trimestre de la feuille de route (1 à 8)", min_value=1, max_value=rapport.TRIMESTRES
    )


class SyntheseForm(TextFormMixin, forms.Form):
    synthese = forms.CharField(
        label="Synthèse du diagnostic",
        max_length=rapport.MAX_TEXTE,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class AjoutCasForm(forms.Form):
    famille = forms.ChoiceField(
        label="Ajouter un cas d'usage de la famille", choices=codes.choices("famille")
    )
