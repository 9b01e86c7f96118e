"""The scheduler of docs/evenements.md on plain data: the contract's rules, the French errors,
and on many random small instances bound ≥ exact optimum (brute force) ≥ objective."""

import copy
import random

import pytest

from osezia.evenements.generateur import instance_aleatoire, instance_difficile
from osezia.evenements.planification import InstanceInvalide, lire_instance, planifier, verifier


def creneau(k):
    return {
        "id": f"C{k}",
        "debut": f"2027-03-11T0{k}:00:00+01:00",
        "fin": f"2027-03-11T0{k}:20:00+01:00",
    }


def base(**extra):
    donnees = {
        "creneaux": [creneau(1), creneau(2)],
        "tables": 2,
        "participants": [
            {"id": "E1", "disponibilites": ["C1", "C2"], "max_rendez_vous": 2},
            {"id": "F1", "disponibilites": ["C1", "C2"], "max_rendez_vous": 2},
            {"id": "F2", "disponibilites": ["C2"], "max_rendez_vous": 1},
        ],
        "interets": [
            {"de": "E1", "vers": "F1", "poids": 3},
            {"de": "F1", "vers": "E1", "poids": 1},
            {"de": "E1", "vers": "F2", "poids": 1},
        ],
        "imposes": [],
    }
    donnees.update(extra)
    return donnees


def test_a_small_event_is_scheduled_optimally_with_every_rule_kept():
    sortie = planifier(base())
    assert sortie["statut"] == "optimal"
    assert sortie["objectif"] == sortie["borne_superieure"] == 5.0
    assert verifier(base(), sortie["rendez_vous"]) == []
    creneaux = {frozenset((r["a"], r["b"])): r["creneau"] for r in sortie["rendez_vous"]}
    assert creneaux[frozenset(("E1", "F2"))] == "C2"
    assert creneaux[frozenset(("E1", "F1"))] == "C1"


def test_a_refusal_in_either_direction_and_a_zero_weight_are_never_scheduled():
    donnees = base()
    donnees["interets"].append({"de": "F1", "vers": "E1", "refus": True})
    donnees["interets"] = [i for i in donnees["interets"] if i.get("poids") != 1 or i["de"] != "F1"]
    donnees["interets"].append({"de": "F2", "vers": "F1", "poids": 0})
    paires = {frozenset((r["a"], r["b"])) for r in planifier(donnees)["rendez_vous"]}
    assert paires == {frozenset(("E1", "F2"))}


def test_imposed_meetings_keep_their_slot_and_table():
    donnees = base(imposes=[{"a": "F1", "b": "E1", "creneau": "C2", "table": 2}])
    sortie = planifier(donnees)
    assert {"a": "E1", "b": "F1", "creneau": "C2", "table": 2} in sortie["rendez_vous"]
    # E1 is busy in C2, F2 only available then: the imposed meeting costs the pair E1–F2
    assert sortie["objectif"] == 4.0 and sortie["statut"] == "optimal"


@pytest.mark.parametrize(
    ("modifier", "morceau"),
    [
        (lambda d: d["participants"].append(dict(d["participants"][0])), "en double"),
        (lambda d: d["creneaux"].append(creneau(1)), "en double"),
        (lambda d: d["interets"].append({"de": "E1", "vers": "X9", "poids": 1}), "inconnu"),
        (lambda d: d["interets"].append({"de": "F2", "vers": "F1", "poids": -1}), "négatif"),
        (lambda d: d["interets"].append({"de": "F2", "vers": "F2", "poids": 1}), "lui-même"),
        (lambda d: d["creneaux"][0].update(debut="11/03/2027 9h"), "mal formée"),
        (lambda d: d["participants"][0]["disponibilites"].append("C7"), "inconnu"),
        (lambda d: d.update(tables=-1), "supérieur ou égal"),
        (lambda d: d["participants"][1].update(max_rendez_vous="trois"), "entier"),
    ],
)
def test_a_bad_instance_is_refused_in_french(modifier, morceau):
    donnees = base()
    modifier(donnees)
    with pytest.raises(InstanceInvalide, match=morceau):
        planifier(donnees)


