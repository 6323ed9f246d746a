"""Export from the Wagtail filing listing and the template download (issue 6)."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests import factories
from wagtail_beian.models import Filing, FilingKind, Province
from wagtail_beian.services.workflow import perform_transition
from wagtail_beian.spreadsheets import columns as C

pytestmark = pytest.mark.django_db

INDEX = "wagtail_beian_filings:index"
TEMPLATE = "wagtail_beian_filings:spreadsheet_template"
KEYS = [c.key for c in C.COLUMNS]


def download(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def csv_records(response):
    assert response.status_code == 200, response.get("Location")
    text = download(response).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    assert header == C.headers("zh-hans")
    return [dict(zip(KEYS, row)) for row in rows]


def export(client, fmt="csv", **params):
    return client.get(reverse(INDEX), {"export": fmt, **params})


@pytest.fixture
def three_filings(customer, other_customer):
    beijing = factories.FilingFactory(owner=customer)
    submitted = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    shanghai = factories.FilingFactory(owner=other_customer, subject__province=Province.objects.get(code="31"))
    return {"beijing": beijing, "submitted": submitted, "shanghai": shanghai}


def test_listing_offers_xlsx_csv_and_template_downloads(client, clerk, three_filings):
    client.force_login(clerk)
    page = client.get(reverse(INDEX), {"state": "submitted"}).content.decode()
    assert "export=xlsx" in page and "export=csv" in page
    assert "state=submitted&amp;export=csv" in page  # the buttons carry the current filters
    assert reverse(TEMPLATE) in page


def test_export_honours_the_listing_filters(client, clerk, three_filings):
    client.force_login(clerk)
    records = csv_records(export(client, state="submitted"))
    assert {int(r["filing_id"]) for r in records} == {three_filings["submitted"].pk}
    shanghai = Province.objects.get(code="31")
    records = csv_records(export(client, province=shanghai.pk))
    assert {int(r["filing_id"]) for r in records} == {three_filings["shanghai"].pk}
    records = csv_records(export(client, kind=FilingKind.CHANGE))
    assert records == []
    assert len(csv_records(export(client))) == 3


def test_export_honours_the_listing_search(client, clerk, three_filings):
    client.force_login(clerk)
    target = three_filings["beijing"]
    domain = target.websites.get().domain
    records = csv_records(export(client, q=domain))
    assert [r["domain"] for r in records] == [domain]
    records = csv_records(export(client, q=target.subject.name))
    assert [int(r["filing_id"]) for r in records] == [target.pk]
    # search and filter together: nothing matches both
    assert csv_records(export(client, q=target.subject.name, state="submitted")) == []


def test_xlsx_export_from_the_listing_is_a_real_workbook(client, manager, three_filings):
    client.force_login(manager)
    response = export(client, "xlsx", state="draft")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(download(response))).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == C.headers("zh-hans")
    ids = {dict(zip(KEYS, r))["filing_id"] for r in rows}
    assert ids == {three_filings["beijing"].pk, three_filings["shanghai"].pk}


def test_certificate_numbers_masked_for_a_clerk_not_for_a_manager(client, clerk, manager, three_filings):
    subject = three_filings["beijing"].subject
    query = {"q": subject.name}
    client.force_login(clerk)
    response = export(client, **query)
    masked = csv_records(response)[0]
    assert masked["certificate_number"] == subject.masked_certificate_number != subject.certificate_number
    assert masked["subject_responsible_certificate_number"] == subject.masked_responsible_certificate_number
    client.force_login(manager)
    full = csv_records(export(client, **query))[0]
    assert full["certificate_number"] == subject.certificate_number
    assert full["subject_responsible_certificate_number"] == subject.responsible_certificate_number


def test_csv_export_is_streamed_with_bom(client, manager, three_filings):
    client.force_login(manager)
    response = export(client)
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert download(response).startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_no_export_without_view_permission(client, three_filings, fmt):
    plain = factories.StaffFactory(username="plain-admin")
    plain.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(plain)
    response = export(client, fmt)
    assert response.status_code in (302, 403)
    assert not download(response).startswith((b"\xef\xbb\xbf", b"PK"))
    client.logout()
    response = export(client, fmt)
    assert response.status_code == 302 and "login" in response["Location"]


def test_template_download(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse(TEMPLATE))
    assert response.status_code == 200
    assert "beian-filings-template.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook.worksheets[0][1]] == C.headers("zh-hans")


def test_template_refused_without_view_permission(client):
    plain = factories.StaffFactory(username="plain-admin")
    plain.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(plain)
    response = client.get(reverse(TEMPLATE))
    assert response.status_code != 200
    assert not response.content.startswith(b"PK")


def test_export_query_count_does_not_grow_with_rows(client, manager, customer, django_assert_max_num_queries):
    client.force_login(manager)
    factories.FilingFactory(owner=customer, documents=False)
    with django_assert_max_num_queries(18) as small:
        assert len(csv_records(export(client))) == 1
    for _ in range(6):
        factories.FilingFactory(owner=customer, documents=False)
    with django_assert_max_num_queries(18) as large:
        assert len(csv_records(export(client))) == 7
    assert len(large.captured_queries) == len(small.captured_queries)
    assert Filing.objects.count() == 7


def test_import_page_links_the_template(client, manager):
    client.force_login(manager)
    page = client.get(reverse("wagtail_beian_imports:upload"))
    assert page.status_code == 200
    assert reverse(TEMPLATE) in page.content.decode()
