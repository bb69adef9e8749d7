"""Metrics CSV cells: text a spreadsheet would run as a formula is quoted, numbers are kept."""

from __future__ import annotations

import csv
import io

import pytest

from chalicelib.services.metrics_report import CellWriter


def _written(cells: list[object]) -> list[str]:
    out = io.StringIO()
    CellWriter(out).writerow(cells)
    return next(csv.reader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize(
    "cell, expected",
    [
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+1+cmd", "'+1+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-0.3", "-0.3"),
        ("printer", "printer"),
        (12, "12"),
        (0.25, "0.25"),
        (None, ""),
    ],
)
def test_every_cell_is_safe_for_a_spreadsheet(cell: object, expected: str) -> None:
    # every column, the group key and term ones included (they are typed by customers)
    assert _written(["top_word", cell, "created", cell]) == ["top_word", expected, "created", expected]
