"""The clerks' workload report (工作量统计, issue 12): waiting, overdue, done in the period, median
working days to verify; managers only; exportable."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests import factories
from wagtail_beian.models import Filing, FilingState
from wagtail_beian.rules import workdays
from wagtail_beian.services.assignment import assign_filing
from wagtail_beian.services.workflow import Reason, perform_transition
from wagtail_beian.services.workload import period_start, workload

pytestmark = pytest.mark.django_db
S = FilingState
URL = reverse("wagtail_beian_reports:workload")


def clerk_named(staff_groups, username):
    user = factories.StaffFactory(username=username)
    user.groups.add(staff_groups[0])
    return user


def submitted(customer):
    return perform_transition(factories.FilingFactory(owner=customer), "submit", customer)


def move_log(filing, action, when):
    ModelLogEntry.objects.filter(object_id=str(filing.pk), action=f"wagtail_beian.{action}").update(timestamp=when)


def row_of(rows, user):
    return next(r for r in rows if r.user == user)


@pytest.fixture
def world(customer, manager, staff_groups):
    li, wang = clerk_named(staff_groups, "clerk-li"), clerk_named(staff_groups, "clerk-wang")
    waiting, late, elsewhere = submitted(customer), submitted(customer), submitted(customer)
    for filing in (waiting, late):
        assign_filing(filing, manager, li)
    Filing.objects.filter(pk=late.pk).update(deadline_at=timezone.now() - datetime.timedelta(hours=1))
    assign_filing(elsewhere, manager, wang)
    returned = perform_transition(elsewhere, "return_to_customer", wang, reasons=[Reason("subject.name", "x", "y")])
    unassigned = submitted(customer)
    # two verifications by 李 in the period, 3 and 7 days after their submissions
    now = timezone.now()
    days = []
    for back, took in ((20, 3), (30, 7)):
        filing = submitted(customer)
        perform_transition(filing, "verify", li)
        submit_at, verify_at = now - datetime.timedelta(days=back), now - datetime.timedelta(days=back - took)
        move_log(filing, "submit", submit_at)
        move_log(filing, "verify", verify_at)
        days.append(workdays.workdays_between(timezone.localdate(submit_at), timezone.localdate(verify_at)))
    return {"li": li, "wang": wang, "late": late, "returned": returned, "unassigned": unassigned, "days": days}


def test_workload_counts_what_waits_on_each_clerk_and_what_they_did(world, manager):
    rows = workload(period_start("90"))
    li, wang = row_of(rows, world["li"]), row_of(rows, world["wang"])
    assert (li.waiting, li.overdue, li.verified, li.returned) == (2, 1, 2, 0)
    assert li.median_days == sum(world["days"]) / 2  # the median of two is their mean
    assert (wang.waiting, wang.overdue, wang.verified, wang.returned) == (0, 0, 0, 1)  # returned: the customer's move
    assert wang.median_days is None
    nobody = row_of(rows, None)  # the unassigned submission and the two verified filings (the provider's move)
    assert nobody.waiting == 3 and nobody.name == "未分配"
    # the period: a week ago is outside "the last 30 days" for neither, "this week" drops both verifications
    assert row_of(workload(period_start("week", timezone.now() + datetime.timedelta(days=40))), world["li"]).verified == 0


def test_assigning_another_filing_shows_in_the_report(world, manager, customer):
    before = workload(period_start("week"))
    assign_filing(world["unassigned"], manager, world["wang"])
    after = workload(period_start("week"))
    assert row_of(after, world["wang"]).waiting == row_of(before, world["wang"]).waiting + 1
    assert row_of(after, None).waiting == row_of(before, None).waiting - 1


def test_workload_query_count_does_not_grow_with_clerks_or_filings(world, staff_groups, customer, manager):
    with CaptureQueriesContext(connection) as few:
        workload(period_start("90"))
    for n in range(4):
        clerk = clerk_named(staff_groups, f"clerk-{n}")
        filing = submitted(customer)
        assign_filing(filing, manager, clerk)
        perform_transition(filing, "verify", clerk)
    with CaptureQueriesContext(connection) as many:
        workload(period_start("90"))
    assert len(many) == len(few) <= 6


def test_only_managers_see_the_report_in_chinese_and_export_it(client, world, manager):
    client.force_login(world["li"])
    assert client.get(URL).status_code in (302, 403)
    client.force_login(manager)
    page = client.get(URL, {"period": "90"})
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("工作量统计", "待处理", "其中超期", "核实用时中位数", "clerk-li", "未分配"):
        assert text in html, text
    assert "False" not in html and "True" not in html
    export = client.get(URL, {"period": "90", "export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("经办人", "待处理", "其中超期")
    li = next(r for r in rows if r[0] == "clerk-li" or "clerk-li" in str(r[0]))
    assert li[1:5] == (2, 1, 2, 0)


def test_the_report_is_in_the_reports_menu_of_managers_only(client, world, manager):
    client.force_login(manager)
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(world["li"])
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()
