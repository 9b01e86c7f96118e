"""The stored results of a consultation: which votes count, segments, opinion groups and their
map, and the debounced recompute after votes."""

from datetime import timedelta

import pytest
from django.utils import timezone
from sklearn.metrics import adjusted_rand_score

from osezia.consultation.models import Proposition, Resultats, Vote
from osezia.consultation.services import resultats
from osezia.referentiels import codes
from tests.consultation import factories
from tests.consultation.test_opinion import planted

pytestmark = pytest.mark.django_db

TEXTS = [
    "Former les salariés des TPE à l'intelligence artificielle",
    "Créer un guichet unique pour les projets d'IA des PME",
    "Financer des diagnostics IA dans chaque région",
    "Ouvrir les données publiques aux jeunes entreprises",
    "Interdire la reconnaissance faciale dans les commerces",
    "Publier les algorithmes utilisés par les administrations",
]


def bulk_votes(rows):
    """Votes (participant, proposition, vote, qualification) written at once, each proposal's
    counters set from them as the services would have moved them."""
    Vote.objects.bulk_create(
        Vote(
            consultation=proposition.consultation,
            participant=participant,
            proposition=proposition,
            vote=value,
            qualification=qualification,
        )
        for participant, proposition, value, qualification in rows
    )
    for proposition in {row[1] for row in rows}:
        counts = {
            v: Vote.objects.filter(proposition=proposition, vote=v).count()
            for v in codes.codes("vote_consultation")
        }
        Proposition.objects.filter(pk=proposition.pk).update(votes=sum(counts.values()), **counts)


@pytest.fixture
def consultation():
    return factories.consultation()


def by_id(donnees):
    return {p["id"]: p for p in donnees["propositions"]}


def test_untrustworthy_participants_do_not_count(consultation):
    proposal = factories.proposition(consultation, TEXTS[0])
    trusted = [factories.participant(consultation) for _ in range(3)]
    excluded = [factories.participant(consultation, fiable=False) for _ in range(2)]
    bulk_votes(
        [(p, proposal, "pour", "realiste") for p in trusted]
        + [(p, proposal, "contre", "surtout_pas") for p in excluded]
    )
    donnees = resultats.compute(consultation)
    figures = by_id(donnees)[proposal.pk]
    assert (figures["votes"], figures["pour"], figures["contre"]) == (3, 3, 0)
    assert figures["qualifications"]["realiste"] == 3
    assert figures["qualifications"]["surtout_pas"] == 0
    assert figures["texte"] == TEXTS[0]
    assert donnees["compteurs"] == {
        "participants": 5,
        "participants_fiables": 3,
        "votes": 5,
        "votes_fiables": 3,
        "votes_comptes": 3,
    }


def test_hidden_pending_and_refused_proposals_are_left_out(consultation):
    shown = factories.proposition(consultation, TEXTS[0])
    hidden = factories.proposition(consultation, TEXTS[1], masquee=True)
    pending = factories.proposition(consultation, TEXTS[2], statut="en_attente")
    refused = factories.proposition(consultation, TEXTS[3], statut="refusee", motif="hors_sujet")
    people = [factories.participant(consultation) for _ in range(4)]
    bulk_votes([(p, x, "pour", "") for p in people for x in (shown, hidden, pending, refused)])
    donnees = resultats.compute(consultation)
    assert list(by_id(donnees)) == [shown.pk]
    assert donnees["compteurs"]["votes_comptes"] == 4
    assert donnees["compteurs"]["votes_fiables"] == 16
    # the contract read by the API, as stored
    assert set(donnees) >= {"propositions", "groupes"}
    assert set(donnees["groupes"]) == {
        "k",
        "participants_classes",
        "groupes",
        "representatifs",
        "consensus",
    }
    assert {"id", "texte", "votes", "pour", "contre", "neutre", "score", "controverse", "zone"} <= (
        set(donnees["propositions"][0])
    )


def test_proposals_are_ranked_by_score_and_zoned(consultation):
    liked = factories.proposition(consultation, TEXTS[0])
    split = factories.proposition(consultation, TEXTS[4])
    people = [factories.participant(consultation) for _ in range(40)]
    bulk_votes(
        [(p, liked, "pour" if i < 36 else "contre", "") for i, p in enumerate(people)]
        + [(p, split, "pour" if i % 2 else "contre", "") for i, p in enumerate(people)]
    )
    propositions = resultats.compute(consultation)["propositions"]
    assert [p["id"] for p in propositions] == [liked.pk, split.pk]
    assert [p["zone"] for p in propositions] == ["consensus", "controverse"]
    assert propositions[0]["score"] > propositions[1]["score"]


