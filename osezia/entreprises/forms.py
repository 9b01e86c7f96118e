from django import forms
from django.core.exceptions import ValidationError

from osezia.referentiels.models import Departement
from osezia.socle.validation import MAX_EFFECTIF, MAX_MONTANT_EUR, TextFormMixin, report_on_form

from . import services


class EntrepriseForm(TextFormMixin, forms.Form):
    identifiant = forms.CharField(
        label="SIRET (ou SIREN)",
        max_length=20,
        help_text="14 chiffres, sur votre extrait Kbis ou vos factures. Exemple : 732 829 320 00074.",
    )
    denomination = forms.CharField(label="Nom de l'entreprise", max_length=255)
    naf = forms.CharField(
        label="Code NAF (APE)",
        max_length=6,
        help_text="La sous-classe de votre activité principale, par exemple 10.71C pour une boulangerie.",
    )
    effectif = forms.IntegerField(
        label="Effectif (nombre de personnes)", min_value=0, max_value=MAX_EFFECTIF
    )
    chiffre_affaires_eur = forms.IntegerField(
        label="Chiffre d'affaires annuel (euros)",
        min_value=0,
        max_value=MAX_MONTANT_EUR,
        required=False,
        help_text="Dernier exercice clos. Facultatif : sans lui, la catégorie de taille est estimée.",
    )
    total_bilan_eur = forms.IntegerField(
        label="Total de bilan (euros)",
        min_value=0,
        max_value=MAX_MONTANT_EUR,
        required=False,
        help_text="Facultatif.",
    )
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.all(),
        empty_label="Choisissez un département",
        to_field_name="code",
    )
    adresse = forms.CharField(label="Adresse", max_length=255, required=False)
    code_postal = forms.CharField(label="Code postal", max_length=5, required=False)
    commune = forms.CharField(label="Commune", max_length=120, required=False)
    description = forms.CharField(
        label="Votre activité en quelques mots",
        required=False,
        max_length=services.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce que fait l'entreprise, ce qui vous prend du temps : cela affine les recommandations.",
    )

    def clean(self):
        """Run the service's checks too, so that every wrong field is reported at once."""
        cleaned = super().clean()
        try:
            services.validate(self.to_data())
        except ValidationError as exc:
            report_on_form(self, exc)
        return cleaned

    def to_data(self) -> services.DonneesEntreprise:
        cleaned = self.cleaned_data
        departement = cleaned.get("departement")
        return services.DonneesEntreprise(
            identifiant=cleaned.get("identifiant", ""),
            denomination=cleaned.get("denomination", ""),
            naf=cleaned.get("naf", ""),
            effectif=cleaned.get("effectif"),
            departement=departement.code if departement else "",
            chiffre_affaires_eur=cleaned.get("chiffre_affaires_eur"),
            total_bilan_eur=cleaned.get("total_bilan_eur"),
            adresse=cleaned.get("adresse", ""),
            code_postal=cleaned.get("code_postal", ""),
            commune=cleaned.get("commune", ""),
            description=cleaned.get("description", ""),
        )

    def add_service_errors(self, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)

    @staticmethod
    def initial_from(entreprise) -> dict:
        return {
            "identifiant": entreprise.siret or entreprise.siren,
            "denomination": entreprise.denomination,
            "naf": entreprise.naf_id,
            "effectif": entreprise.effectif,
            "chiffre_affaires_eur": entreprise.chiffre_affaires_eur,
            "total_bilan_eur": entreprise.total_bilan_eur,
            "departement": entreprise.departement_id,
            "adresse": entreprise.adresse,
            "code_postal": entreprise.code_postal,
            "commune": entreprise.commune,
            "description": entreprise.description,
        }


class MembreForm(TextFormMixin, forms.Form):
    email = forms.EmailField(label="Adresse électronique de la personne à inviter")


class TailleForm(TextFormMixin, forms.Form):
    effectif = forms.IntegerField(
        label="Effectif (nombre de personnes)", min_value=0, max_value=MAX_EFFECTIF
    )
    chiffre_affaires_eur = forms.IntegerField(
        label="Chiffre d'affaires annuel (euros)",
        min_value=0,
        max_value=MAX_MONTANT_EUR,
        required=False,
    )
    total_bilan_eur = forms.IntegerField(
        label="Total de bilan (euros)", min_value=0, max_value=MAX_MONTANT_EUR, required=False
    )
