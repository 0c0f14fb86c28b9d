"""The answers as SPSS (.sav) and Stata (.dta) files, with variable and value labels.

The same rows as the CSV download (``exports.answer_table``: the same anonymity rules), coded:
scales and choices as numbers with their labels, one 0/1 variable per option of a question with
several answers, "not applicable" as 9 (a missing value in SPSS), open answers as approved text.
"""

from __future__ import annotations

import os
import tempfile

from planner.evaluations.exports import AnswerTable

FORMATS = {"sav": "application/x-spss-sav", "dta": "application/x-stata-dta"}


def _frame(table: AnswerTable):
    import pandas as pd

    columns = {}
    for i, variable in enumerate(table.variables):
        values = [row[i] for row in table.rows]
        if variable.text:
            columns[variable.name] = pd.Series(["" if v is None else str(v) for v in values], dtype=object)
        else:
            columns[variable.name] = pd.Series([float(v) if v is not None else None for v in values], dtype="float64")
    return pd.DataFrame(columns)


def research_file(table: AnswerTable, kind: str) -> bytes:
    """``kind`` "sav" or "dta": the file's bytes."""
    import pyreadstat

    frame = _frame(table)
    labels: dict[str, str | None] = {v.name: v.label for v in table.variables}
    value_labels = {
        v.name: {float(k) if kind == "sav" else int(k): str(text) for k, text in v.values.items()}
        for v in table.variables
        if v.values and not v.text
    }
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, f"answers.{kind}")
        if kind == "sav":
            pyreadstat.write_sav(
                frame,
                path,
                column_labels=labels,
                variable_value_labels=value_labels,
                missing_ranges=dict(table.missing),
            )
        else:
            pyreadstat.write_dta(
                frame,
                path,
                column_labels={k: v[:80] if v else v for k, v in labels.items()},
                variable_value_labels=value_labels,
                version=15,
            )
        with open(path, "rb") as handle:
            return handle.read()
