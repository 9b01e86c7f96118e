"""The contract: `manage.py schedule_meetings` and `POST /api/v1/rencontres/planification`."""

import json

import pytest
from django.core.management import call_command
from django.test import Client

from osezia.evenements.generateur import instance_aleatoire
from osezia.evenements.planification import verifier

INSTANCE = instance_aleatoire(6, 6, 4, 3, graine=3)


def test_the_command_writes_out_json_with_every_field(tmp_path):
    entree, sortie = tmp_path / "in.json", tmp_path / "out.json"
    entree.write_text(json.dumps(INSTANCE), encoding="utf-8")
    call_command(
        "schedule_meetings", "--instance", str(entree), "--out", str(sortie), "--limite-s", "5"
    )
    out = json.loads(sortie.read_text(encoding="utf-8"))
    assert set(out) == {"rendez_vous", "objectif", "borne_superieure", "statut", "duree_s"}
    assert out["statut"] == "optimal" and out["objectif"] == out["borne_superieure"] > 0
    assert verifier(INSTANCE, out["rendez_vous"]) == []


@pytest.mark.parametrize(
    ("contenu", "morceau"),
    [
        ("{pas du json", "JSON invalide"),
        (json.dumps({**INSTANCE, "tables": -2}), "Instance invalide"),
        (
            json.dumps(
                {
                    **INSTANCE,
                    "imposes": [{"a": "E0001", "b": "E0001", "creneau": "C01", "table": 1}],
                }
            ),
            "lui-même",
        ),
    ],
)
def test_the_command_exits_2_with_a_french_reason(tmp_path, capsys, contenu, morceau):
    entree = tmp_path / "in.json"
    entree.write_text(contenu, encoding="utf-8")
    with pytest.raises(SystemExit) as sortie:
        call_command("schedule_meetings", "--instance", str(entree))
    assert sortie.value.code == 2
    assert morceau in capsys.readouterr().err


@pytest.mark.django_db
def test_the_endpoint_answers_out_json():
    reponse = Client().post(
        "/api/v1/rencontres/planification?limite_s=5",
        json.dumps(INSTANCE),
        content_type="application/json",
    )
    assert reponse.status_code == 200
    out = reponse.json()
    assert verifier(INSTANCE, out["rendez_vous"]) == []
    assert out["borne_superieure"] >= out["objectif"]


@pytest.mark.django_db
def test_the_endpoint_refuses_a_bad_instance_with_422_in_french():
    mauvais = {
        **INSTANCE,
        "interets": INSTANCE["interets"] + [{"de": "E0001", "vers": "X", "poids": 3}],
    }
    reponse = Client().post(
        "/api/v1/rencontres/planification", json.dumps(mauvais), content_type="application/json"
    )
    assert reponse.status_code == 422
    assert "participant inconnu" in reponse.json()["detail"]


@pytest.mark.django_db
def test_the_endpoint_caps_the_body_size(monkeypatch):
    from osezia.evenements import api

    monkeypatch.setattr(api, "TAILLE_MAX", 100)
    reponse = Client().post(
        "/api/v1/rencontres/planification", json.dumps(INSTANCE), content_type="application/json"
    )
    assert reponse.status_code == 413
    assert "volumineuse" in reponse.json()["detail"]


@pytest.mark.django_db
def test_the_endpoint_is_rate_limited(settings):
    settings.RENCONTRES_PLANIFICATIONS_PAR_MINUTE = 2
    client = Client()
    petit = json.dumps(instance_aleatoire(2, 2, 2, 1, graine=1))
    codes = [
        client.post(
            "/api/v1/rencontres/planification", petit, content_type="application/json"
        ).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


@pytest.mark.django_db
def test_the_endpoint_takes_a_large_event_above_the_default_body_cap(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000  # the site's cap, smaller here
    grand = json.dumps(instance_aleatoire(150, 150, 16, 40, graine=2))
    assert len(grand) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    reponse = Client().post(
        "/api/v1/rencontres/planification?limite_s=20", grand, content_type="application/json"
    )
    assert reponse.status_code == 200
    assert reponse.json()["borne_superieure"] >= reponse.json()["objectif"] > 0
