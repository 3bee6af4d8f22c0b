"""Hand-made workbooks for the tests: minimal .xlsx parts, hostile variants, .ods files."""
from __future__ import annotations

import zipfile
from pathlib import Path

CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      '<workbookPr {wbpr}/><sheets><sheet name="Tracker" sheetId="1" r:id="rId1"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
           'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')

LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                    for i in range(1, 10)) + "]>")
XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def number(ref: str, value: float) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


def sheet_xml(rows: str, dim: str = "A1", prolog: str = "") -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + prolog
            + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + f'<dimension ref="{dim}"/><sheetData>{rows}</sheetData></worksheet>')


TRACKER_ROWS = ('<row r="1">' + inline("A1", "Reference") + inline("B1", "Status") + "</row>"
                + '<row r="2">' + inline("A2", "KC-001") + inline("B2", "In progress") + "</row>")


def xlsx(path: Path, sheet: str = "", *, wbpr: str = "", wb_prolog: str = "",
         extra: dict[str, bytes | str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WB.format(prolog=wb_prolog, wbpr=wbpr))
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet or sheet_xml(TRACKER_ROWS))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def bomb(path: Path, megabytes: int = 40) -> Path:
    """A valid-looking workbook whose sheet unpacks from a few KB to ``megabytes`` MB."""
    body = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            b'2006/main"><sheetData>' + b" " * (megabytes * 1024 * 1024) + b"</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WB.format(prolog="", wbpr=""))
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", body)
    return path


def lying_bomb(path: Path) -> Path:
    """A bomb whose zip directory understates the sheet's size, so the ratio looks harmless."""
    bomb(path, megabytes=8)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    patched = 0
    for sig, name_len_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        i = 0
        while (i := data.find(sig, i)) >= 0:
            n = int.from_bytes(data[i + name_len_at:i + name_len_at + 2], "little")
            if bytes(data[i + name_at:i + name_at + n]) == name:
                data[i + size_at:i + size_at + 4] = (50_000).to_bytes(4, "little")
                patched += 1
            i += 4
    assert patched == 2
    path.write_bytes(bytes(data))
    return path


def ole(path: Path, stream: str) -> Path:
    """The start of an OLE compound file (the container of .xls and of encrypted .xlsx files),
    with ``stream`` in its directory."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = stream.encode("utf-16-le") + b"\x00" * (128 - 2 * len(stream))
    path.write_bytes(header + directory + b"\x00" * 4096)
    return path


def ods(path: Path, rows: list[list[object]], name: str = "Tracker") -> Path:
    """An OpenDocument spreadsheet written with odfpy."""
    import datetime as dt

    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name=name)
    for row in rows:
        tr = TableRow()
        for value in row:
            if value is None:
                tc = TableCell()
            elif isinstance(value, bool):
                tc = TableCell(valuetype="boolean", booleanvalue=str(value).lower())
            elif isinstance(value, int | float):
                tc = TableCell(valuetype="float", value=value)
            elif isinstance(value, dt.date):
                tc = TableCell(valuetype="date", datevalue=value.isoformat())
            else:
                tc = TableCell(valuetype="string")
                for line in str(value).split("\n"):
                    tc.addElement(P(text=line))
            tr.addElement(tc)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def ods_raw(path: Path, content: str) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
    return path


ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
            '<table:table table:name="T">{rows}</table:table></office:spreadsheet></office:body>'
            '</office:document-content>')
