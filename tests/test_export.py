"""Exports cannot run as spreadsheet formulas."""

from __future__ import annotations

import csv
import io

import pandas as pd

from pipeline.render.export import neutralise_cell, safe_csv


def test_formula_cells_get_an_apostrophe():
    assert neutralise_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert neutralise_cell("+31 6") == "'+31 6"
    assert neutralise_cell("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise_cell("-2+3") == "'-2+3"
    assert neutralise_cell("\tcmd") == "'\tcmd"
    assert neutralise_cell("gewone tekst") == "gewone tekst"
    assert neutralise_cell(("vraag", "kritiek")) == "vraag;kritiek"


def test_numbers_stay_numbers_and_rows_stay_whole():
    df = pd.DataFrame({"n": [-3, 4], "text": ["=1+1", "regel\rmet CR"]})
    text = safe_csv(df)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["n", "text"], ["-3", "'=1+1"], ["4", "regel\rmet CR"]]
