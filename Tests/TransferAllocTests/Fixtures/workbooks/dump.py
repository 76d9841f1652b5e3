#!/usr/bin/env python3
"""Prints an .xlsx workbook as JSON, read by openpyxl (a reader independent of the tool):
every sheet's name, frozen pane, column widths and cells. A number cell is
{"n": repr(value), "format": number_format}: Python's repr of a float is its shortest
round-trip decimal, the value a spreadsheet shows; a text cell is {"t": text}.

    python3 dump.py BOOK.xlsx
"""
import json
import sys

import openpyxl


def cell(c):
    if c.value is None:
        return None
    if isinstance(c.value, bool):
        return {"b": c.value}
    if isinstance(c.value, (int, float)):
        return {"n": repr(c.value), "format": c.number_format}
    return {"t": c.value}


def main(path):
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        out.append({
            "name": ws.title,
            "freeze": ws.freeze_panes,
            "widths": {k: v.width for k, v in sorted(ws.column_dimensions.items())},
            "bold_header": all(c.font.b for c in ws[1] if c.value is not None),
            "rows": [[cell(c) for c in row] for row in ws.iter_rows()],
        })
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
