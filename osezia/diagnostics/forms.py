from django import forms
from django.core.exceptions import ValidationError

from osezia.referentiels.forms import NafField
from osezia.referentiels.models import Departement
from osezia.socle.validation import MAX_EFFECTIF, MAX_MONTANT_EUR, TextFormMixin, report_on_form

from . import services


class ProfilForm(TextFormMixin, forms.Form):
    naf = NafField(
        label="Code NAF (APE) de votre activité",
        sous_classe=False,
        help_text="Tapez le code (10.71C, sur votre extrait Kbis ou votre avis de situation INSEE) ou votre métier en quelques mots : « boulangerie », « plombier », « agence web ».",
    )
    effectif = forms.IntegerField(
        label="Nombre de personnes dans l'entreprise", min_value=0, max_value=MAX_EFFECTIF
    )
    chiffre_affaires_eur = forms.IntegerField(
        label="Chiffre d'affaires annuel (euros)",
        min_value=0,
        max_value=MAX_MONTANT_EUR,
        required=False,
        help_text="Facultatif.",
    )
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.all(),
        to_field_name="code",
        empty_label="Choisissez un département",
        required=False,
    )
    description = forms.CharField(
        label="Votre activité et ce qui vous prend du temps, en quelques mots",
        required=False,
        max_length=services.MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Écrivez comme vous parlez : « mes devis me prennent mes soirées », « on jette trop de pain le soir »…",
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            cleaned["profil"] = services.validate_profile(
                cleaned["naf"],
                cleaned["effectif"],
                cleaned.get("chiffre_affaires_eur"),
                cleaned["departement"].code if cleaned.get("departement") else None,
                cleaned.get("description", ""),
            )
        except ValidationError as exc:
            report_on_form(self, exc)
        return cleaned


def answers_from_post(data, questions) -> dict:
    """The raw answers of one step from a submitted form (`q_<code>` fields)."""
    raw = {}
    for question in questions:
        key = f"q_{question.code}"
        if question.type == "choix_multiple":
            values = data.getlist(key)
            if values:
                raw[question.code] = values
        elif data.get(key):
            raw[question.code] = data.get(key)
    return raw
