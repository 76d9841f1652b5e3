#!/usr/bin/env python3
"""Makes the workbook fixtures of the tests (WorkbookReadTests) and data/settlement.xlsx.

    pip install openpyxl
    python3 Tests/TransferAllocTests/Fixtures/workbooks/make.py

The workbooks are made by openpyxl, a reader and writer independent of the tool, the way a
user's spreadsheet program would: numbers as numbers, codes as text. openpyxl does not compute
formulas, so the formula cell's saved value is added to the sheet XML afterwards, as Excel saves
it. The outputs are committed; run this again only to change them.
"""
import csv
import io
import os
import re
import zipfile

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))

# The sample settlement table's columns under their Chinese names (docs/inputs.md).
CHINESE = {
    "code": "区划代码", "name": "名称", "parent": "所属市代码", "cross_province": "跨省落户人数",
    "within_province": "省内跨市落户人数", "within_city": "市内落户人数", "settled": "落户人数",
    "prior_1": "上年落户人数", "prior_2": "前2年落户人数", "prior_3": "前3年落户人数", "prior_4": "前4年落户人数",
    "permit_holders": "居住证持有人数", "fiscal_coef": "fiscal_coef", "prev_amount": "上年分配金额",
    "land_per_capita": "现状人均城镇建设用地", "land_exempt": "land_exempt",
}
TEXT_COLUMNS = {"code", "name", "parent"}


def typed(column, text):
    """A cell as a user would type it: text columns as text, numbers as numbers."""
    if column in TEXT_COLUMNS or text == "":
        return text if text != "" else None
    return int(text) if re.fullmatch(r"\d+", text) else float(text)


