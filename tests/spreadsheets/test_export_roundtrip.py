"""Export → import of the same file changes nothing (issue 6), in both formats."""

import io

import pytest
from django.forms.models import model_to_dict
from wagtail.models import ModelLogEntry

from tests import factories
from wagtail_beian.models import Access, Filing, Subject, Website
from wagtail_beian.services.workflow import perform_transition
from wagtail_beian.spreadsheets.exporting import iter_csv, write_xlsx
from wagtail_beian.spreadsheets.importing import UNCHANGED, analyse, write
from wagtail_beian.spreadsheets.reading import read_table

pytestmark = pytest.mark.django_db


def snapshot():
    def rows(model):
        return sorted((model_to_dict(obj) for obj in model.objects.all()), key=lambda d: d["id"])

    return {
        "filings": sorted(Filing.objects.values_list("pk", "state", "owner_id", "subject_number", "updated_at")),
        "subjects": rows(Subject),
        "websites": [{**d, "service_contents": sorted(x.pk for x in d["service_contents"]),
                      "pre_approval_categories": sorted(x.pk for x in d["pre_approval_categories"])} for d in rows(Website)],
        "access": rows(Access),
    }


@pytest.fixture
def varied_filings(customer, other_customer):
    two_sites = factories.FilingFactory(owner=customer)
    factories.WebsiteFactory(filing=two_sites, sort_order=1, domain_owner_is_organizer=False)
    individual = factories.FilingFactory(owner=other_customer, subject__individual=True)
    # text that a spreadsheet program would take for a formula: escaped on export, restored on import
    individual.subject.mailing_address_note = "-没有门牌号：村里只有组号"
    individual.subject.save()
    website = individual.websites.get()
    website.pre_approval_document_number = "=京新出(2024)001号"
    website.save()
    submitted = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    return [two_sites, individual, submitted]


def exported(fmt):
    if fmt == "xlsx":
        out = io.BytesIO()
        write_xlsx(Filing.objects.order_by("pk"), out, mask_personal=False)
        return out.getvalue()
    return b"".join(iter_csv(Filing.objects.order_by("pk"), mask_personal=False))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(manager, varied_filings, fmt):
    data = exported(fmt)
    assert b"'-" in data or fmt == "xlsx"  # the escape is really in the file
    before = snapshot()
    analysis = analyse(read_table(io.BytesIO(data)), manager)
    errors = [(r.number, i.header, i.value, i.message) for r in analysis.rows for i in r.errors]
    assert errors == []
    assert [r.status for r in analysis.rows] == [UNCHANGED] * 4, [(r.number, r.status, r.changes) for r in analysis.rows]
    result = write(analysis, manager)
    assert result.created == [] and result.updated == [] and result.unchanged == 4
    assert snapshot() == before
    assert not ModelLogEntry.objects.filter(action__startswith="wagtail_beian.import").exists()
    note = Subject.objects.get(filing=varied_filings[1]).mailing_address_note
    assert note == "-没有门牌号：村里只有组号"
