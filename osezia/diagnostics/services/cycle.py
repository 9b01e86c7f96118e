"""The life of a stored diagnostic: start, answer step by step (or all at once through the
API), complete, keep an anonymous diagnostic in a company."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from osezia.entreprises.models import Entreprise

from .. import parcours, scoring
from ..models import Diagnostic
from .profils import Profil, profile_of
from .questionnaires import current_questionnaire, questionnaire_data
from .resultats import answers_of, evaluate_diagnostic, store_results, validate_answers

FINISHED = "Ce diagnostic est terminé : commencez-en un nouveau pour le refaire."


@transaction.atomic
def start(profil: Profil, auteur=None, entreprise: Entreprise | None = None) -> Diagnostic:
    return Diagnostic.objects.create(
        jeton=secrets.token_urlsafe(32),
        questionnaire=current_questionnaire(),
        entreprise=entreprise,
        auteur=auteur if auteur is not None and auteur.is_authenticated else None,
        naf_id=profil.naf,
        effectif=profil.effectif,
        chiffre_affaires_cents=None
        if profil.chiffre_affaires_eur is None
        else profil.chiffre_affaires_eur * 100,
        categorie_taille=profil.taille.categorie,
        departement_id=profil.departement,
        description=profil.description,
    )


@transaction.atomic
def save_step(
    diagnostic: Diagnostic, etape_index: int, raw: dict, advance: bool = True
) -> Diagnostic:
    """Record the answers of one step; with `advance`, every required question must be answered."""
    if diagnostic.statut == Diagnostic.Statut.TERMINE:
        raise ValidationError(FINISHED)
    data = questionnaire_data(diagnostic.questionnaire)
    etape = data.etapes[etape_index]
    codes = {q.code for q in data.questions_of(etape.code)}
    step_raw = {code: value for code, value in raw.items() if code in codes}
    answers = validate_answers(data, step_raw)
    if advance:
        missing = scoring.missing_required(data, answers, etape.code)
        if missing:
            raise ValidationError(
                dict.fromkeys(missing, "Répondez à cette question pour continuer.")
            )
    merged = {k: v for k, v in diagnostic.reponses.items() if k not in codes}
    merged.update({code: list(values) for code, values in answers.items()})
    diagnostic.reponses = merged
    if advance:
        diagnostic.etape_courante = parcours.reached_after(
            len(data.etapes), diagnostic.etape_courante, etape_index
        )
    diagnostic.save(update_fields=["reponses", "etape_courante"])
    return diagnostic


@transaction.atomic
def answer_step(diagnostic: Diagnostic, etape_index: int, raw: dict, action: str) -> parcours.Suite:
    """One submitted step of the page: saved (checked when the person moves on), then the step
    that follows, or the diagnostic completed after its last step."""
    action = parcours.action_of(action)
    save_step(diagnostic, etape_index, raw, advance=action == parcours.NEXT)
    total = len(questionnaire_data(diagnostic.questionnaire).etapes)
    suite = parcours.after_save(total, etape_index, action)
    if suite.complete:
        complete(diagnostic)
    return suite


@transaction.atomic
def complete(diagnostic: Diagnostic) -> Diagnostic:
    data = questionnaire_data(diagnostic.questionnaire)
    missing = parcours.missing_to_complete(data, answers_of(diagnostic))
    if missing:
        raise ValidationError(f"{len(missing)} question(s) obligatoire(s) sans réponse.")
    store_results(diagnostic, evaluate_diagnostic(diagnostic))
    diagnostic.statut = Diagnostic.Statut.TERMINE
    diagnostic.termine_le = timezone.now()
    diagnostic.save()
    return diagnostic


@transaction.atomic
def submit(
    auteur, entreprise: Entreprise, reponses: dict, description: str | None = None
) -> Diagnostic:
    """A whole diagnostic in one call (API): the company's profile, all the answers."""
    diagnostic = start(profile_of(entreprise, description), auteur, entreprise)
    data = questionnaire_data(diagnostic.questionnaire)
    answers = validate_answers(data, reponses)
    missing = parcours.missing_to_complete(data, answers)
    if missing:
        raise ValidationError(
            {"reponses": [f"Questions obligatoires sans réponse : {', '.join(missing)}."]}
        )
    diagnostic.reponses = {code: list(values) for code, values in answers.items()}
    return complete(diagnostic)


@transaction.atomic
def attach(diagnostic: Diagnostic, entreprise: Entreprise, user) -> Diagnostic:
    """Keep an anonymous diagnostic in the company the person has just registered."""
    if diagnostic.entreprise_id and diagnostic.entreprise_id != entreprise.pk:
        raise ValidationError("Ce diagnostic appartient déjà à une autre entreprise.")
    diagnostic.entreprise = entreprise
    diagnostic.auteur = diagnostic.auteur or user
    diagnostic.save(update_fields=["entreprise", "auteur"])
    return diagnostic
