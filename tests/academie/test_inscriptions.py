import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from osezia.academie import services
from osezia.academie.models import ApprenantForme, Inscription, Session, Tutoriel
from tests.academie.conftest import PREMIERS_PAS, start, store, training, wait_quiz


def test_seats_then_waiting_list_then_promotion_on_cancel(session_lyon, learner):
    first, second, third = learner(), learner(), learner()
    assert services.enrol(first, session_lyon.pk).statut == "inscrit"
    assert services.enrol(second, session_lyon.pk).statut == "inscrit"
    waiting = services.enrol(third, session_lyon.pk)
    assert waiting.statut == "attente"
    session_lyon.refresh_from_db()
    assert session_lyon.places_prises == 2 and session_lyon.places_restantes == 0
    with pytest.raises(ValidationError, match="déjà inscrit"):
        services.enrol(first, session_lyon.pk)
    services.cancel(first, Inscription.objects.get(apprenant=first))
    waiting.refresh_from_db()
    session_lyon.refresh_from_db()
    assert waiting.statut == "inscrit" and session_lyon.places_prises == 2


def test_enrolment_needs_a_profile_and_an_open_future_session(session_lyon, make_user, learner):
    with pytest.raises(ValidationError, match="public"):
        services.enrol(make_user(), session_lyon.pk)
    Session.objects.filter(pk=session_lyon.pk).update(
        etat_recrutement=Session.EtatRecrutement.FERME
    )
    with pytest.raises(ValidationError, match="pas ouvertes"):
        services.enrol(learner(), session_lyon.pk)
    Session.objects.filter(pk=session_lyon.pk).update(
        etat_recrutement=Session.EtatRecrutement.OUVERT,
        debut=timezone.localdate() - timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="commencé"):
        services.enrol(learner(), session_lyon.pk)


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_never_oversell(learner):
    store(training(), reindex=False)
    session = Session.objects.get(reference="S1")
    Session.objects.filter(pk=session.pk).update(places=5)
    users = [learner() for _ in range(16)]
    barrier = threading.Barrier(len(users))
    errors = []

    def enrol(user):
        try:
            barrier.wait()
            services.enrol(user, session.pk)
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    session.refresh_from_db()
    statuses = list(Inscription.objects.filter(session=session).values_list("statut", flat=True))
    assert session.places_prises == 5
    assert statuses.count("inscrit") == 5 and statuses.count("attente") == 11


def test_only_the_organisation_or_an_operator_validates(session_lyon, learner, make_user, operator):
    person, other_person = learner(), learner()
    inscription = services.enrol(person, session_lyon.pk)
    second = services.enrol(other_person, session_lyon.pk)
    trainer = make_user()
    session_lyon.action.formation.organisme.membres.add(trainer)
    with pytest.raises(ValidationError, match="pas encore commencé"):
        services.complete_session(trainer, inscription)
    start(session_lyon)
    stranger = make_user()
    for someone in (person, stranger):
        with pytest.raises(PermissionDenied):
            services.complete_session(someone, inscription)
    with pytest.raises(PermissionDenied):
        services.cancel(stranger, inscription)
    done = services.complete_session(trainer, inscription)
    assert done.statut == "terminee" and len(done.code_verification) == 14
    # Another organisation's member cannot validate this session either.
    other = make_user()
    store(
        training(
            reference="T-002", organisme={**training()["organisme"], "siret": "40483304800022"}
        ),
        reindex=False,
    )
    Session.objects.get(
        action__formation__reference="T-002"
    ).action.formation.organisme.membres.add(other)
    with pytest.raises(PermissionDenied):
        services.complete_session(other, second)
    assert services.complete_session(operator, second).statut == "terminee"


def test_the_organisation_declares_a_participant_who_did_not_enrol(
    session_lyon, learner, make_user
):
    trainer, stranger = make_user(), make_user()
    session_lyon.action.formation.organisme.membres.add(trainer)
    person = learner("DEMANDEUR_EMPLOI", "13")
    code = person.profil_apprenant.code_apprenant
    with pytest.raises(ValidationError, match="pas encore commencé"):
        services.record_attendance(trainer, session_lyon, person.email, code)
    start(session_lyon)
    session_lyon.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.record_attendance(stranger, session_lyon, person.email, code)
    # Without the learner's own code, nothing happens, and nothing tells whether the account
    # exists or has a profile.
    neutral = "aucun apprenant ne correspond"
    for email, given in (
        ("inconnu@exemple.fr", code),
        (person.email, "AAAA-BBBB"),
        (make_user().email, code),
    ):
        with pytest.raises(ValidationError, match=neutral):
            services.record_attendance(trainer, session_lyon, email, given)
    done = services.record_attendance(trainer, session_lyon, person.email.upper(), code.lower())
    assert done.statut == "terminee" and done.valide_par == trainer
    with pytest.raises(ValidationError, match="déjà enregistré"):
        services.record_attendance(trainer, session_lyon, person.email, code)
    assert services.counters()["par_region"] == {"93": 1}
    # A declared participant takes a seat like any other; a full session refuses more.
    session_lyon.refresh_from_db()
    assert session_lyon.places_prises == 1
    services.record_attendance(
        trainer, session_lyon, (p := learner()).email, p.profil_apprenant.code_apprenant
    )
    late = learner()
    with pytest.raises(ValidationError, match="complète"):
        services.record_attendance(
            trainer, session_lyon, late.email, late.profil_apprenant.code_apprenant
        )


