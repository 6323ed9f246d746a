"""Export of filings as a spreadsheet (xlsx or csv), one row per website, in bounded memory.

The columns are :data:`columns.COLUMNS` (the sheet the import reads), so an exported file can be
imported again unchanged. Filings are read with ``.iterator(chunk_size)``: each chunk of filings
costs a constant number of queries (the filings with their subject and code tables in one join,
then websites, their service contents, pre-approval categories and access records), whatever
the number of rows. CSV is streamed chunk by chunk; xlsx is written by openpyxl's write-only
workbook into a temporary file, which is then streamed.

Never exported: the filing password (tickets and transfers; no column exists), document files.
Certificate numbers are masked for users without the personal-data permission.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import tempfile

from django.db.models import Prefetch
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation

from .. import permissions as perms
from . import columns as C
from .cells import escape_cell

XLSX = "xlsx"
CSV = "csv"
FORMATS = (XLSX, CSV)
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}
#: Filings per chunk: each chunk is one batch of queries; memory holds one chunk at a time.
CHUNK_SIZE = 1000
#: Excel opens a UTF-8 csv as UTF-8 (and shows Chinese) only with the byte-order mark.
UTF8_BOM = "\ufeff"
SHEET_LANGUAGE = "zh-hans"
# Characters an xlsx (XML 1.0) cannot hold; openpyxl refuses them.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def mask_personal_for(user) -> bool:
    """Certificate numbers are masked for anyone without the personal-data permission (PIPL)."""
    return user is None or not perms.has_perm(user, perms.VIEW_PERSONAL_DATA)


def export_queryset(filings):
    """``filings`` with everything :func:`columns.cell_value` reads loaded in a constant number of queries."""
    from ..models import Access, Website

    websites = Website.objects.select_related("responsible_certificate_type").prefetch_related(
        "service_contents",
        "pre_approval_categories",
        Prefetch("access_records", queryset=Access.objects.select_related("method").order_by("pk")),
    )
    return filings.select_related(
        "owner", "amends", "subject__nature", "subject__certificate_type", "subject__province",
        "subject__responsible_certificate_type",
    ).prefetch_related(Prefetch("websites", queryset=websites))


def header_row() -> list[str]:
    return C.headers(SHEET_LANGUAGE)


def filing_rows(filing, *, mask_personal):
    """The rows of one filing: one per website (with its first access record); a filing without
    websites still gets one row, so no filing silently disappears from an export."""
    websites = list(filing.websites.all()) or [None]
    for website in websites:
        access = None
        if website is not None:
            records = website.access_records.all()
            access = records[0] if records else None
        yield [
            escape_cell(C.cell_value(col, filing, website, access, mask_personal=mask_personal))
            for col in C.COLUMNS
        ]


def iter_row_chunks(filings, *, mask_personal, chunk_size=CHUNK_SIZE):
    """Lists of rows, one list per chunk of filings, each produced in the sheet's language.

    The language is switched only while a chunk is built, so a streaming response does not leave
    it switched between chunks.
    """
    iterator = export_queryset(filings).iterator(chunk_size=chunk_size)
    done = False
    while not done:
        rows, count = [], 0
        with translation.override(SHEET_LANGUAGE):
            for filing in iterator:
                rows.extend(filing_rows(filing, mask_personal=mask_personal))
                count += 1
                if count >= chunk_size:
                    break
            else:
                done = True
        if rows:
            yield count, rows


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def iter_csv(filings, *, mask_personal, chunk_size=CHUNK_SIZE, progress=None):
    """The csv file as a sequence of UTF-8 byte strings (BOM first), one per chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(UTF8_BOM)
    writer.writerow(header_row())
    yield buffer.getvalue().encode("utf-8")
    for count, rows in iter_row_chunks(filings, mask_personal=mask_personal, chunk_size=chunk_size):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_csv_value(v) for v in row] for row in rows)
        yield buffer.getvalue().encode("utf-8")
        if progress:
            progress(count, len(rows))


def _xlsx_value(value):
    if isinstance(value, str):
        return _XLSX_ILLEGAL.sub("", value)
    return value


def write_xlsx(filings, fileobj, *, mask_personal, chunk_size=CHUNK_SIZE, progress=None):
    """Write the workbook into ``fileobj`` (write-only mode: rows are not kept in memory).

    Returns the number of data rows written.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    with translation.override(SHEET_LANGUAGE):
        sheet = workbook.create_sheet(title=str(sheet_title()))
    sheet.freeze_panes = "A2"
    sheet.append(header_row())
    written = 0
    for count, rows in iter_row_chunks(filings, mask_personal=mask_personal, chunk_size=chunk_size):
        for row in rows:
            sheet.append([_xlsx_value(v) for v in row])
        written += len(rows)
        if progress:
            progress(count, len(rows))
    workbook.save(fileobj)
    return written


def sheet_title():
    from ..models import Filing

    return Filing._meta.verbose_name_plural


def export_filename(fmt, now=None):
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    return f"beian-filings-{stamp}.{fmt}"


def export_response(filings, fmt, user):
    """A download of ``filings`` (already filtered to what ``user`` may see) in ``fmt``."""
    mask_personal = mask_personal_for(user)
    filename = export_filename(fmt)
    if fmt == CSV:
        response = StreamingHttpResponse(iter_csv(filings, mask_personal=mask_personal), content_type=CONTENT_TYPES[CSV])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    elif fmt == XLSX:
        # Spooled in memory up to 8 MB, then on disk; FileResponse streams and closes it.
        spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024, suffix=".xlsx")  # noqa: SIM115 (the response closes it)
        write_xlsx(filings, spool, mask_personal=mask_personal)
        spool.seek(0)
        response = FileResponse(spool, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[XLSX])
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


__all__ = [
    "CSV",
    "FORMATS",
    "XLSX",
    "export_filename",
    "export_queryset",
    "export_response",
    "filing_rows",
    "header_row",
    "iter_csv",
    "iter_row_chunks",
    "mask_personal_for",
    "write_xlsx",
]
