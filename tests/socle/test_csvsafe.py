import csv
import io

import pytest

from osezia.socle import csvsafe

DANGEROUS = ['=HYPERLINK("http://x")', "+33 1 23 45 67 89", "-2", "@SUM(A1)", "\tcmd", "\r=1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_cell_a_spreadsheet_would_evaluate_is_prefixed_and_restored(value):
    cell = csvsafe.neutralise(value)
    assert cell == "'" + value
    assert csvsafe.restore(cell) == value


@pytest.mark.parametrize("value", ["Devis Express", "", "12", "a=b", "'déjà cité", "''", "'-2"])
def test_every_value_comes_back_exactly(value):
    assert csvsafe.restore(csvsafe.neutralise(value)) == value


def test_plain_values_are_written_unchanged_and_numbers_become_text():
    assert csvsafe.neutralise("Devis Express") == "Devis Express"
    assert csvsafe.neutralise(None) == ""
    assert csvsafe.neutralise(29) == "29"
    assert csvsafe.neutralise(-5) == "'-5"
    assert csvsafe.neutralise("'cité") == "''cité"


def test_the_writer_and_reader_round_trip_and_a_spreadsheet_sees_no_formula():
    rows = [{"a": v, "b": "ok"} for v in [*DANGEROUS, "'x", "x"]]
    out = io.StringIO()
    writer = csvsafe.DictWriter(out, fieldnames=["a", "b"])
    writer.writeheader()
    writer.writerows(rows[:2])
    for row in rows[2:]:
        writer.writerow(row)
    text = out.getvalue()
    cells = [cell for line in csv.reader(io.StringIO(text)) for cell in line]
    assert not [c for c in cells if c.startswith(csvsafe.FORMULA_STARTS)]
    back = list(csvsafe.DictReader(io.StringIO(text)))
    assert back == rows


def test_the_reader_restores_extra_cells_and_keeps_missing_ones():
    text = "a,b\n'=1\n'@x,y,'-3\n"
    rows = list(csvsafe.DictReader(io.StringIO(text), restkey="reste"))
    assert rows == [{"a": "=1", "b": None}, {"a": "@x", "b": "y", "reste": ["-3"]}]


def test_a_hand_made_apostrophe_that_escapes_nothing_is_kept():
    from osezia.socle.csvsafe import restore

    assert restore("'t Hooft") == "'t Hooft"
    assert restore("'") == "'"
    assert restore("'=1+1") == "=1+1"
    assert restore("''t Hooft") == "'t Hooft"