@pytest.mark.parametrize(
    ("impose", "morceau"),
    [
        ({"a": "E1", "b": "F2", "creneau": "C1", "table": 1}, "pas disponible"),
        ({"a": "E1", "b": "F1", "creneau": "C1", "table": 3}, "hors de la salle"),
        ({"a": "F1", "b": "F2", "creneau": "C2", "table": 1}, "aucun intérêt"),
        ({"a": "E1", "b": "E1", "creneau": "C2", "table": 1}, "lui-même"),
    ],
)
def test_an_imposed_meeting_that_breaks_a_rule_is_refused_with_its_reason(impose, morceau):
    with pytest.raises(InstanceInvalide, match=morceau):
        planifier(base(imposes=[impose]))


def test_imposed_meetings_that_clash_together_are_refused():
    deux_fois = [
        {"a": "E1", "b": "F1", "creneau": "C1", "table": 1},
        {"a": "E1", "b": "F1", "creneau": "C2", "table": 1},
    ]
    with pytest.raises(InstanceInvalide, match="déjà une fois"):
        planifier(base(imposes=deux_fois))
    meme_creneau = [
        {"a": "E1", "b": "F1", "creneau": "C2", "table": 1},
        {"a": "E1", "b": "F2", "creneau": "C2", "table": 2},
    ]
    with pytest.raises(InstanceInvalide, match="déjà un rendez-vous"):
        planifier(base(imposes=meme_creneau))
    meme_table = base(
        imposes=[
            {"a": "E1", "b": "F1", "creneau": "C2", "table": 1},
        ]
    )
    meme_table["participants"].append({"id": "F3", "disponibilites": ["C2"]})
    meme_table["participants"].append({"id": "E2", "disponibilites": ["C2"]})
    meme_table["interets"].append({"de": "E2", "vers": "F3", "poids": 3})
    meme_table["imposes"].append({"a": "E2", "b": "F3", "creneau": "C2", "table": 1})
    with pytest.raises(InstanceInvalide, match="déjà prise"):
        planifier(meme_table)
    trop = base(imposes=[{"a": "E1", "b": "F1", "creneau": "C1", "table": 1}])
    trop["participants"][0]["max_rendez_vous"] = 0
    with pytest.raises(InstanceInvalide, match="nombre maximal"):
        planifier(trop)


def _petite(rnd):
    n, ns = rnd.randint(2, 6), rnd.randint(1, 3)
    creneaux = [creneau(k) for k in range(1, ns + 1)]
    participants = [
        {
            "id": f"P{k}",
            "disponibilites": [c["id"] for c in creneaux if rnd.random() < 0.75],
            "max_rendez_vous": rnd.randint(0, 3),
        }
        for k in range(n)
    ]
    interets = []
    for a in range(n):
        for b in range(n):
            if a != b and rnd.random() < 0.5:
                if rnd.random() < 0.1:
                    interets.append({"de": f"P{a}", "vers": f"P{b}", "refus": True})
                else:
                    interets.append(
                        {"de": f"P{a}", "vers": f"P{b}", "poids": rnd.choice([0, 1, 3])}
                    )
    return {
        "creneaux": creneaux,
        "tables": rnd.randint(0, 3),
        "participants": participants,
        "interets": interets,
    }


def _optimum(donnees) -> float:
    """Brute force over every (pair, slot or none) choice: independent of the scheduler."""
    inst = lire_instance(donnees)
    paires = sorted(inst.poids)
    meilleur = [0.0]
    occupe, degre, charge = set(), [0] * len(inst.participants), [0] * len(inst.creneaux)

    def essayer(k, valeur):
        if valeur > meilleur[0]:
            meilleur[0] = valeur
        if k == len(paires) or valeur + sum(inst.poids[p] for p in paires[k:]) <= meilleur[0]:
            return
        i, j = paires[k]
        for s in inst.disponibilites[i] & inst.disponibilites[j]:
            if (i, s) in occupe or (j, s) in occupe or charge[s] >= inst.tables:
                continue
            if degre[i] >= inst.max_rdv[i] or degre[j] >= inst.max_rdv[j]:
                continue
            occupe.update({(i, s), (j, s)})
            degre[i] += 1
            degre[j] += 1
            charge[s] += 1
            essayer(k + 1, valeur + inst.poids[(i, j)])
            occupe.difference_update({(i, s), (j, s)})
            degre[i] -= 1
            degre[j] -= 1
            charge[s] -= 1
        essayer(k + 1, valeur)

    essayer(0, 0.0)
    return meilleur[0]


