"""The expert's report: its first draft from the shared self-diagnostic (maturity by
dimension, the company's words, the engine's use cases), the expert's edits (add, remove,
re-rank, rewrite), the recommendations of the catalogue and the Académie asked through the
recommendations hub, handing it over and the company's validation."""

from django.db import transaction
from django.utils import timezone

from osezia.diagnostics.recommandations import Contexte, recommend
from osezia.referentiels import codes

from .. import etats, rapport
from ..models import Demande, Rapport, StatutRapport
from .demandes import ExpertiseError, Interdit, lock

HUB_SECTIONS = ("catalogue", "academie")  # what the report recommends from the hub


def _maturity(diagnostic) -> dict:
    return {code: getattr(diagnostic, field) for code, field in diagnostic.DIMENSION_FIELDS.items()}


def draft(demande: Demande) -> dict:
    diagnostic = demande.diagnostic if demande.partage_consenti else None
    if diagnostic is None:
        content = rapport.prefill({}, "", [])
    else:
        content = rapport.prefill(
            _maturity(diagnostic), diagnostic.description, diagnostic.cas_usage or []
        )
    content["mots_entreprise"] = content["mots_entreprise"] or demande.besoins
    return content


def ensure_report(demande: Demande, modifications: bool = False) -> Rapport:
    """The file starts (or returns for changes): the report exists, prefilled once."""
    found = Rapport.objects.filter(demande=demande).first()
    if found is None:
        return Rapport.objects.create(demande=demande, contenu=draft(demande))
    if modifications:
        found.statut = StatutRapport.MODIFICATIONS
        found.save(update_fields=["statut", "modifie_le"])
    return found


def hand_over(demande: Demande, now) -> None:
    found = Rapport.objects.filter(demande=demande).first()
    if found is None or not found.contenu.get("cas_usage"):
        raise ExpertiseError(
            {"rapport": "Le rapport doit présenter au moins un cas d'usage avant d'être remis."}
        )
    if not found.contenu.get("synthese"):
        raise ExpertiseError({"rapport": "Rédigez la synthèse du rapport avant de le remettre."})
    found.statut = StatutRapport.REMIS
    found.remis_le = now
    found.save(update_fields=["statut", "remis_le", "modifie_le"])


def validate(demande: Demande, now) -> None:
    Rapport.objects.filter(demande=demande).update(
        statut=StatutRapport.VALIDE, valide_le=now, modifie_le=now
    )


# The expert's edits ------------------------------------------------------------------------


def _editable(demande: Demande, user) -> Rapport:
    demande = lock(demande)
    if not (demande.expert_id and demande.expert.utilisateur_id == user.pk):
        raise Interdit("Seul l'expert désigné rédige le rapport.")
    if demande.statut != etats.EN_COURS:
        raise ExpertiseError(
            {"rapport": "Le rapport se rédige pendant le diagnostic (dossier « en cours »)."}
        )
    return Rapport.objects.select_for_update().get(demande=demande)


def edit(
    demande: Demande, user, action: str, index: int | None = None, data: dict | None = None
) -> Rapport:
    """One edit: `synthese` (data: synthese), `modifier` (index, data: a use case), `ajouter`
    (data: famille), `retirer` (index), `monter` / `descendre` (index)."""
    data = data or {}
    with transaction.atomic():
        found = _editable(demande, user)
        content = dict(found.contenu)
        cases = list(content.get("cas_usage", []))
        if action in ("modifier", "retirer", "monter", "descendre") and (
            not isinstance(index, int) or not 0 <= index < len(cases)
        ):
            raise ExpertiseError({"index": "cas d'usage introuvable dans le rapport."})
        if action == "synthese":
            clean, errors = rapport.check_case(
                {**rapport.new_case("DOCUMENTS"), "justification": data.get("synthese", "")}
            )
            if "justification" in errors:
                raise ExpertiseError({"synthese": errors["justification"]})
            content["synthese"] = clean["justification"]
        elif action == "modifier":
            clean, errors = rapport.check_case({**cases[index], **data})
            if errors:
                raise ExpertiseError(errors)
            cases[index] = clean
        elif action == "ajouter":
            if len(cases) >= rapport.MAX_CAS:
                raise ExpertiseError({"famille": f"{rapport.MAX_CAS} cas d'usage au plus."})
            if not codes.is_code("famille", data.get("famille")):
                raise ExpertiseError({"famille": "famille de cas d'usage inconnue."})
            cases.append(rapport.new_case(data["famille"]))
        elif action == "retirer":
            cases.pop(index)
        elif action in ("monter", "descendre"):
            other = index - 1 if action == "monter" else index + 1
            if 0 <= other < len(cases):
                cases[index], cases[other] = cases[other], cases[index]
        else:
            raise ExpertiseError({"action": "action inconnue."})
        content["cas_usage"] = cases
        found.contenu = content
        found.save(update_fields=["contenu", "modifie_le"])
    return found


# Reading ----------------------------------------------------------------------------------------


def recommendations(demande: Demande, content: dict) -> list:
    """The catalogue's solutions and the Académie's trainings for the report's use cases,
    asked through the hub (the modules answer when they are registered)."""
    entreprise = demande.entreprise
    chain = tuple(n.code for n in entreprise.naf.ancetres())
    contexte = Contexte(
        naf=entreprise.naf_id,
        naf_chain=chain,
        section=entreprise.naf.section,
        categorie_taille=entreprise.categorie_taille,
        departement=entreprise.departement_id,
        region=entreprise.region_id,
        cas_usage=tuple(
            {
                "famille": c["famille"],
                "libelle": c["libelle"],
                "valeur": c["valeur"],
                "faisabilite": c["faisabilite"],
                "priorite": "",
                "score": c["valeur"],
                "justification": c["justification"],
            }
            for c in content.get("cas_usage", [])
        ),
        entreprise_id=entreprise.pk,
        effectif=entreprise.effectif,
    )
    return [r for r in recommend(contexte) if r.module.code in HUB_SECTIONS]


def view(demande: Demande, with_recommendations: bool = True) -> dict:
    """Everything the report's page, its PDF and the API show."""
    found = Rapport.objects.filter(demande=demande).first()
    if found is None:
        return {}
    content = found.contenu
    cases = [
        {
            **c,
            "rang": i + 1,
            "gain": rapport.gain(c),
            "risque": codes.label("risque_ia_act", c["risque_ia_act"]),
            "famille_libelle": codes.label("famille", c["famille"]),
        }
        for i, c in enumerate(content.get("cas_usage", []))
    ]
    start = timezone.localdate(found.remis_le or timezone.now())
    return {
        "rapport": found,
        "contenu": content,
        "cas": cases,
        "points": rapport.matrice(content.get("cas_usage", [])),
        "feuille_de_route": rapport.feuille_de_route(
            content.get("cas_usage", []), start.year, (start.month - 1) // 3 + 1
        ),
        "recommandations": recommendations(demande, content) if with_recommendations else [],
        "matrice": {"largeur": rapport.LARGEUR, "hauteur": rapport.HAUTEUR, "marge": rapport.MARGE},
    }
