"""Export → import of the same file changes nothing (issue 6), with and without masked numbers."""

import io

import pytest

from tests import factories
from wagtail_beian.models import Filing
from wagtail_beian.spreadsheets.exporting import iter_csv, write_xlsx
from wagtail_beian.spreadsheets.importing import analyse
from wagtail_beian.spreadsheets.reading import read_table

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("mask", [False, True])
def test_export_then_import_is_unchanged(fmt, mask, customer, manager):
    factories.FilingFactory(owner=customer)
    second = factories.FilingFactory(owner=customer)
    factories.WebsiteFactory(filing=second, sort_order=1)
    filings = Filing.objects.all()
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(filings, buffer, mask_personal=mask)
        data = buffer.getvalue()
    else:
        data = b"".join(iter_csv(filings, mask_personal=mask))
    analysis = analyse(read_table(io.BytesIO(data)), manager)
    problems = [(r.number, i.header, i.message) for r in analysis.rows for i in r.errors]
    assert problems == []
    assert [r.status for r in analysis.rows] == ["unchanged"] * 3, [(r.number, r.changes) for r in analysis.rows]
