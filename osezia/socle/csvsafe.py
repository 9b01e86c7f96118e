"""CSV files a spreadsheet may open: no cell is ever read as a formula.

A spreadsheet (Excel, LibreOffice, Google Sheets) evaluates a cell that begins with `=`, `+`,
`-` or `@` (and, in some versions, a tab or a carriage return) as a formula: a provider who
names a solution `=HYPERLINK("http://…")` would otherwise plant a formula in every downloaded
copy of the open-data file. Following OWASP, every cell the platform writes that begins with
one of these characters is prefixed with an apostrophe, which spreadsheets show as text.

The escape is reversible, so that the platform's own files import back exactly: a cell that
already begins with an apostrophe gets one more, and `restore` removes exactly one leading
apostrophe when it is followed by what `neutralise` escapes (a formula character or another
apostrophe). `-2` is written `'-2` and read back `-2`; `'quoted` is written `''quoted` and read
back `'quoted`; a hand-made cell `'t Hooft` (no escape) reads unchanged.
"""

import csv
from collections.abc import Iterable, Mapping

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def neutralise(cell) -> str:
    """The cell as text, prefixed with `'` when a spreadsheet would read it as a formula (or
    when it already begins with `'`, so that `restore` gives it back exactly)."""
    text = "" if cell is None else str(cell)
    if text.startswith(FORMULA_STARTS) or text.startswith(ESCAPE):
        return ESCAPE + text
    return text


def restore(cell):
    """The value `neutralise` was given: its escape removed; any other value unchanged."""
    escaped = FORMULA_STARTS + (ESCAPE,)
    if isinstance(cell, str) and cell.startswith(ESCAPE) and cell[1:].startswith(escaped):
        return cell[1:]
    if isinstance(cell, list):  # DictReader's `restkey` holds the extra cells of a row
        return [restore(c) for c in cell]
    return cell


def restore_row(row: Mapping) -> dict:
    return {key: restore(value) for key, value in row.items()}


class DictWriter(csv.DictWriter):
    """`csv.DictWriter` whose every cell (header included) goes through `neutralise`."""

    def writerow(self, rowdict: Mapping):
        return super().writerow({key: neutralise(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping]):
        return super().writerows(
            {key: neutralise(value) for key, value in row.items()} for row in rowdicts
        )


class DictReader(csv.DictReader):
    """`csv.DictReader` for files written by `DictWriter`: every cell goes through `restore`."""

    def __next__(self) -> dict:
        return restore_row(super().__next__())
