from django import forms
from django.core.exceptions import ValidationError

from osezia.referentiels.forms import NafField
from osezia.referentiels.models import Departement
from osezia.socle.validation import (
    MAX_EFFECTIF,
    MAX_MONTANT_EUR,
    TextFormMixin,
    no_control_characters,
    report_on_form,
)

from . import services


class EntrepriseForm(TextFormMixin, forms.Form):
    identifiant = forms.CharField(
        label="SIRET (ou SIREN)",
        max_length=20,
        help_text="14 chiffres, sur votre extrait Kbis ou vos factures. Exemple : 732 829 320 00074.",
    )
    denomination = forms.CharField(
        label="Nom de l'entreprise",
        max_length=255,
        help_text=(
            "Le nom est déclaratif : il n'est pas vérifié à l'inscription. S'il est contesté, "
            "les opérateurs du plan le vérifient (extrait Kbis, répertoire SIRENE) et le "
            "corrigent."
        ),
    )
    naf = NafField(
        label="Code NAF (APE)",
        help_text=(
            "La sous-classe de votre activité principale (10.71C pour une boulangerie) : "
            "tapez le code ou votre métier en quelques mots (« coiffeur », « garage auto »)."
        ),
    )

    REGISTER_HELP = (
        "Repris du répertoire des entreprises de l'INSEE à partir du SIRET : ce champ ne se "
        "saisit pas, ce qui y est tapé n'est pas pris en compte."
    )

    def __init__(self, *args, register: bool = False, **kwargs):
        """`register`: the connector is on, the name and NAF come from the register (the
        fields are shown read-only, prefilled when the person asked; the server ignores
        them)."""
        super().__init__(*args, **kwargs)
        self.register = register
        if register:
            for name in self.FROM_REGISTER:
                label = self.fields[name].label
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=255,
                    help_text=self.REGISTER_HELP,
                    validators=[no_control_characters],
                    widget=forms.TextInput(attrs={"readonly": True}),
                )

    FROM_REGISTER = ("denomination", "naf")
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
            if self.register:  # checked against the register when saved, not as typed
                kept = {k: v for k, v in exc.message_dict.items() if k not in self.FROM_REGISTER}
                exc = ValidationError(kept) if kept else None
            if exc is not None:
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