@pytest.mark.parametrize("graine", range(4))
def test_on_random_small_instances_bound_optimum_and_objective_are_ordered(graine):
    rnd = random.Random(graine)
    for _ in range(60):
        donnees = _petite(rnd)
        sortie = planifier(copy.deepcopy(donnees), limite_s=5)
        optimum = _optimum(donnees)
        assert verifier(donnees, sortie["rendez_vous"]) == []
        assert sortie["borne_superieure"] >= optimum >= sortie["objectif"]
        if sortie["statut"] == "optimal":
            assert sortie["objectif"] == optimum == sortie["borne_superieure"]


@pytest.mark.parametrize("graine", range(3))
def test_hard_instances_mix_any_participants_and_stay_ordered_against_brute_force(graine):
    # interests between any two participants (odd cycles possible), 30–50 % availability
    donnees = instance_difficile(7, creneaux=3, tables=2, interets=3, graine=graine)
    sortie = planifier(copy.deepcopy(donnees), limite_s=5)
    optimum = _optimum(donnees)
    assert verifier(donnees, sortie["rendez_vous"]) == []
    assert sortie["borne_superieure"] >= optimum >= sortie["objectif"]
    if sortie["statut"] == "optimal":
        assert sortie["objectif"] == optimum


def test_the_hard_generator_draws_interests_outside_companies_and_providers():
    donnees = instance_difficile(40, graine=1)
    assert all(p["id"].startswith("P") for p in donnees["participants"])
    parts = [len(p["disponibilites"]) / 16 for p in donnees["participants"]]
    assert 0.2 < sum(parts) / len(parts) < 0.55
    inst = lire_instance(donnees)
    # a triangle of interests exists: the graph is not bipartite
    voisins = {}
    for i, j in inst.poids:
        voisins.setdefault(i, set()).add(j)
        voisins.setdefault(j, set()).add(i)
    assert any(voisins[i] & voisins[j] for i, j in inst.poids)


def test_a_medium_event_keeps_every_rule_and_beats_or_equals_the_greedy_baseline():
    donnees = instance_aleatoire(20, 25, 8, 6, graine=5, disponibilite=0.6, max_rdv=(1, 5))
    sortie = planifier(donnees, limite_s=10, avec_glouton=True)
    assert verifier(donnees, sortie["rendez_vous"]) == []
    assert sortie["borne_superieure"] >= sortie["objectif"] >= sortie["glouton"]
    tables = [(r["creneau"], r["table"]) for r in sortie["rendez_vous"]]
    assert len(tables) == len(set(tables)) and all(1 <= t <= 6 for _c, t in tables)


def test_the_fairness_floor_gives_a_meeting_to_whoever_can_have_one_at_equal_weight():
    # one table, two slots: F1 is wanted by E1 and E2 equally; E1 also wants F2.
    donnees = {
        "creneaux": [creneau(1), creneau(2)],
        "tables": 1,
        "participants": [
            {"id": "E1", "disponibilites": ["C1", "C2"]},
            {"id": "E2", "disponibilites": ["C1", "C2"]},
            {"id": "F1", "disponibilites": ["C1", "C2"]},
            {"id": "F2", "disponibilites": ["C1", "C2"]},
        ],
        "interets": [
            {"de": "E1", "vers": "F1", "poids": 3},
            {"de": "E2", "vers": "F1", "poids": 3},
            {"de": "E1", "vers": "F2", "poids": 3},
        ],
    }
    sortie = planifier(donnees)
    presents = {x for r in sortie["rendez_vous"] for x in (r["a"], r["b"])}
    assert sortie["objectif"] == 6.0
    assert {"E1", "E2"} <= presents