def test_a_segment_shows_a_proposal_from_thirty_votes(consultation):
    proposal = factories.proposition(consultation, TEXTS[0])
    other = factories.proposition(consultation, TEXTS[1])
    young = [
        factories.participant(consultation, tranche_age="25_34", region="84", profil="entreprise")
        for _ in range(30)
    ]
    older = [
        factories.participant(consultation, tranche_age="50_64", region="53", profil="citoyen")
        for _ in range(29)
    ]
    rows = [(p, proposal, "pour", "") for p in young + older]
    rows += [(p, other, "contre", "") for p in young[:29]]
    bulk_votes(rows)
    segments = resultats.compute(consultation)["segments"]

    ages = {s["code"]: s for s in segments["tranche_age"]}
    assert list(ages) == ["25_34"]
    assert ages["25_34"]["libelle"] == "25 à 34 ans"
    assert [(p["id"], p["votes"], p["pour"]) for p in ages["25_34"]["propositions"]] == [
        (proposal.pk, 30, 30)
    ]
    regions = {s["code"]: s for s in segments["region"]}
    assert list(regions) == ["84"] and regions["84"]["libelle"] == "Auvergne-Rhône-Alpes"
    assert [s["libelle"] for s in segments["profil"]] == ["Entreprise"]


def test_segments_count_only_trustworthy_votes(consultation):
    proposal = factories.proposition(consultation, TEXTS[0])
    people = [factories.participant(consultation, tranche_age="18_24") for _ in range(29)]
    people.append(factories.participant(consultation, tranche_age="18_24", fiable=False))
    bulk_votes([(p, proposal, "pour", "") for p in people])
    assert resultats.compute(consultation)["segments"]["tranche_age"] == []


@pytest.fixture
def planted_consultation(consultation):
    votes, truth = planted()
    statements = sorted({s for _, s, _ in votes})
    proposals = {
        s: factories.proposition(consultation, f"Proposition citoyenne n° {i + 1} sur l'IA")
        for i, s in enumerate(statements)
    }
    people = {name: factories.participant(consultation, pseudonyme=f"v{name}") for name in truth}
    value = {1: "pour", -1: "contre", 0: "neutre"}
    bulk_votes([(people[n], proposals[s], value[v], "") for n, s, v in votes])
    return consultation, truth, proposals


def test_opinion_groups_are_found_on_planted_votes(planted_consultation):
    consultation, truth, proposals = planted_consultation
    donnees = resultats.compute(consultation)
    groupes = donnees["groupes"]
    assert groupes["k"] == 3
    assert groupes["participants_classes"] == len(truth)
    names = sorted(truth)
    assert (
        adjusted_rand_score([truth[n] for n in names], [groupes["groupes"][f"v{n}"] for n in names])
        > 0.9
    )
    ids = {str(p.pk) for p in proposals.values()}
    assert all(set(r) <= ids for r in groupes["representatifs"].values())

    carte = donnees["carte"]
    assert len(carte["points"]) == len(truth) and carte["echantillon"] is False
    assert all(len(point) == 3 and point[2] in (0, 1, 2) for point in carte["points"])
    assert all(round(point[0], 3) == point[0] for point in carte["points"])
    assert sorted(g["taille"] for g in carte["groupes"]) == sorted(
        sum(1 for n in names if groupes["groupes"][f"v{n}"] == g) for g in range(3)
    )
    texts = {p.pk: p.texte for p in proposals.values()}
    for group in carte["groupes"]:
        assert group["representatives"]
        for item in group["representatives"]:
            assert item["texte"] == texts[item["id"]] and item["sens"] in ("pour", "contre")


def test_the_map_is_a_capped_sample_of_fixed_seed(planted_consultation, monkeypatch):
    consultation, truth, _ = planted_consultation
    monkeypatch.setattr(resultats, "MAP_SAMPLE", 50)
    first = resultats.compute(consultation)["carte"]
    assert len(first["points"]) == 50
    assert first["echantillon"] is True and first["participants_classes"] == len(truth)
    assert resultats.compute(consultation)["carte"]["points"] == first["points"]


