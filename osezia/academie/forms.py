from django import forms

from osezia.socle.validation import TextFormMixin

from . import format as fmt


def _departements():
    from osezia.referentiels.models import Departement

    return [("", "Choisissez votre département")] + [
        (d.code, f"{d.code} — {d.libelle}") for d in Departement.objects.order_by("code")
    ]


class ProfilForm(TextFormMixin, forms.Form):
    prenom = forms.CharField(
        label="Prénom", max_length=150, help_text="Tel qu'il figurera sur vos attestations."
    )
    nom = forms.CharField(label="Nom", max_length=150)
    public = forms.ChoiceField(
        label="Vous êtes",
        choices=list(fmt.PUBLICS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez votre situation."},
    )
    departement = forms.ChoiceField(
        label="Votre département",
        help_text="Celui où vous vivez ou travaillez ; il sert aux statistiques par région.",
        choices=(),
        error_messages={"required": "Choisissez votre département."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = _departements()


class QuizForm(TextFormMixin, forms.Form):
    """One radio group per question of a tutorial's quiz."""

    def __init__(self, quiz: list[dict], *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, question in enumerate(quiz):
            self.fields[f"q{index}"] = forms.ChoiceField(
                label=question["question"],
                choices=[(str(i), choice) for i, choice in enumerate(question["choix"])],
                widget=forms.RadioSelect,
                error_messages={"required": "Choisissez une réponse."},
            )

    def answers(self) -> list[int]:
        return [int(self.cleaned_data[name]) for name in self.fields]
