import pytest
from django.core.exceptions import ValidationError

from osezia.diagnostics import services
from osezia.diagnostics.models import Diagnostic, Questionnaire
from tests.comptes.factories import member
from tests.diagnostics.factories import all_answers, completed_diagnostic, profil, run_all_steps
from tests.entreprises.factories import EntrepriseFactory


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"naf": "99.99Z"}, "naf"),
        ({"effectif": -1}, "effectif"),
        ({"departement": "20"}, "departement"),
        ({"description": "x" * 5001}, "description"),
    ],
)
def test_profile_is_validated_in_french(db, kw, field):
    with pytest.raises(ValidationError) as excinfo:
        profil(**kw)
    assert field in excinfo.value.message_dict


def test_step_by_step_save_resume_and_complete(db, questionnaire):
    diagnostic = services.start(profil())
    answers = all_answers(questionnaire, "second")
    with pytest.raises(ValidationError) as excinfo:
        services.save_step(diagnostic, 1, {})  # STRATEGIE has required questions
    assert "Répondez à cette question" in str(excinfo.value)
    # « Enregistrer et reprendre plus tard » keeps partial answers without advancing.
    first_strategy = next(q.code for q in questionnaire.questions if q.etape == "STRATEGIE")
    services.save_step(diagnostic, 1, {first_strategy: answers[first_strategy]}, advance=False)
    diagnostic.refresh_from_db()
    assert diagnostic.reponses[first_strategy] == [answers[first_strategy]]
    assert diagnostic.etape_courante == 0
    run_all_steps(diagnostic, answers)
    diagnostic.refresh_from_db()
    assert diagnostic.statut == "termine"
    assert 0 < diagnostic.score_global < 100 and diagnostic.niveau
    assert len(diagnostic.cas_usage) == 23 and diagnostic.cas_usage[0]["famille"] == "PREVISION"
    with pytest.raises(ValidationError):
        services.save_step(diagnostic, 0, {})


def test_a_new_questionnaire_version_never_changes_a_past_result(db, questionnaire):
    diagnostic = run_all_steps(services.start(profil()), all_answers(questionnaire, "max"))
    before = (diagnostic.questionnaire_id, diagnostic.score_global, diagnostic.cas_usage)
    v1 = Questionnaire.objects.get(version=1)
    copy = services.copy_as_new_version(v1)
    copy.questions.filter(code="STRAT_PRIORITE").first().options.update(points=0)
    copy.publie = True
    copy.save()
    assert services.current_questionnaire() == copy
    diagnostic.refresh_from_db()
    assert (diagnostic.questionnaire_id, diagnostic.score_global, diagnostic.cas_usage) == before
    services.rescore_all()
    diagnostic.refresh_from_db()
    assert diagnostic.score_global == before[1]  # re-scored against its own version


def test_peers_appear_from_five_other_companies_and_never_show_one(db, questionnaire):
    mine = completed_diagnostic(pick="min")
    assert services.peers(mine) is None
    others = [completed_diagnostic(pick=pick) for pick in ["max", "max", "second", "second"]]
    assert services.peers(mine) is None  # only 4 others
    completed_diagnostic(pick="min")
    # A second diagnostic of the same company counts once (its latest).
    completed_diagnostic(others[0].entreprise, pick="min")
    result = services.peers(mine)
    assert result["nombre"] == 5
    # Latest of each: others[0] now scores 0 (min), then 100, s, s and 0; never `mine`.
    s_score = others[2].score_global
    assert result["global"] == round((0 + 100 + 2 * s_score + 0) / 5)


def test_attach_and_history(db, questionnaire, make_user):
    user = make_user()
    company = EntrepriseFactory()
    member(user, company, admin=True)
    anonymous = run_all_steps(services.start(profil()), all_answers(questionnaire, "min"))
    services.attach(anonymous, company, user)
    second = services.submit(user, company, all_answers(questionnaire, "max"))
    history = list(services.history(company))
    assert history == [second, anonymous]
    diff = services.compare(anonymous, second)
    assert diff["global"]["ecart"] == second.score_global - anonymous.score_global > 0
    with pytest.raises(ValidationError):
        services.attach(anonymous, EntrepriseFactory(), user)


def test_submit_requires_every_required_answer(db, questionnaire):
    company = EntrepriseFactory()
    answers = all_answers(questionnaire, "max")
    answers.pop("STRAT_BUDGET")
    with pytest.raises(ValidationError) as excinfo:
        services.submit(None, company, answers)
    assert "STRAT_BUDGET" in str(excinfo.value)
    assert not Diagnostic.objects.filter(entreprise=company).exists()


def test_rescore_command_in_parallel_slices_covers_every_diagnostic(db, questionnaire):
    from io import StringIO

    from django.core.management import call_command

    for _ in range(7):
        completed_diagnostic(pick="second")
    ranges = services.completed_pk_ranges(3)
    covered = Diagnostic.objects.filter(statut="termine").values_list("pk", flat=True)
    assert sorted(pk for pk in covered if any(a <= pk <= b for a, b in ranges)) == sorted(covered)
    assert all(ranges[i][1] < ranges[i + 1][0] for i in range(len(ranges) - 1))
    Diagnostic.objects.update(cas_usage=[])
    assert (
        services.rescore_all(batch_size=2, pk_range=ranges[1])
        == Diagnostic.objects.filter(pk__gte=ranges[1][0], pk__lte=ranges[1][1]).count()
    )
    out = StringIO()
    call_command("rescore_diagnostics", stdout=out)
    assert "7 diagnostic(s) recalculé(s)" in out.getvalue()
    assert all(len(d.cas_usage) == 23 for d in Diagnostic.objects.all())