def test_queries_do_not_grow_with_proposals_or_votes(consultation, django_assert_max_num_queries):
    def populate(count):
        proposals = [factories.proposition(consultation, TEXTS[i % 6]) for i in range(count)]
        people = [factories.participant(consultation, tranche_age="35_49") for _ in range(10)]
        bulk_votes([(p, x, "pour", "coup_de_coeur") for p in people for x in proposals])

    populate(2)
    with django_assert_max_num_queries(10) as few:
        resultats.compute(consultation)
    populate(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        resultats.compute(consultation)


def test_refresh_stores_one_row_per_consultation(consultation):
    proposal = factories.proposition(consultation, TEXTS[0])
    voter = factories.participant(consultation)
    factories.vote(voter, proposal, "pour")
    first = resultats.refresh(consultation)
    factories.vote(factories.participant(consultation), proposal, "contre")
    second = resultats.refresh(consultation)
    assert Resultats.objects.filter(consultation=consultation).count() == 1
    assert second.pk == first.pk and second.calcule_le >= first.calcule_le
    stored = Resultats.objects.get(consultation=consultation).donnees
    assert (stored["propositions"][0]["pour"], stored["propositions"][0]["contre"]) == (1, 1)


@pytest.fixture
def dummy_tasks(settings):
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.CONSULTATION_RESULTATS_DELAI = 30
    backend = task_backends["default"]
    backend.clear()
    return backend


def test_schedule_debounces_to_one_pending_task(
    consultation, dummy_tasks, django_capture_on_commit_callbacks
):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        resultats.schedule(consultation)
        resultats.schedule(consultation)
    with django_capture_on_commit_callbacks(execute=True):
        resultats.schedule(consultation)
    assert len(dummy_tasks.results) == 1
    pending = dummy_tasks.results[0]
    assert list(pending.args) == [consultation.pk]
    assert (
        before + timedelta(seconds=29)
        < pending.task.run_after
        < timezone.now() + timedelta(seconds=31)
    )
    # another consultation has its own pending run
    with django_capture_on_commit_callbacks(execute=True):
        resultats.schedule(factories.consultation(slug="autre-consultation"))
    assert len(dummy_tasks.results) == 2


def test_votes_during_a_computation_schedule_another_one(
    consultation, dummy_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resultats.schedule(consultation)
    assert resultats.refresh_pending(consultation.pk) is True  # what the task runs
    with django_capture_on_commit_callbacks(execute=True):
        resultats.schedule(consultation)
    assert len(dummy_tasks.results) == 2
    assert Resultats.objects.filter(consultation=consultation).exists()


def test_a_deferred_run_spares_the_cache_only_until_shortly_before_it_starts(
    consultation, dummy_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    from django.core.cache import cache

    now = [1000.0]
    monkeypatch.setattr(resultats, "_clock", lambda: now[0])
    with django_capture_on_commit_callbacks(execute=True):
        resultats.schedule(consultation)
    assert len(dummy_tasks.results) == 1
    cache.clear()  # the pending mark lost (evicted, a cache restarted)
    now[0] += 10  # the run deferred by 30 s will read these votes: nothing more
    with django_capture_on_commit_callbacks(execute=True):
        resultats.schedule(consultation)
    assert len(dummy_tasks.results) == 1
    now[0] += 16  # 4 s before the run: the cache is asked again, and a new run is queued
    with django_capture_on_commit_callbacks(execute=True):
        resultats.schedule(consultation)
    assert len(dummy_tasks.results) == 2


def test_nothing_is_scheduled_when_the_vote_is_rolled_back(
    consultation, dummy_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        resultats.schedule(consultation)
    assert dummy_tasks.results == []
    with django_capture_on_commit_callbacks(execute=True):
        resultats.schedule(consultation)
    assert len(dummy_tasks.results) == 1


def test_the_task_recomputes_the_stored_results(consultation, immediate_tasks):
    proposal = factories.proposition(consultation, TEXTS[0])
    factories.vote(factories.participant(consultation), proposal, "pour")
    with immediate_tasks(execute=True):
        resultats.schedule(consultation)
    stored = Resultats.objects.get(consultation=consultation).donnees
    assert stored["propositions"][0]["pour"] == 1
    assert stored["compteurs"]["votes_comptes"] == 1


def test_the_task_of_a_deleted_consultation_does_nothing(consultation):
    from osezia.consultation.tasks import refresh_results

    pk = consultation.pk
    consultation.delete()
    assert refresh_results.call(pk) is False
    assert not Resultats.objects.exists()


def test_a_consultation_without_votes_has_empty_results(consultation):
    proposal = factories.proposition(consultation, TEXTS[0])
    donnees = resultats.compute(consultation)
    assert [(p["id"], p["votes"], p["zone"]) for p in donnees["propositions"]] == [
        (proposal.pk, 0, "limbo")
    ]
    assert donnees["groupes"]["k"] == 0 and donnees["groupes"]["groupes"] == {}
    assert donnees["carte"]["points"] == [] and donnees["carte"]["groupes"] == []
    assert all(kind == [] for kind in donnees["segments"].values())
