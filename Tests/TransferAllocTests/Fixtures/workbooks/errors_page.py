#!/usr/bin/env python3
"""Prints the workbook files of docs/errors.md ("Workbooks (.xlsx)") as the page's escaped
`file` blocks: small uncompressed zip packages written part by part, so the page shows every
byte of each damaged workbook and ErrorCatalogTests runs the tool on exactly those bytes.

    python3 Tests/TransferAllocTests/Fixtures/workbooks/errors_page.py
"""
import io
import zipfile

DATE = (1980, 1, 1, 0, 0, 0)
WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
CHARTSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet"


def package(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        for name, text in parts:
            z.writestr(zipfile.ZipInfo(name, DATE), text.encode("utf-8") if isinstance(text, str) else text)
    return buffer.getvalue()


def workbook(sheets, extra=()):
    """sheets: (name, sheetData XML or None for a chart sheet, or "missing" for a lost part)."""
    book = '<workbook xmlns:r="r"><sheets>%s</sheets></workbook>' % "".join(
        '<sheet name="%s" r:id="rId%d"/>' % (name, i + 1) for i, (name, _) in enumerate(sheets))
    rels = "<Relationships>%s</Relationships>" % "".join(
        '<Relationship Id="rId%d" Type="%s" Target="worksheets/sheet%d.xml"/>'
        % (i + 1, CHARTSHEET if data is None else WORKSHEET, i + 1) for i, (_, data) in enumerate(sheets))
    parts = [("xl/workbook.xml", book), ("xl/_rels/workbook.xml.rels", rels)]
    for i, (_, data) in enumerate(sheets):
        if data not in (None, "missing"):
            parts.append(("xl/worksheets/sheet%d.xml" % (i + 1), "<worksheet><sheetData>%s</sheetData></worksheet>" % data))
    return package(parts + list(extra))


def row(r, *cells):
    return '<row r="%d">%s</row>' % (r, "".join(cells))


def text(ref, value):
    return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, value)


def cell(ref, inner, t=None):
    return '<c r="%s"%s>%s</c>' % (ref, ' t="%s"' % t if t else "", inner)


HEADER = row(1, text("A1", "code"), text("B1", "settled"))

BOOK = workbook([
    ("error", HEADER + row(2, text("A2", "320505"), cell("B2", "<v>#DIV/0!</v>", "e"))),
    ("formula", HEADER + row(2, text("A2", "320505"), cell("B2", "<f>B1*2</f>"))),
    ("outside", HEADER + row(2, text("A2", "320505"), cell("B2", "<v>10</v>"), text("D2", "备注"))),
    ("title", row(1, text("A1", "2026年落户情况表")) + row(2, text("A2", "区划"), text("B2", "人数"))),
    ("negative", HEADER + row(2, text("A2", "320505"), cell("B2", "<v>-3</v>"))),
    ("text", HEADER + row(2, text("A2", "320505"), cell("B2", "<v>abc</v>"))),
    ("shared", HEADER + row(2, text("A2", "320505"), cell("B2", "<v>7</v>", "s"))),
    ("boolean", HEADER + row(2, text("A2", "320505"), cell("B2", "<v>2</v>", "b"))),
    ("type", HEADER + row(2, text("A2", "320505"), cell("B2", "<v>1</v>", "q"))),
    ("order", HEADER + row(2, cell("B2", "<v>1</v>"), cell("A2", "<v>2</v>"))),
    ("broken", HEADER + "<row r=\"2\"><c r=\"A2\">"),
    ("chart", None),
    ("lost", "missing"),
])

FILES = [
    ("book.xlsx", BOOK),
    ("old.xls", bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(8)),
    ("cut.xlsx", BOOK[:200]),
    ("notes.xlsx", package([("readme.txt", "not a workbook")])),
    ("empty.xlsx", package([("xl/workbook.xml", "<workbook><sheets/></workbook>")])),
    ("badxml.xlsx", package([("xl/workbook.xml", "<workbook><sheets>")])),
]


def bomb():
    data = bytearray(workbook([("S", "")]))
    name = b"xl/worksheets/sheet1.xml"
    for signature, offset, size_at in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
        pos = data.find(signature)
        while pos >= 0:
            if data[pos + offset:pos + offset + len(name)] == name:
                data[pos + size_at:pos + size_at + 4] = (0xFFFFFFF0).to_bytes(4, "little")
            pos = data.find(signature, pos + 4)
    return bytes(data)


def crc():
    data = bytearray(workbook([("S", HEADER)]))
    name = b"xl/worksheets/sheet1.xml"
    for signature, offset in ((b"PK\x03\x04", 30), (b"PK\x01\x02", 46)):
        pos = data.find(signature)
        while pos >= 0:
            if data[pos + offset:pos + offset + len(name)] == name:
                crc_at = pos + (14 if signature == b"PK\x03\x04" else 16)
                data[crc_at] ^= 0xFF
            pos = data.find(signature, pos + 4)
    return bytes(data)


FILES += [("bomb.xlsx", bomb()), ("crc.xlsx", crc())]


def escaped(data):
    """The page's escapes: printable ASCII and valid UTF-8 text as is, other bytes as \\xNN."""
    out = []
    i = 0
    while i < len(data):
        b = data[i]
        if b >= 0x80:
            for n in (3, 2, 4):
                try:
                    ch = data[i:i + n].decode("utf-8")
                    if len(ch) == 1:
                        out.append(ch)
                        i += n
                        break
                except UnicodeDecodeError:
                    pass
            else:
                out.append("\\x%02X" % b)
                i += 1
            continue
        if b == 0x5C:
            out.append("\\\\")
        elif b == 0x7B or b == 0x60 or b < 0x20 or b == 0x7F:
            out.append("\\x%02X" % b)  # `{` could start a repeat, a backtick a fence
        else:
            out.append(chr(b))
        i += 1
    text = "".join(out)
    # Lines of at most 100 characters; a line break in the block is not a byte of the file.
    return text


def main():
    for name, data in FILES:
        print("```file %s escaped no-newline" % name)
        print(escaped(data))
        print("```")
        print()


if __name__ == "__main__":
    main()
