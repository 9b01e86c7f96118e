from django import forms
from django.core.exceptions import ValidationError

from osezia.referentiels import codes
from osezia.socle.regles import MAX_EXTERNAL_ID, InvalidExternalId, external_id
from osezia.socle.validation import MAX_PRIX_EUR_MOIS, TextFormMixin, honeypot_field

from . import format as fmt


def _family_choices():
    from osezia.referentiels.models import FamilleCasUsage

    return [(f.code, f.libelle_court) for f in FamilleCasUsage.objects.all()]


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").replace(";", ",").split(",") if v.strip()]


class SolutionForm(TextFormMixin, forms.Form):
    id_externe = forms.CharField(
        label="Identifiant",
        max_length=MAX_EXTERNAL_ID,
        help_text="Celui de votre propre système, tel quel : lettres (majuscules ou minuscules, "
        "sans accent), chiffres, « - », « _ », « . », « : » ou « / » ; ne change plus ensuite.",
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
        label="Prix minimum (€ par mois)", min_value=0, max_value=MAX_PRIX_EUR_MOIS, required=False
    )
    tarif_max_eur_mois = forms.IntegerField(
        label="Prix maximum (€ par mois)", min_value=0, max_value=MAX_PRIX_EUR_MOIS, required=False
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
    risque_ia_act = forms.ChoiceField(
        label="Niveau de risque (AI Act)",
        choices=codes.choices("risque_ia_act"),
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
    contact_telephone = forms.CharField(label="Téléphone", max_length=30, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["familles"].choices = _family_choices()
        if editing:
            self.fields["id_externe"].disabled = True

    def clean_id_externe(self):
        try:
            return external_id(self.cleaned_data["id_externe"])
        except InvalidExternalId as exc:
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
