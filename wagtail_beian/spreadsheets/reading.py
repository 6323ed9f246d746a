"""Reading an uploaded spreadsheet (xlsx or csv) into a header row and raw rows, or refusing it.

The file is identified by its content (magic bytes), never by its name. Everything that makes a
file unusable as a whole is a :class:`SpreadsheetRefused` with a message in the user's language:
not a spreadsheet, an old .xls, too big, a zip bomb, merged cells, an unknown text encoding.
Cell-level problems (formulas, wrong types) are reported at the cell by the importer.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

XLSX = "xlsx"
CSV = "csv"

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls / .doc

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 100_000
#: Uncompressed size of all parts of an xlsx (zip bomb guard).
DEFAULT_MAX_UNPACKED_BYTES = 300 * 1024 * 1024

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SpreadsheetRefused(Exception):
    """The whole file is refused; ``message`` says why and what to do."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


@dataclass
class FormulaCell:
    """A cell holding a formula: never evaluated, always refused at the cell."""

    formula: str

    def __str__(self):
        return self.formula


@dataclass
class Table:
    format: str
    header: list
    #: (row number as the user sees it, [cell values]); empty rows are already skipped.
    rows: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    skipped_empty_rows: int = 0


def max_bytes():
    return getattr(settings, "WAGTAIL_BEIAN_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_rows():
    return getattr(settings, "WAGTAIL_BEIAN_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def sniff_format(head: bytes) -> str:
    """xlsx or csv by content; anything else is refused."""
    if head.startswith(ZIP_MAGIC):
        return XLSX
    if head.startswith(OLE_MAGIC):
        raise SpreadsheetRefused(
            _("This is an old Excel 97–2003 (.xls) file. Save it as an Excel workbook (.xlsx) or CSV and upload again.")
        )
    if not head.strip():
        raise SpreadsheetRefused(_("The file is empty."))
    sample = head[:4096]
    if b"\x00" in sample or _looks_binary(sample):
        raise SpreadsheetRefused(
            _("This file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file.")
        )
    return CSV


def _looks_binary(sample: bytes) -> bool:
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls > max(2, len(sample) // 100)


def read_table(fileobj) -> Table:
    """Read a binary file object (seekable) into a :class:`Table`, or raise SpreadsheetRefused."""
    fileobj.seek(0, io.SEEK_END)
    size = fileobj.tell()
    fileobj.seek(0)
    if size > max_bytes():
        raise SpreadsheetRefused(
            _("The file is too large (%(size)s MB; at most %(max)s MB). Split it into several files.")
            % {"size": round(size / 1048576, 1), "max": round(max_bytes() / 1048576, 1)}
        )
    head = fileobj.read(8192)
    fileobj.seek(0)
    kind = sniff_format(head)
    table = _read_xlsx(fileobj) if kind == XLSX else _read_csv(fileobj.read())
    if not table.header or not any(_filled(v) for v in table.header):
        raise SpreadsheetRefused(_("The first row must hold the column headers; it is empty."))
    return table


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _add_row(table, number, values):
    """One row as read (``number``: its line in the file): empty rows are skipped and counted; the
    first filled row is the header, the others are data."""
    if not any(_filled(v) for v in values):
        table.skipped_empty_rows += 1
        return
    if not table.header:
        table.header = values
        return
    if len(table.rows) >= max_rows():
        raise SpreadsheetRefused(
            _("The file has more than %(max)s rows. Split it into several files.") % {"max": max_rows()}
        )
    table.rows.append((number, values))


# ----------------------------------------------------------------------------------- xlsx


def _read_xlsx(fileobj) -> Table:
    """The first worksheet; a damaged workbook is refused whatever zipfile/zlib/XML error it causes."""
    try:
        return _read_xlsx_parts(fileobj)
    except SpreadsheetRefused:
        raise
    except Exception:  # noqa: BLE001 -- zipfile, zlib, lxml and openpyxl raise many kinds on damage
        raise SpreadsheetRefused(
            _("The workbook cannot be read; it may be damaged. Open it in Excel or WPS, save it again and retry.")
        ) from None


def _read_xlsx_parts(fileobj) -> Table:
    import openpyxl

    try:
        archive = zipfile.ZipFile(fileobj)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        raise SpreadsheetRefused(
            _("This file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file.")
        ) from None
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise SpreadsheetRefused(
            _("This ZIP file is not an Excel workbook. Upload an Excel workbook (.xlsx) or a CSV file.")
        )
    if sum(info.file_size for info in infos) > DEFAULT_MAX_UNPACKED_BYTES:
        raise SpreadsheetRefused(_("The workbook unpacks to too much data. Split it into several files."))
    fileobj.seek(0)
    try:
        workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 -- openpyxl raises many kinds on broken files
        raise SpreadsheetRefused(
            _("The workbook cannot be read; it may be damaged. Open it in Excel or WPS, save it again and retry.")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        _refuse_merged_cells(archive, workbook, sheet)
        table = Table(format=XLSX, header=[])
        for index, row in enumerate(sheet.iter_rows(), start=1):
            _add_row(table, index, [_xlsx_value(cell) for cell in row])
        return table
    finally:
        workbook.close()


def _xlsx_value(cell):
    if getattr(cell, "data_type", None) == "f":
        return FormulaCell(str(cell.value))
    return cell.value


def _refuse_merged_cells(archive, workbook, sheet):
    """read_only workbooks do not expose merged cells: look for <mergeCell in the sheet's XML."""
    part = _sheet_part(archive, sheet.title)
    if part is None:
        return
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            if b"<mergeCell " in tail + chunk or b":mergeCell " in tail + chunk:
                raise SpreadsheetRefused(
                    _("The sheet has merged cells. Unmerge all cells (every row must carry all its values) and upload again.")
                )
            tail = chunk[-32:]


def _sheet_part(archive, title):
    """The zip member of the first worksheet, found through the workbook's relationships."""
    try:
        workbook_xml = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return None
    match = re.search(r"<(?:\w+:)?sheet\b[^>]*?r:id=\"([^\"]+)\"", workbook_xml)
    if not match:
        return None
    rel = re.search(rf"<Relationship\b[^>]*Id=\"{re.escape(match.group(1))}\"[^>]*Target=\"([^\"]+)\"", rels)
    if rel is None:
        rel = re.search(rf"<Relationship\b[^>]*Target=\"([^\"]+)\"[^>]*Id=\"{re.escape(match.group(1))}\"", rels)
    if rel is None:
        return None
    target = rel.group(1).lstrip("/")
    return target if target.startswith("xl/") else f"xl/{target}"


# ------------------------------------------------------------------------------------ csv


def decode_csv(data: bytes):
    """(text, notice): UTF-8 (with or without BOM); GBK/GB18030 detected and decoded with a notice."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SpreadsheetRefused(
            _("The CSV file is in UTF-16. Save it as “CSV UTF-8” and upload again.")
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise SpreadsheetRefused(
            _("The CSV file is neither UTF-8 nor GBK text. Save it as “CSV UTF-8” and upload again.")
        ) from None
    if _CONTROL.search(text):
        raise SpreadsheetRefused(
            _("This file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file.")
        )
    return text, _("The CSV file is in GBK encoding, not UTF-8; it was read as GBK. Check the Chinese text below.")


def _read_csv(data: bytes) -> Table:
    text, notice = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    table = Table(format=CSV, header=[])
    if notice:
        table.notices.append(str(notice))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            number = reader.line_num
            _add_row(table, number, [v if v.strip() else None for v in values])
    except csv.Error as error:
        raise SpreadsheetRefused(
            _("The CSV file is malformed near line %(line)s: %(error)s") % {"line": reader.line_num, "error": error}
        ) from None
    return table
