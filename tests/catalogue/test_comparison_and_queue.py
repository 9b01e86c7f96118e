"""Two rules the catalogue's pages used to write themselves, now decided in the services: the
comparison (three published solutions at most) and the moderation queue (the versions waiting
for a decision, oldest first)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from osezia.catalogue import services
from osezia.catalogue.views import PAGE_SIZE
from tests.catalogue import factories
from tests.catalogue.conftest import make_line
from tests.conftest import login_with_code


@pytest.fixture
def catalogue(make_user, operator, empty_index):
    """Four published solutions, a draft, a version waiting for moderation and a withdrawn
    solution, all of one provider."""
    user = make_user()
    fournisseur = factories.provider(user)
    for n in range(1, 5):
        factories.published_solution(
            fournisseur, user, operator, id_externe=f"pub-{n}", nom=f"Publiée {n}"
        )
    services.save_draft(fournisseur, make_line(id_externe="brouillon", nom="Brouillon"), user)
    services.save_draft(
        fournisseur, make_line(id_externe="attente", nom="En attente"), user, submit_now=True
    )
    gone = factories.published_solution(
        fournisseur, user, operator, id_externe="retiree", nom="Retirée"
    )
    services.withdraw(gone, user, "fin de commercialisation")
    return fournisseur, user


def compare(*ids):
    return Client().get("/catalogue/comparer/", {"ids": list(ids)})


def compared_names(response) -> list[str]:
    head = re.search(r"<thead>(.*?)</thead>", response.content.decode(), re.S)
    return re.findall(r'<th scope="col"><a [^>]*>([^<]+)</a>', head.group(1)) if head else []


def test_the_comparison_refuses_four_solutions(catalogue):
    response = compare("pub-1", "pub-2", "pub-3", "pub-4")
    assert response.status_code == 400
    assert "trois solutions au plus" in response.content.decode()
    assert compared_names(response) == []  # nothing compared, not « the first three »
    with pytest.raises(ValidationError) as refused:
        services.comparison(["pub-1", "pub-2", "pub-3", "pub-4"])
    assert "trois solutions au plus" in refused.value.messages[0]


def test_the_comparison_ignores_unpublished_solutions_and_keeps_the_order(catalogue):
    response = compare("pub-2", "brouillon", "pub-1")
    assert response.status_code == 200
    assert compared_names(response) == ["Publiée 2", "Publiée 1"]
    for hidden in ("attente", "retiree", "inconnue"):
        # One public solution left: nothing to compare it with, and the page says so.
        alone = compare("pub-3", hidden)
        assert alone.status_code == 400 and compared_names(alone) == []
        assert "deux solutions au moins" in alone.content.decode()
    # A repeated identifier counts once: three distinct solutions are not refused.
    assert [s.id_externe for s in services.comparison(["pub-1", "pub-1", "pub-2", "pub-3"])] == [
        "pub-1",
        "pub-2",
        "pub-3",
    ]
    # Not public, not counted either: four identifiers of which three are published are refused
    # all the same (the limit is on what was asked).
    with pytest.raises(ValidationError):
        services.comparison(["pub-1", "pub-2", "pub-3", "brouillon"])


def test_the_moderation_queue_is_the_submitted_versions_oldest_first(
    catalogue, make_user, operator
):
    fournisseur, user = catalogue
    services.save_draft(
        fournisseur, make_line(id_externe="pub-1", nom="Publiée 1 bis"), user, submit_now=True
    )
    refused = services.save_draft(
        fournisseur, make_line(id_externe="refusee", nom="Refusée"), user, submit_now=True
    )
    services.refuse(refused.version_en_cours, operator, "incomplet")
    queue = list(services.moderation_queue())
    assert [v.nom for v in queue] == ["En attente", "Publiée 1 bis"]
    page = login_with_code(Client(), operator).get("/catalogue/moderation/")
    text = page.content.decode()
    assert "2 versions en attente" in text
    shown = re.findall(r'<h2 class="fr-card__title">([^<]+?) <span', text)
    assert shown == ["En attente", "Publiée 1 bis"]


def test_the_moderation_page_shows_the_queue_page_by_page(db, make_user, operator):
    user = make_user()
    fournisseur = factories.provider(user)
    for n in range(PAGE_SIZE + 1):
        services.save_draft(
            fournisseur,
            make_line(id_externe=f"s-{n:02d}", nom=f"Sol {n:02d}"),
            user,
            submit_now=True,
        )
    staff = login_with_code(Client(), operator)
    first = staff.get("/catalogue/moderation/").content.decode()
    second = staff.get("/catalogue/moderation/?page=2").content.decode()
    assert first.count('class="fr-card__title"') == PAGE_SIZE
    assert re.findall(r'<h2 class="fr-card__title">([^<]+?) <span', second) == [
        f"Sol {PAGE_SIZE:02d}"
    ]


def test_a_decision_that_is_neither_publish_nor_refuse_changes_nothing(catalogue, operator):
    from osezia.catalogue.models import VersionSolution

    waiting = services.moderation_queue().get()
    client = login_with_code(Client(), operator)
    for decision in ("", "supprimer", "PUBLIER"):
        response = client.post(
            f"/catalogue/moderation/{waiting.pk}/", {"decision": decision, "motif": "Hors sujet"}
        )
        assert response.status_code == 302
        waiting.refresh_from_db()
        assert waiting.statut == VersionSolution.Statut.SOUMISE  # neither refused nor published
    messages = [m.message for m in response.wsgi_request._messages]
    assert messages[-1] == "Choisissez « Publier » ou « Refuser »."


def test_comparing_needs_two_solutions_on_the_page_and_in_the_api(catalogue):
    one = compare("pub-1")
    assert one.status_code == 400 and compared_names(one) == []
    assert "deux solutions au moins" in one.content.decode() and "Publiée 1" in one.content.decode()
    empty = Client().get("/catalogue/comparer/")
    assert (
        empty.status_code == 200 and "Choisissez deux ou trois solutions" in empty.content.decode()
    )
    with pytest.raises(ValidationError) as refused:
        services.comparison(["pub-1"])
    assert "deux solutions au moins" in refused.value.messages[0]
    api = "/api/v1/catalogue/comparaison"
    answer = Client().get(api, {"ids": ["pub-2", "pub-1"]})
    assert answer.status_code == 200
    assert [s["nom"] for s in answer.json()["solutions"]] == ["Publiée 2", "Publiée 1"]
    for ids in (["pub-1"], [], ["pub-1", "brouillon"]):
        refused = Client().get(api, {"ids": ids})
        assert refused.status_code == 422 and "deux solutions au moins" in refused.json()["detail"]
    too_many = Client().get(api, {"ids": ["pub-1", "pub-2", "pub-3", "pub-4"]})
    assert too_many.status_code == 422 and "trois solutions au plus" in too_many.json()["detail"]


def test_the_comparison_shows_labels_not_codes(catalogue):
    page = compare("pub-1", "pub-2").content.decode()
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    for label in ("Abonnement : de 29 € à 99 € par mois", "SaaS", "France", "Risque minimal"):
        assert label in table
    for code in (">abonnement", ">saas", ">france<", ">minimal<"):
        assert code not in table


def test_the_comparison_page_leads_back_to_the_search_with_the_selection(catalogue):
    response = compare("pub-1")
    assert response.status_code == 400
    assert 'href="/catalogue/?ids=pub-1"' in response.content.decode()
    both = compare("pub-1", "pub-2")
    assert 'href="/catalogue/?ids=pub-1&amp;ids=pub-2"' in both.content.decode()
