"""``manage.py beian_export``: files, stdout, the listing's filters and search, masking, summary."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests import factories
from wagtail_beian.models import Province
from wagtail_beian.services.workflow import perform_transition
from wagtail_beian.spreadsheets import columns as C

pytestmark = pytest.mark.django_db
KEYS = [c.key for c in C.COLUMNS]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("beian_export", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def records_from_csv(text):
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert header == C.headers("zh-hans")
    return [dict(zip(KEYS, r)) for r in rows]


@pytest.fixture
def world(customer, other_customer, manager):
    beijing = factories.FilingFactory(owner=customer)
    factories.WebsiteFactory(filing=beijing, sort_order=1)
    submitted = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    shanghai = factories.FilingFactory(owner=other_customer, subject__province=Province.objects.get(code="31"))
    return {"beijing": beijing, "submitted": submitted, "shanghai": shanghai, "manager": manager}


def test_csv_to_stdout_with_summary_on_stderr(world):
    out, err = run("--as-user", "manager")
    records = records_from_csv(out)
    assert len(records) == 4  # one row per website
    assert "4" in err and "3" in err  # rows and filings in the summary
    assert "\ufeff" not in err


def test_xlsx_file_with_filters(world, tmp_path):
    target = tmp_path / "filings.xlsx"
    _out, err = run("-o", str(target), "--as-user", "manager", "--state", "draft", "--province", "京")
    sheet = openpyxl.load_workbook(target).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == C.headers("zh-hans")
    assert {dict(zip(KEYS, r))["filing_id"] for r in rows} == {world["beijing"].pk}
    assert len(rows) == 2
    assert str(target) in err


def test_state_kind_and_search_filters(world, tmp_path):
    target = tmp_path / "out.csv"
    run("-o", str(target), "--as-user", "manager", "--state", "submitted", "--state", "draft", "--kind", "new")
    assert len(records_from_csv(target.read_text("utf-8"))) == 4
    out, _err = run("--as-user", "manager", "--search", world["shanghai"].subject.name)
    assert [int(r["filing_id"]) for r in records_from_csv(out)] == [world["shanghai"].pk]
    out, _err = run("--as-user", "manager", "--province", "上海市", "--state", "submitted")
    assert records_from_csv(out) == []


def test_certificate_numbers_masked_for_a_user_without_permission(world, clerk):
    subject = world["shanghai"].subject
    out, err = run("--as-user", "clerk", "--search", subject.name)
    assert records_from_csv(out)[0]["certificate_number"] == subject.masked_certificate_number
    assert subject.certificate_number not in out
    assert "masked" in err or "掩" in err or "隐" in err  # the summary says so
    out, _err = run("--as-user", "manager", "--search", subject.name)
    assert records_from_csv(out)[0]["certificate_number"] == subject.certificate_number
    out, _err = run("--as-user", "manager", "--search", subject.name, "--mask-personal-data")
    assert subject.certificate_number not in out


def test_a_user_without_view_permission_exports_nothing(world):
    factories.StaffFactory(username="nobody")
    out, _err = run("--as-user", "nobody")
    assert records_from_csv(out) == []


def test_bad_arguments_are_refused_clearly(world, tmp_path):
    with pytest.raises(CommandError, match="火星"):
        run("--as-user", "manager", "--province", "火星")
    with pytest.raises(CommandError, match="ghost"):
        run("--as-user", "ghost")
    with pytest.raises(CommandError):
        run("--as-user", "manager", "--state", "flying")


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_only_on_a_terminal(world):
    out, err = io.StringIO(), FakeTerminal()
    call_command("beian_export", "--as-user", "manager", "--chunk-size", "1", stdout=out, stderr=err)
    drawn = err.getvalue()
    assert "\r[" in drawn and "3/3" in drawn and "1/3" in drawn
    assert "\r[" not in out.getvalue()
    _out, plain = run("--as-user", "manager")
    assert "\r[" not in plain
