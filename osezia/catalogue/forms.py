from django import forms
from django.core.exceptions import ValidationError

from osezia.referentiels import codes
from osezia.socle.regles import (
    EXTERNAL_ID_CHARACTERS,
    MAX_EXTERNAL_ID,
    InvalidExternalId,
    external_id,
)
from osezia.socle.validation import MAX_PRIX_EUR_MOIS, TextFormMixin, honeypot_field

from . import format as fmt


def _family_choices():
    from osezia.referentiels.models import FamilleCasUsage

    return [(f.code, f.libelle_court) for f in FamilleCasUsage.objects.all()]


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").replace(";", ",").split(",") if v.strip()]


# The exchange format's bounds and words (catalogue/format.py), on the form's price fields.
PRICE_ERRORS = {
    "max_value": f"Le prix {fmt.PRICE_TOO_HIGH}.",
    "min_value": f"Le prix {fmt.PRICE_NEGATIVE}.",
    "invalid": "Indiquez un nombre entier d'euros, sans espace ni décimale.",
}


class SolutionForm(TextFormMixin, forms.Form):
    id_externe = forms.CharField(
        label="Identifiant",
        max_length=MAX_EXTERNAL_ID,
        help_text=f"Celui de votre propre système, tel quel : {EXTERNAL_ID_CHARACTERS}, "
        f"{MAX_EXTERNAL_ID} caractères au plus ; il ne change plus ensuite.",
    )
    nom = forms.CharField(label="Nom de la solution", max_length=fmt.MAX_NOM)
    resume = forms.CharField(label="Résumé en une phrase", max_length=fmt.MAX_RESUME)
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=fmt.MAX_DESCRIPTION,
    )
    familles = forms.MultipleChoiceField(
        label="Familles de cas d'usage", widget=forms.CheckboxSelectMultiple, choices=()
    )
    secteurs = forms.CharField(
        label="Secteurs (codes NAF)",
        required=False,
        max_length=1000,
        help_text="Séparés par des virgules, à tout niveau (C, 10, 10.71C) ; vide : tous les secteurs.",
    )
    tailles = forms.MultipleChoiceField(
        label="Tailles d'entreprise visées",
        widget=forms.CheckboxSelectMultiple,
        choices=codes.choices("taille", short=True),
    )
    tarif_modele = forms.ChoiceField(label="Modèle de prix", choices=codes.choices("modele_tarif"))
    tarif_min_eur_mois = forms.IntegerField(
        label="Prix minimum (€ par mois)",
        min_value=0,
        max_value=MAX_PRIX_EUR_MOIS,
        required=False,
        error_messages=PRICE_ERRORS,
    )
    tarif_max_eur_mois = forms.IntegerField(
        label="Prix maximum (€ par mois)",
        min_value=0,
        max_value=MAX_PRIX_EUR_MOIS,
        required=False,
        error_messages=PRICE_ERRORS,
    )
    deploiement = forms.MultipleChoiceField(
        label="Déploiement",
        widget=forms.CheckboxSelectMultiple,
        choices=codes.choices("deploiement"),
    )
    hebergement = forms.ChoiceField(
        label="Hébergement des données",
        choices=codes.choices("hebergement"),
    )
    # A self-declaration: nothing is chosen for the provider (an empty first option).
    risque_ia_act = forms.ChoiceField(
        label="Niveau de risque (AI Act) : votre auto-déclaration",
        choices=[("", "— Choisissez le niveau de votre solution —")]
        + codes.choices("risque_ia_act"),
        help_text="Au regard du règlement européen sur l'IA : "
        + " ; ".join(
            f"{e['libelle']} : {e['description'][:1].lower()}{e['description'][1:].rstrip('.')}"
            for e in codes.entries("risque_ia_act")
        )
        + ".",
        error_messages={"required": "Choisissez le niveau de risque de votre solution."},
    )
    langues = forms.CharField(
        label="Langues (codes)", initial="fr", max_length=200, help_text="Par exemple : fr, en"
    )
    site_web = forms.URLField(label="Site web", required=False, assume_scheme="https")
    certifications = forms.MultipleChoiceField(
        label="Certifications",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=[(c, c) for c in fmt.CERTIFICATIONS],
    )
    rgpd_dpa = forms.BooleanField(
        label="Accord de traitement des données (RGPD, article 28) proposé", required=False
    )
    modeles_ia = forms.CharField(
        label="Modèles d'IA utilisés",
        required=False,
        max_length=2000,
        help_text="Séparés par des virgules.",
    )
    contact_email = forms.EmailField(label="Courriel de contact commercial")
    contact_telephone = forms.CharField(
        label="Téléphone",
        max_length=fmt.MAX_TELEPHONE,
        required=False,
        help_text=fmt.TELEPHONE_RULE[:1].upper() + fmt.TELEPHONE_RULE[1:] + ".",
    )

    def __init__(self, *args, solution=None, **kwargs):
        """`solution`: the solution being edited. Its identifier does not change: the field is
        disabled, and its value is the solution's whatever the request holds (a browser does
        not send a disabled field; a crafted request may send another value: neither
        counts). The form sets it itself, so that no view can forget it."""
        super().__init__(*args, **kwargs)
        self.solution = solution
        self.fields["familles"].choices = _family_choices()
        if solution is not None:
            field = self.fields["id_externe"]
            field.disabled = True
            field.initial = solution.id_externe
            self.initial["id_externe"] = solution.id_externe
            field.required = False  # nothing to type: not marked « obligatoire »
            field.help_text = "L'identifiant d'une solution ne change pas."

    def clean_id_externe(self):
        if self.solution is not None:
            return self.solution.id_externe
        try:
            return external_id(self.cleaned_data["id_externe"])
        except InvalidExternalId as exc:
            raise ValidationError(str(exc)[0].upper() + str(exc)[1:] + ".") from exc

    def clean_contact_telephone(self):
        try:
            return fmt.phone_number(self.cleaned_data.get("contact_telephone") or "")
        except ValueError as exc:
            raise ValidationError(str(exc)[0].upper() + str(exc)[1:] + ".") from exc

    def to_line(self, fournisseur) -> dict:
        c = self.cleaned_data
        return {
            "id_externe": c["id_externe"],
            "nom": c["nom"],
            "fournisseur": {"nom": fournisseur.nom, "siren": fournisseur.siren},
            "resume": c["resume"],
            "description": c["description"],
            "familles": c["familles"],
            "secteurs": _split(c.get("secteurs")),
            "tailles": c["tailles"],
            "tarif": {
                "modele": c["tarif_modele"],
                "min_eur_mois": c.get("tarif_min_eur_mois"),
                "max_eur_mois": c.get("tarif_max_eur_mois"),
            },
            "deploiement": c["deploiement"],
            "hebergement": c["hebergement"],
            "risque_ia_act": c["risque_ia_act"],
            "langues": _split(c.get("langues")) or ["fr"],
            "site_web": c.get("site_web") or "",
            "certifications": c.get("certifications") or [],
            "rgpd_dpa": bool(c.get("rgpd_dpa")),
            "modeles_ia": _split(c.get("modeles_ia")),
            "references": [],
            "contact": {"email": c["contact_email"], "telephone": c.get("contact_telephone") or ""},
        }

    @staticmethod
    def initial_from(id_externe: str, content: dict) -> dict:
        return {
            **{
                k: content.get(k)
                for k in (
                    "nom",
                    "resume",
                    "description",
                    "familles",
                    "tailles",
                    "tarif_modele",
                    "tarif_min_eur_mois",
                    "tarif_max_eur_mois",
                    "deploiement",
                    "hebergement",
                    "risque_ia_act",
                    "site_web",
                    "certifications",
                    "rgpd_dpa",
                    "contact_email",
                    "contact_telephone",
                )
            },
            "id_externe": id_externe,
            "secteurs": ", ".join(content.get("secteurs", [])),
            "langues": ", ".join(content.get("langues", [])),
            "modeles_ia": ", ".join(content.get("modeles_ia", [])),
        }

    def add_service_errors(self, error) -> None:
        mapping = {
            "tarif.modele": "tarif_modele",
            "tarif.min_eur_mois": "tarif_min_eur_mois",
            "tarif.max_eur_mois": "tarif_max_eur_mois",
            "contact.email": "contact_email",
        }
        for name, messages in error.message_dict.items():
            field = mapping.get(name, name)
            self.add_error(field if field in self.fields else None, messages)


class ContactForm(TextFormMixin, forms.Form):
    nom = forms.CharField(label="Vos prénom et nom", max_length=150)
    email = forms.EmailField(label="Votre adresse électronique")
    entreprise = forms.CharField(label="Votre entreprise", max_length=255, required=False)
    message = forms.CharField(
        label="Votre message",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        min_length=20,
    )
    site = honeypot_field()


class FournisseurForm(TextFormMixin, forms.Form):
    nom = forms.CharField(label="Nom de votre organisation", max_length=255)
    siren = forms.CharField(label="SIREN", max_length=20)
    message = forms.CharField(
        label="Votre fonction dans l'organisation",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Utile si l'organisation est déjà inscrite : les opérateurs du plan vérifient "
        "alors votre demande avant de vous y rattacher.",
    )


class RefusForm(TextFormMixin, forms.Form):
    motif = forms.CharField(
        label="Motif du refus (visible par le fournisseur)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class MembreForm(TextFormMixin, forms.Form):
    """An operator adds a person to a provider organisation by their account's address."""

    email = forms.EmailField(
        label="Adresse électronique confirmée du compte",
        help_text="La personne doit déjà avoir un compte, avec cette adresse confirmée.",
    )
