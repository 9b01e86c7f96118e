"""The transition table: who may make which move."""

from osezia.expertise import etats


def test_the_main_path_goes_through_every_state_in_order():
    for de, vers in zip(etats.ORDRE, etats.ORDRE[1:], strict=False):
        assert etats.transition(de, vers) is not None, (de, vers)


def test_a_company_makes_only_the_company_moves():
    assert etats.autorise(etats.RAPPORT_REMIS, etats.VALIDE, {etats.ENTREPRISE})
    assert not etats.autorise(etats.DEMANDEE, etats.ELIGIBLE, {etats.ENTREPRISE})
    assert not etats.autorise(etats.VALIDE, etats.FACTURE, {etats.ENTREPRISE})
    assert not etats.autorise(etats.EN_COURS, etats.RAPPORT_REMIS, {etats.ENTREPRISE})


def test_an_expert_cannot_validate_its_own_report_nor_invoice():
    assert etats.autorise(etats.EN_COURS, etats.RAPPORT_REMIS, {etats.EXPERT})
    assert not etats.autorise(etats.RAPPORT_REMIS, etats.VALIDE, {etats.EXPERT})
    assert not etats.autorise(etats.VALIDE, etats.FACTURE, {etats.EXPERT})


def test_final_states_lead_nowhere_and_refusals_and_cancellations_ask_a_reason():
    for final in etats.FINAUX:
        assert etats.possibles(final, set(etats.PARTIES)) == []
    for t in etats.TRANSITIONS:
        if t.vers in (etats.REFUSEE, etats.ANNULEE):
            assert t.motif is not None
    assert not etats.transition(etats.VALIDE, etats.ANNULEE)
