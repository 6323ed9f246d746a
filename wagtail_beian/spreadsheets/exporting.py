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
from itertools import islice

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation

from .. import permissions as perms
from ..models import (
    Access,
    AccessMethod,
    CertificateType,
    Filing,
    OrganizerNature,
    PreApprovalCategory,
    Province,
    ServiceContent,
    Website,
)
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
    """``filings`` with the one-to-one relations :func:`columns.cell_value` reads joined in."""
    return filings.select_related("owner", "amends", "subject")


class _Codes:
    """Every code-table row, loaded once per export (a few small tables), attached by id.

    Rows that are no longer active are included: an old filing still names them.
    """

    def __init__(self):

        self.tables = {
            model: {obj.pk: obj for obj in model.objects.all()}
            for model in (AccessMethod, CertificateType, OrganizerNature, PreApprovalCategory, Province, ServiceContent)
        }

    def attach(self, obj, field_name, model):
        """Fill the foreign-key cache of ``obj.field_name`` from the loaded table (no query)."""
        pk = getattr(obj, field_name + "_id")
        obj._state.fields_cache[field_name] = self.tables[model].get(pk) if pk is not None else None


def _load_chunk(filings, codes):
    """Websites, access records and many-to-many codes of a chunk of filings: 4 queries.

    Django's own prefetch_related builds a queryset per instance and relation; for exports of
    100 000 rows that costs more than the queries. Here every relation is filled directly into the
    caches the model's descriptors read, so :func:`columns.cell_value` works on ordinary instances.
    Returns {filing id: [(website, first access record or None)]}.
    """

    by_id = {f.pk: f for f in filings}
    for filing in filings:
        subject = getattr(filing, "subject", None)
        if subject is not None:
            codes.attach(subject, "nature", OrganizerNature)
            codes.attach(subject, "certificate_type", CertificateType)
            codes.attach(subject, "province", Province)
            codes.attach(subject, "responsible_certificate_type", CertificateType)
    websites = list(Website.objects.filter(filing_id__in=by_id).order_by("filing_id", "sort_order", "pk"))
    website_ids = [w.pk for w in websites]
    first_access = {}
    for access in Access.objects.filter(website_id__in=website_ids).order_by("pk"):
        if access.website_id not in first_access:
            codes.attach(access, "method", AccessMethod)
            first_access[access.website_id] = access
    many = {}
    for name, model in (("service_contents", ServiceContent), ("pre_approval_categories", PreApprovalCategory)):
        through = Website._meta.get_field(name).remote_field.through
        target = f"{model._meta.model_name}_id"
        table = codes.tables[model]
        lists = {}
        for website_id, code_id in through.objects.filter(website_id__in=website_ids).values_list("website_id", target):
            lists.setdefault(website_id, []).append(table[code_id])
        for items in lists.values():
            items.sort(key=lambda c: (c.sort_order, c.code))
        many[name] = lists
    rows = {pk: [] for pk in by_id}
    for website in websites:
        website._state.fields_cache["filing"] = by_id[website.filing_id]
        codes.attach(website, "responsible_certificate_type", CertificateType)
        website._prefetched_objects_cache = {name: lists.get(website.pk, []) for name, lists in many.items()}
        access = first_access.get(website.pk)
        if access is not None:
            access._state.fields_cache["website"] = website
        rows[website.filing_id].append((website, access))
    return rows


def header_row() -> list[str]:
    return C.headers(SHEET_LANGUAGE)


def filing_rows(filing, websites, *, mask_personal):
    """The rows of one filing: one per (website, its first access record); a filing without
    websites still gets one row, so no filing silently disappears from an export."""
    for website, access in websites or [(None, None)]:
        yield [
            escape_cell(C.cell_value(col, filing, website, access, mask_personal=mask_personal))
            for col in C.COLUMNS
        ]


def iter_row_chunks(filings, *, mask_personal, chunk_size=CHUNK_SIZE):
    """(filings, rows) per chunk of filings, each chunk built in the sheet's language.

    Queries per chunk are constant (filings with subject; websites; access; two code lists). The
    language is switched only while a chunk is built, so a streaming response does not leave it
    switched between chunks.
    """
    codes = _Codes()
    iterator = export_queryset(filings).iterator(chunk_size=chunk_size)
    while True:
        chunk = list(islice(iterator, chunk_size))
        if not chunk:
            return
        with translation.override(SHEET_LANGUAGE):
            websites = _load_chunk(chunk, codes)
            rows = []
            for filing in chunk:
                rows.extend(filing_rows(filing, websites[filing.pk], mask_personal=mask_personal))
        yield len(chunk), rows


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
