#!/usr/bin/env python3
"""Write data/settlement-zh-gb18030.csv from data/settlement.csv.

The copy has the Chinese column aliases of ALLOCATION.md §2.1, is encoded in GB18030 with CRLF
line endings, groups numbers of 1000 or more with thousands separators (quoted, since they hold
commas) and writes land_exempt as 是/否 — the shape of a table exported from a Chinese
spreadsheet. Run from anywhere: python3 data/make_zh.py
"""
import csv
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent

HEADERS = {
    "code": "区划代码",
    "name": "名称",
    "parent": "上级代码",
    "cross_province": "跨省落户人数",
    "within_province": "省内跨市落户人数",
    "within_city": "市内落户人数",
    "settled": "落户人数",
    "prior_1": "上年落户人数",
    "prior_2": "前2年落户人数",
    "prior_3": "前3年落户人数",
    "prior_4": "前4年落户人数",
    "permit_holders": "居住证持有人数",
    "fiscal_coef": "财力系数",
    "prev_amount": "上年分配金额",
    "land_per_capita": "现状人均城镇建设用地",
    "land_exempt": "中心城区不安排用地",
}
# Identifiers stay as written: a code is a string, never a number to group.
TEXT_COLUMNS = {"code", "name", "parent"}


def grouped(cell: str) -> str:
    """'18063643.61' -> '18,063,643.61'; empty cells and values below 1000 are unchanged."""
    if not cell:
        return cell
    whole, dot, frac = cell.partition(".")
    return f"{int(whole):,}" + dot + frac


def convert(key: str, cell: str) -> str:
    if key in TEXT_COLUMNS:
        return cell
    if key == "land_exempt":
        return {"1": "是", "0": "否", "": ""}[cell]
    return grouped(cell)


def main() -> None:
    with open(HERE / "settlement.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        keys = reader.fieldnames
        rows = list(reader)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([HEADERS[k] for k in keys])
    for row in rows:
        writer.writerow([convert(k, row[k]) for k in keys])
    (HERE / "settlement-zh-gb18030.csv").write_bytes(out.getvalue().encode("gb18030"))


if __name__ == "__main__":
    main()
