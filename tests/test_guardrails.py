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


def test_the_lock_pins_every_dependency_of_pyproject_within_its_range_with_hashes():
    """`make install` installs requirements.lock only: a dependency added to pyproject.toml
    and not locked (`make lock`) would be missing from every fresh install."""
    import re
    import tomllib
    from pathlib import Path

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    root = Path(__file__).resolve().parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = (root / "requirements.lock").read_text(encoding="utf-8")
    entries = re.findall(
        r"^([A-Za-z0-9._-]+)==(\S+)((?: \\\n +--hash=sha256:[0-9a-f]{64})+)", lock, re.M
    )
    pinned = {canonicalize_name(name): version for name, version, _ in entries}
    assert len(entries) == len(re.findall(r"^[A-Za-z0-9._-]+==", lock, re.M)), "pin sans hash"
    wanted = [
        Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]
    ]
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} manque dans requirements.lock (make lock)"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{requirement.name}=={pinned[name]} hors de « {requirement.specifier} » (make lock)"
        )
    # The extras asked for are locked too, and what builds the project.
    for name in ("psycopg-binary", "fido2", "setuptools", "wheel"):
        assert name in pinned, name
