"""One rule for every external identifier (`id_externe`, LHEO `numero`, the modules to come)."""

import pytest
from django.urls import resolve, reverse

from osezia.socle.regles import InvalidExternalId, external_id, is_external_id


@pytest.mark.parametrize(
    "value",
    ["SOL-2024-001", "HID-0001", "urn:x:abc/1.2", "sol_2024.v2", "a", "A" * 120, "..", "Ab/C:d"],
)
def test_identifiers_other_systems_write_are_kept_exactly(value):
    assert external_id(value) == value
    assert is_external_id(value)


def test_only_surrounding_whitespace_is_removed_and_the_case_is_kept():
    assert external_id("  SOL-2024-001 ") == "SOL-2024-001"
    assert external_id("Sol-2024-001") != external_id("sol-2024-001")


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("SOL-é", "lettres (majuscules ou minuscules, sans accent)"),
        ("SOL 2024", "lettres (majuscules ou minuscules, sans accent)"),
        ("A" * 121, "121 caractères, 120 au plus"),
        ("SOL\x00-1", "caractères de contrôle"),
        ("SOL-1\x07", "caractères de contrôle"),
        ("", "obligatoire"),
        ("   ", "obligatoire"),
        (None, "obligatoire"),
        (12, "obligatoire"),
        ("SOL#1", "identifiant invalide"),
    ],
)
def test_anything_else_is_refused_with_a_french_message(value, fragment):
    with pytest.raises(InvalidExternalId) as error:
        external_id(value)
    assert fragment in str(error.value)
    assert not is_external_id(value)


@pytest.mark.parametrize("value", ["SOL-2024-001", "urn:x:abc/1.2", "a/../b", "x.y:z", ".."])
def test_an_identifier_round_trips_through_a_page_address(value):
    url = reverse("catalogue:historique", args=[value])
    # One path segment whatever the identifier holds: no « / » and no « . »/« .. » segment
    # a browser would rewrite; the server decodes the address once, as a WSGI server does.
    segment = url.removeprefix("/catalogue/solutions/").removesuffix("/historique/")
    assert "/" not in segment
    from urllib.parse import unquote

    match = resolve(unquote(url))
    assert match.url_name == "historique" and match.kwargs["id_externe"] == value