def read_csv(path):
    with open(path, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def titled_settlement(path, chinese):
    """The sample settlement table under a merged title row and a unit row, as published."""
    header, rows = read_csv(os.path.join(ROOT, "data", "settlement.csv"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "落户情况"
    ws["A1"] = "2026年农业转移人口落户情况表（示例数据）"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws["A2"] = "单位：人、元、平方米"
    ws.append([])
    ws.append([CHINESE[h] if chinese else h for h in header])
    for row in rows:
        ws.append([typed(h, v) for h, v in zip(header, row)])
    return wb, header, rows


def save_with_cached_values(wb, path, cached):
    """Saves, then writes each formula cell's saved value (`cached`: cell name → value text) and
    moves every text cell to the shared strings, as Excel and WPS store text."""
    buffer = io.BytesIO()
    wb.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    strings = []
    index = {}

    def shared(match):
        text = match.group(3)
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return '%st="s"%s><v>%d</v></c>' % (match.group(1), match.group(2), index[text])

    parts = {}
    for info in source.infolist():
        data = source.read(info.filename)
        if info.filename.startswith("xl/worksheets/sheet"):
            text = data.decode("utf-8")
            for cell, value in cached.items():
                text, n = re.subn(r'(<c r="%s"[^>]*>)<f>([^<]*)</f><v\s*/?>(</v>)?' % cell,
                                  r"\1<f>\2</f><v>%s</v>" % value, text)
                if info.filename.endswith("sheet1.xml"):
                    assert n == 1, (cell, text[:400])
            text = re.sub(r'(<c r="[A-Z]+[0-9]+"[^>]*?)t="inlineStr"([^>]*)><is><t[^>]*>([^<]*)</t></is></c>', shared, text)
            data = text.encode("utf-8")
        parts[info.filename] = (info, data)
    items = "".join("<si><t xml:space=\"preserve\">%s</t></si>" % s for s in strings)
    parts["xl/sharedStrings.xml"] = (zipfile.ZipInfo("xl/sharedStrings.xml", (1980, 1, 1, 0, 0, 0)), (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'count="%d" uniqueCount="%d">%s</sst>' % (len(strings), len(strings), items)).encode("utf-8"))
    info, rels = parts["xl/_rels/workbook.xml.rels"]
    rels = rels.decode("utf-8").replace("</Relationships>",
        '<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>')
    parts["xl/_rels/workbook.xml.rels"] = (info, rels.encode("utf-8"))
    info, types = parts["[Content_Types].xml"]
    types = types.decode("utf-8").replace("</Types>",
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["[Content_Types].xml"] = (info, types.encode("utf-8"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in parts.values():
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, data)


def main():
    # data/settlement.xlsx: the sample table with a title row, English headers like the CSV.
    wb, _, _ = titled_settlement(None, chinese=False)
    save_with_cached_values(wb, os.path.join(ROOT, "data", "settlement.xlsx"), {})

    # titled.xlsx: Chinese headers, a merged title, a unit row, a number stored as text, a
    # formula with its saved value, empty trailing rows, and the budget on a second sheet.
    wb, header, rows = titled_settlement(None, chinese=True)
    ws = wb["落户情况"]
    first = 5  # row of the first county
    cross = header.index("cross_province") + 1
    permits = header.index("permit_holders") + 1
    # A number typed as text, with a thousands separator (CSV cell rules apply to it).
    ws.cell(row=first + 1, column=permits).value = "{:,}".format(int(rows[1][permits - 1]))
    # The first county's cross_province as a formula whose saved value is the sample's.
    value = int(rows[0][cross - 1])
    ws.cell(row=first, column=cross).value = "=%d+%d" % (value - 1000, 1000)
    formula_cell = ws.cell(row=first, column=cross).coordinate
    # Empty trailing rows: formatted cells without values, as spreadsheets leave them.
    for r in range(first + len(rows) + 1, first + len(rows) + 6):
        ws.cell(row=r, column=1).number_format = "@"
    budget_header, budget_rows = read_csv(os.path.join(ROOT, "data", "budget.csv"))
    wb2 = wb.create_sheet("预算")
    wb2.append(["2026年资金预算"])
    wb2.append(budget_header)
    for row in budget_rows:
        wb2.append([v if h in ("scenario", "fund_unit", "land_unit") or v == "" else float(v)
                    for h, v in zip(budget_header, row)])
    save_with_cached_values(wb, os.path.join(HERE, "titled.xlsx"), {formula_cell: str(value)})

    # errors.xlsx: one problem per sheet.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "错误值"
    ws.append(["code", "settled"])
    ws.append(["320505", 10])
    ws.append(["320506", "#DIV/0!"])  # openpyxl stores a known error code as an error cell
    ws2 = wb.create_sheet("未计算")
    ws2.append(["code", "settled"])
    ws2.append(["320505", "=1+1"])     # a formula never calculated: no saved value
    ws3 = wb.create_sheet("表外")
    ws3.append(["code", "settled"])
    ws3.append(["320505", 10, None, "备注"])
    ws4 = wb.create_sheet("无表头")
    ws4.append(["2026年落户情况表"])
    ws4.append(["区划", "人数"])
    ws5 = wb.create_sheet("负数")
    ws5.append(["code", "settled"])
    ws5.append(["320505", -3])
    wb.save(os.path.join(HERE, "errors.xlsx"))

    # bomb.xlsx: a tiny package whose sheet declares 4 GiB uncompressed.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        z.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    data = bytearray(buffer.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    # The uncompressed size in the local header (offset 22) and the central directory (24).
    local = data.find(b"PK\x03\x04" + data[4:4])  # first local header; search for the sheet's
    pos = 0
    while True:
        pos = data.find(b"PK\x03\x04", pos)
        if pos < 0:
            break
        if data[pos + 30:pos + 30 + len(name)] == name:
            data[pos + 22:pos + 26] = (0xFFFFFFF0).to_bytes(4, "little")
        pos += 4
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        if data[pos + 46:pos + 46 + len(name)] == name:
            data[pos + 24:pos + 28] = (0xFFFFFFF0).to_bytes(4, "little")
        pos += 4
    with open(os.path.join(HERE, "bomb.xlsx"), "wb") as f:
        f.write(bytes(data))


if __name__ == "__main__":
    main()
