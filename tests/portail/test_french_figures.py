"""Figures and months on the observatory in French: « 15 000 000 », « novembre 2026 »."""

from django.test import Client

from osezia.academie.models import CompteurFormes


def test_the_observatory_groups_thousands_and_names_months_in_french(db):
    CompteurFormes.objects.create(dimension="total", cle="", tranche=0, valeur=1234)
    CompteurFormes.objects.create(dimension="mois", cle="2026-11", tranche=0, valeur=1234)
    html = Client().get("/observatoire/").content.decode()
    assert (
        "objectif de 15\xa0000\xa0000 d&#x27;ici" in html
        or "objectif de 15\xa0000\xa0000 d'ici" in html
    )
    assert "<strong>1\xa0234</strong>" in html
    assert "<td>novembre 2026</td><td>1\xa0234</td>" in html
    assert "2026-11" not in html
    assert "15000000" not in html
