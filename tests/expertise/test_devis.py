"""The quote's amounts in integer cents: the contract's example, the rounding rule of
docs/expertise.md, and the two shares adding up to the price VAT included, always."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from osezia.expertise import devis


def test_ten_days_at_1200_euros_is_the_contract_example():
    m = devis.montants(10, 120_000)
    assert (m.cout_ht_cents, m.tva_cents, m.cout_ttc_cents) == (1_200_000, 240_000, 1_440_000)
    assert (m.part_etat_cents, m.part_entreprise_cents) == (480_000, 960_000)
    assert devis.simulation(m) == {
        "cout_ht_eur": 12000.0,
        "cout_ttc_eur": 14400.0,
        "part_etat_eur": 4800.0,
        "part_entreprise_eur": 9600.0,
        "taux_prise_en_charge": 40,
    }


def test_vat_is_rounded_half_up_and_the_state_share_down():
    # 3 × 123,45 € = 370,35 € HT; VAT 74,07 € (74,070); State 40 % = 148,14 € exactly.
    m = devis.montants(3, 12_345)
    assert (m.cout_ht_cents, m.tva_cents, m.part_etat_cents) == (37_035, 7_407, 14_814)
    # 1 × 100,01 € HT: VAT 20,002 → 20,00 €; State 40,004 → 40,00 € (never above 40 %).
    m = devis.montants(1, 10_001)
    assert (m.tva_cents, m.part_etat_cents, m.part_entreprise_cents) == (2_000, 4_000, 8_001)
    # 1 × 100,03 € HT: VAT 20,006 → 20,01 € (half up); State 40,012 → 40,01 €.
    m = devis.montants(1, 10_003)
    assert (m.tva_cents, m.part_etat_cents) == (2_001, 4_001)


@given(st.integers(1, 30), st.integers(10_000, 500_000))
def test_the_shares_add_up_to_the_price_vat_included(jours, taux):
    m = devis.montants(jours, taux)
    assert m.part_etat_cents + m.part_entreprise_cents == m.cout_ttc_cents
    assert m.cout_ttc_cents == m.cout_ht_cents + m.tva_cents
    assert m.part_etat_cents * 100 <= 40 * m.cout_ht_cents < (m.part_etat_cents + 1) * 100
    assert abs(m.tva_cents * 100 - 20 * m.cout_ht_cents) <= 50


@pytest.mark.parametrize(
    ("jours", "taux", "champ"),
    [
        (0, 120_000, "jours"),
        (31, 120_000, "jours"),
        (10, 9_999, "taux_journalier_ht_eur"),
        (10, 500_001, "taux_journalier_ht_eur"),
        (True, 120_000, "jours"),
    ],
)
def test_days_and_rates_out_of_bounds_are_refused_in_french(jours, taux, champ):
    with pytest.raises(devis.DevisInvalide) as refused:
        devis.montants(jours, taux)
    assert champ in refused.value.erreurs
    assert " va de " in refused.value.erreurs[champ]
