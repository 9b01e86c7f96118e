"""The Académie's back office (Django admin) for operators granted through the service."""

import pytest

from tests.academie.conftest import store, training
from tests.conftest import login_with_code

PAGES = [
    "/admin/academie/",
    "/admin/academie/formation/",
    "/admin/academie/organismeformation/",
    "/admin/academie/session/",
    "/admin/academie/tutoriel/",
    "/admin/academie/parcours/",
]


@pytest.mark.parametrize("url", PAGES)
def test_an_operator_granted_through_the_service_reaches_the_academie_back_office(
    client, operator, url
):
    """`operator` is granted with `comptes.services.grant_role` (with a second factor)."""
    store(training(), reindex=False)
    response = login_with_code(client, operator).get(url)
    assert response.status_code == 200


def test_the_operator_can_withdraw_a_training_in_the_back_office(client, operator):
    from osezia.academie.models import Formation

    store(training(), reindex=False)
    formation = Formation.objects.get(reference="T-001")
    login_with_code(client, operator)
    page = client.get(f"/admin/academie/formation/{formation.pk}/change/")
    assert page.status_code == 200
    response = client.post(
        f"/admin/academie/formation/{formation.pk}/change/", {"publiee": "", "_save": "1"}
    )
    assert response.status_code == 302
    formation.refresh_from_db()
    assert formation.publiee is False


def test_a_learner_does_not_reach_the_back_office(client, learner):
    client.force_login(learner())
    response = client.get("/admin/academie/formation/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_operators_hold_the_permissions_of_every_platform_app(db):
    from django.apps import apps

    from osezia.comptes.services import operators_group

    labels = set(operators_group().permissions.values_list("content_type__app_label", flat=True))
    platform = {
        c.label
        for c in apps.get_app_configs()
        if c.name.startswith("osezia.") and list(c.get_models())
    }
    assert platform <= labels
    assert "mfa" not in labels