def test_deleting_an_account_frees_its_seats_and_keeps_the_count(session_lyon, learner, operator):
    first, second, waiting = learner(), learner(), learner()
    enrolments = [services.enrol(p, session_lyon.pk) for p in (first, second, waiting)]
    start(session_lyon)
    services.complete_session(operator, enrolments[0])
    second.delete()
    enrolments[2].refresh_from_db()
    session_lyon.refresh_from_db()
    assert enrolments[2].statut == "inscrit" and session_lyon.places_prises == 2
    first.delete()
    session_lyon.refresh_from_db()
    assert session_lyon.places_prises == 1
    assert services.counters()["professionnels_formes"] == 1
    assert services.recount()["professionnels_formes"] == 1


def test_counter_counts_distinct_persons_by_public_region_and_month(
    session_lyon, learner, operator
):
    apprentice = learner("APPRENTI", "35")  # Bretagne
    employee = learner("SALARIE", "69")
    Session.objects.filter(pk=session_lyon.pk).update(places=10)
    # The apprentice confirmed enrolling in a session aimed at employees and leaders.
    enrolments = [
        services.enrol(person, session_lyon.pk, outside_audience_confirmed=True)
        for person in (apprentice, employee)
    ]
    # A second completed training of the same person does not count twice.
    store(
        training(reference="T-002", actions=[{**training()["actions"][0], "reference": "B"}]),
        reindex=False,
    )
    other = Session.objects.get(action__formation__reference="T-002")
    enrolments.append(services.enrol(employee, other.pk))
    start(session_lyon, other)
    for inscription in enrolments:
        services.complete_session(operator, inscription)
    counters = services.counters()
    month = timezone.localdate().strftime("%Y-%m")
    assert counters["professionnels_formes"] == 2
    assert counters["par_public"] == {
        "APPRENTI": 1,
        "DEMANDEUR_EMPLOI": 0,
        "SALARIE": 1,
        "DIRIGEANT": 0,
    }
    assert counters["par_region"] == {"53": 1, "84": 1}
    assert counters["par_mois"] == {month: 2}
    assert counters["objectif_2030"] == 15_000_000
    assert ApprenantForme.objects.count() == 2
    # Rebuilding from the trained persons gives the same figures.
    assert services.recount() == counters


def test_a_tutorial_is_completed_by_its_quiz_and_a_path_by_its_steps(db, learner):
    from osezia.academie.models import Parcours

    tutorial = services.save_tutoriel(dict(PREMIERS_PAS))
    path = services.save_parcours(
        {
            "slug": "decider",
            "titre": "Décider",
            "public": "DIRIGEANT",
            "etapes": [{"tutoriel": "premiers-pas"}],
        }
    )
    person = learner("DIRIGEANT", "75")
    suivi = services.start_path(person, path)
    assert suivi.termine_le is None
    failed = services.submit_quiz(person, tutorial, [0, 1, 2])
    assert (failed.correct, failed.passed) == (1, False)
    assert services.counters()["professionnels_formes"] == 0
    wait_quiz(31)
    passed = services.submit_quiz(person, tutorial, [1, 0, 0])
    assert passed.passed and passed.inscription.statut == "terminee"
    suivi.refresh_from_db()
    assert suivi.termine_le is not None and suivi.code_verification
    # The completed path makes a « professionnel formé »; the tutorial alone would not.
    assert services.counters()["par_public"]["DIRIGEANT"] == 1
    with pytest.raises(ValidationError, match="3 questions"):
        services.submit_quiz(person, tutorial, [1])
    assert Parcours.objects.get().etapes.count() == 1
    assert Tutoriel.objects.get().inscriptions.count() == 1


def test_invalid_tutorials_and_paths_are_refused_in_french(db):
    with pytest.raises(ValidationError) as error:
        services.save_tutoriel({"slug": "Mauvais Slug", "quiz": [{"choix": ["a"], "reponse": 3}]})
    text = " ".join(error.value.messages)
    assert "identifiant invalide" in text and "de 2 à 6 choix" in text
    with pytest.raises(ValidationError, match="introuvable"):
        services.save_parcours(
            {"slug": "x", "titre": "X", "public": "SALARIE", "etapes": [{"tutoriel": "absent"}]}
        )


def test_seats_added_by_a_reimport_go_to_the_waiting_list(session_lyon, learner):
    people = [learner() for _ in range(4)]
    for person in people:
        services.enrol(person, session_lyon.pk)
    assert Inscription.objects.filter(statut="attente").count() == 2
    bigger = training()
    bigger["actions"][0]["sessions"][0]["places"] = 3
    store(bigger, reindex=False)
    first_waiting = Inscription.objects.get(apprenant=people[2])
    assert first_waiting.statut == "inscrit"
    assert Inscription.objects.get(apprenant=people[3]).statut == "attente"
    session_lyon.refresh_from_db()
    assert session_lyon.places_prises == 3
