"""Between the check (preview) and the write, a colleague files an organizer or domain of the file:
the write's re-check inside its transaction refuses at the row and cell (R08, W02), nothing written.
Runs on SQLite and PostgreSQL; the concurrent variants are in test_import_reliability.py."""

import io

import pytest
from wagtail.models import ModelLogEntry

from tests import factories
from tests.spreadsheets.sheets import filing_row, xlsx_bytes
from wagtail_beian.models import Filing, Website
from wagtail_beian.spreadsheets.importing import INVALID, ImportRefused, analyse, write
from wagtail_beian.spreadsheets.reading import read_table

pytestmark = pytest.mark.django_db


def _checked(user, rows):
    analysis = analyse(read_table(io.BytesIO(xlsx_bytes(rows))), user)
    assert analysis.is_valid
    return analysis


def test_w02_domain_filed_after_the_check_is_refused_at_its_row(customer, manager):
    analysis = _checked(manager, [filing_row(1), filing_row(2), filing_row(3)])
    factories.WebsiteFactory(domain="import-3.cn")
    filings = Filing.objects.count()
    with pytest.raises(ImportRefused) as refused:
        write(analysis, manager)
    assert [(i.row, i.column, i.rule) for i in refused.value.issues] == [(4, "domain", "W02")]
    assert "import-3.cn" in refused.value.message
    assert [r.status for r in analysis.rows] == ["new", "new", INVALID]
    assert Filing.objects.count() == filings and Website.objects.count() == 1
    assert not ModelLogEntry.objects.filter(action__startswith="wagtail_beian.import").exists()


def test_r08_organizer_filed_after_the_check_is_refused_at_its_row(customer, manager):
    analysis = _checked(manager, [filing_row(1), filing_row(2)])
    subject = analysis.groups[1].subject
    factories.SubjectFactory(certificate_type=subject["certificate_type"],
                             certificate_number=subject["certificate_number"])
    with pytest.raises(ImportRefused) as refused:
        write(analysis, manager)
    assert [(i.row, i.column, i.rule) for i in refused.value.issues] == [(3, "certificate_number", "R08")]
    assert not Website.objects.filter(domain__startswith="import-").exists()
