import pytest

from osezia.entreprises.identifiants import InvalidIdentifier, parse_siren_or_siret


@pytest.mark.parametrize(
    ("value", "siren", "siret"),
    [
        ("732829320", "732829320", None),
        ("732 829 320", "732829320", None),
        ("73282932000074", "732829320", "73282932000074"),
        ("732 829 320 00074", "732829320", "73282932000074"),
        ("356000000 09075", "356000000", "35600000009075"),  # La Poste: its own checksum rule
    ],
)
def test_valid_numbers(value, siren, siret):
    parsed = parse_siren_or_siret(value)
    assert (parsed.siren, parsed.siret) == (siren, siret)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("73282932000075", "clé de contrôle"),
        ("732829321", "clé de contrôle"),
        ("7328293200007", "13 chiffres"),
        ("73282932", "8 chiffres"),
        ("7328293200007A", "que des chiffres"),
        ("ABCDEFGHI", "que des chiffres"),
        ("", "Indiquez"),
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(value, reason):
    with pytest.raises(InvalidIdentifier) as excinfo:
        parse_siren_or_siret(value)
    assert reason in str(excinfo.value)
