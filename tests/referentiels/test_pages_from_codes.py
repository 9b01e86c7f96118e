"""Pages that name a whole code list or a plan figure render it from its one declaration
(`referentiels.codes`, `socle.plan`, a search's `SearchSpec`), so a change there shows on them."""

import re

import pytest
from django.utils.html import escape

from osezia.academie import search as academie_search
from osezia.catalogue import search as catalogue_search
from osezia.referentiels import codes
from osezia.socle import plan

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_axis_pages_name_ambassadors_networks_families_and_plan_figures(client):
    sensibiliser = _text(client.get("/axes/sensibiliser/"))
    assert (
        f"Un réseau de {plan.AMBASSADORS_TARGET} ambassadeurs grand public, sectoriels et "
        "régionaux, avec France Num, les CCI, Bpifrance, la French Tech et les sous-préfets "
        "référents France 2030." in sensibiliser
    )
    former = _text(client.get("/axes/former/"))
    assert f"Les {len(codes.FAMILLES)} grandes familles" in former
    assert "pour apprentis, demandeurs d&#x27;emploi, salariés et dirigeants" in former
    accompagner = _text(client.get("/axes/accompagner/"))
    assert f"l&#x27;État finance {plan.DIAGNOSTIC_DATA_IA_STATE_SHARE_PCT} % du coût" in accompagner
    assert f"et {plan.ACCELERATION_PROGRAMME_MONTHS} mois d&#x27;accompagnement" in accompagner


def test_families_page_counts_the_families(client):
    assert f"regroupés en {len(codes.FAMILLES)} familles" in _text(
        client.get("/referentiels/familles/")
    )


def test_academie_home_lists_every_audience_from_the_declaration(client):
    text = _text(client.get("/academie/"))
    for code, label in codes.PUBLICS.items():
        assert f"?public={code}" in text
        assert f'<th scope="row">{escape(label)}</th>' in text
    assert "Je suis apprenti·e" in text and "en CFA ou en entreprise" in text
    assert f"professionnels formés d'ici {plan.TARGET_YEAR}" in text


@pytest.mark.parametrize(
    ("url", "spec"),
    [
        ("/catalogue/?tri=prix", catalogue_search.SPEC),
        ("/academie/formations/?tri=prix", academie_search.SPEC),
    ],
)
def test_sort_options_are_the_search_spec_sorts(client, url, spec):
    text = _text(client.get(url))
    select = text[text.index('id="tri"') : text.index("</select>", text.index('id="tri"'))]
    options = re.findall(r'<option value="([a-z]+)"( selected)?>([^<]+)</option>', select)
    assert [(code, label) for code, _, label in options] == list(spec.sorts.items())
    assert [code for code, selected, _ in options if selected] == ["prix"]
