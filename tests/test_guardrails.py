"""The test run's own guarantees (see config/pytest_env.py and tests/conftest.py)."""

import pytest

from osezia.recherche import services as recherche
from tests.academie.conftest import store, training


@pytest.mark.parametrize("turn", ["first", "second"])
def test_each_test_starts_with_its_own_empty_search_index(db, turn):
    # Run one after the other in one process, the second would find the first's training if
    # the index were shared.
    assert recherche.search("factures", None).hits == []
    store(training(intitule="Automatiser la saisie des factures"))
    assert [h.doc_id for h in recherche.search("factures", None).hits] == ["formation:T-001"]
