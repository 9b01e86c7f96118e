from django import forms

from osezia.referentiels import codes
from osezia.referentiels.models import Departement
from osezia.socle.validation import no_control_characters


def _optional(kind: str, empty: str) -> list[tuple[str, str]]:
    return [("", empty), *codes.choices(kind)]


class ParticipantForm(forms.Form):
    """The optional profile of a participant (used only for results by segment)."""

    tranche_age = forms.ChoiceField(
        label="Tranche d'âge", required=False, choices=_optional("tranche_age", "Ne pas dire")
    )
    departement = forms.ChoiceField(label="Département", required=False, choices=())
    profil = forms.ChoiceField(
        label="Vous participez en tant que",
        required=False,
        choices=_optional("profil_participant", "Ne pas dire"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", "Ne pas dire")] + [
            (d.code, str(d)) for d in Departement.objects.order_by("code")
        ]


class PropositionForm(forms.Form):
    texte = forms.CharField(
        label="Votre proposition",
        help_text="Une phrase de 140 caractères au plus, qui commence par « Il faut ».",
        max_length=140,
        validators=[no_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        initial="Il faut ",
    )
