"""Deadline monitor (F04): digests of filings near or past a deadline, each notice sent once."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.test import override_settings

from tests import factories
from wagtail_beian.notifications.deadlines import run_deadline_monitor
from wagtail_beian.services.deadlines import find_due
from wagtail_beian.models import DeadlineNotice, Filing, FilingKind, OutgoingEmail
from wagtail_beian.services.workflow import perform_transition

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime.datetime(*args, tzinfo=TZ)


def end_of(day):
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=TZ)


def set_deadline(filing, kind, due, state=None):
    state = state or {"provider": "submitted", "sms": "sms_check", "bureau": "bureau_review"}[kind]
    Filing.objects.filter(pk=filing.pk).update(deadline_kind=kind, deadline_at=due, state=state)
    filing.refresh_from_db()
    return filing


def levels(now):
    return {(item.filing.pk, item.kind): item.level for item in find_due(now)}


def by_address():
    return {m.to[0]: m for m in mail.outbox}


@pytest.fixture
def staff(clerk, manager):
    return clerk, manager  # clerk: verify_filing; manager: verify_filing + submit_to_bureau


def test_f04_provider_deadline_near_counts_working_days_over_the_weekend(customer):
    friday = at(2025, 3, 14, 10)
    monday = factories.FilingFactory(owner=customer)
    tuesday = factories.FilingFactory(owner=customer)
    set_deadline(monday, "provider", end_of(datetime.date(2025, 3, 17)))
    set_deadline(tuesday, "provider", end_of(datetime.date(2025, 3, 18)))
    # due soon = 2 working days by default (rules.deadlines, the dashboard's window too)
    assert set(levels(friday)) == {(monday.pk, "provider"), (tuesday.pk, "provider")}
    with override_settings(WAGTAIL_BEIAN_DEADLINE_WARNING_WORKDAYS=1):
        assert levels(friday) == {(monday.pk, "provider"): "near"}  # 1 working day left; Tuesday is 2


def test_f04_bureau_deadline_near_across_the_national_day_holiday(customer):
    filing = set_deadline(factories.FilingFactory(owner=customer), "bureau", end_of(datetime.date(2025, 10, 9)))
    # 1–8 October 2025 are statutory holidays: 9 October is the next working day after 30 September.
    with override_settings(WAGTAIL_BEIAN_DEADLINE_WARNING_WORKDAYS=1):
        assert levels(at(2025, 9, 30, 9)) == {(filing.pk, "bureau"): "near"}
        assert levels(at(2025, 9, 29, 9)) == {}  # 30 Sep and 9 Oct: 2 working days
    assert levels(at(2025, 9, 29, 9)) == {(filing.pk, "bureau"): "near"}  # within the default 2


def test_f04_overdue_working_day_deadlines(customer):
    provider = set_deadline(factories.FilingFactory(owner=customer), "provider", end_of(datetime.date(2025, 3, 13)))
    bureau = set_deadline(factories.FilingFactory(owner=customer), "bureau", end_of(datetime.date(2025, 3, 1)))
    assert levels(at(2025, 3, 14, 0, 0, 1)) == {(provider.pk, "provider"): "overdue", (bureau.pk, "bureau"): "overdue"}


def test_sms_deadline_near_within_six_hours_and_overdue(customer):
    now = at(2025, 3, 14, 10)
    near = set_deadline(factories.FilingFactory(owner=customer), "sms", now + datetime.timedelta(hours=5))
    later = set_deadline(factories.FilingFactory(owner=customer), "sms", now + datetime.timedelta(hours=7))
    late = set_deadline(factories.FilingFactory(owner=customer), "sms", now - datetime.timedelta(minutes=1))
    assert levels(now) == {(near.pk, "sms"): "near", (late.pk, "sms"): "overdue"}
    with override_settings(WAGTAIL_BEIAN_SMS_WARNING_HOURS=8):
        assert (later.pk, "sms") in levels(now)


def test_withdrawn_and_cancelled_filings_and_filings_without_deadline_are_ignored(customer):
    due = end_of(datetime.date(2025, 3, 1))
    set_deadline(factories.FilingFactory(owner=customer), "provider", due, state="withdrawn")
    set_deadline(factories.FilingFactory(owner=customer), "provider", due, state="cancelled")
    factories.FilingFactory(owner=customer)  # draft, no deadline
    assert find_due(at(2025, 3, 14, 10)) == []


def test_change_filings_are_monitored(customer):
    filing = factories.FilingFactory(owner=customer)
    Filing.objects.filter(pk=filing.pk).update(state="approved", subject_number="京ICP备2024000001号")
    change = factories.FilingFactory(owner=customer, kind=FilingKind.CHANGE, amends=filing)
    set_deadline(change, "provider", end_of(datetime.date(2025, 3, 13)))
    assert levels(at(2025, 3, 14, 10)) == {(change.pk, "provider"): "overdue"}


def test_digests_go_to_the_right_people_once_per_address(customer, other_customer, staff, django_capture_on_commit_callbacks):
    now = at(2025, 3, 14, 10)
    provider = set_deadline(factories.FilingFactory(owner=customer), "provider", end_of(datetime.date(2025, 3, 13)))
    sms = set_deadline(factories.FilingFactory(owner=customer), "sms", now + datetime.timedelta(hours=3))
    bureau_near = set_deadline(factories.FilingFactory(owner=other_customer), "bureau", end_of(datetime.date(2025, 3, 17)))
    bureau_late = set_deadline(factories.FilingFactory(owner=other_customer), "bureau", end_of(datetime.date(2025, 3, 10)))
    with django_capture_on_commit_callbacks(execute=True):
        summary = run_deadline_monitor(now)
    sent = by_address()
    assert sorted(sent) == ["clerk@example.com", "customer-a@example.com", "customer-b@example.com", "manager@example.com"]
    assert len(mail.outbox) == 4  # digests: one e-mail per address
    names = {f.pk: f.subject.name for f in (provider, sms, bureau_near, bureau_late)}
    # clerk: provider deadline only; manager: everything (verify + submit_to_bureau)
    assert names[provider.pk] in sent["clerk@example.com"].body
    assert names[sms.pk] not in sent["clerk@example.com"].body
    assert all(name in sent["manager@example.com"].body for name in names.values())
    # customers: the SMS deadline, and the overdue bureau review, never a near bureau deadline
    assert names[sms.pk] in sent["customer-a@example.com"].body
    assert names[provider.pk] not in sent["customer-a@example.com"].body
    assert names[bureau_late.pk] in sent["customer-b@example.com"].body
    assert names[bureau_near.pk] not in sent["customer-b@example.com"].body
    # zh-Hans, plain text + HTML, links to the admin for staff and to the portal for customers
    staff_mail, customer_mail = sent["manager@example.com"], sent["customer-a@example.com"]
    assert "已逾期" in staff_mail.body and "工作日" in staff_mail.body
    assert "http://127.0.0.1:8000/admin/" in staff_mail.body and f"/{provider.pk}/" in staff_mail.body
    assert "/portal/" in customer_mail.body and "短信" in customer_mail.body and "24" in customer_mail.body
    assert customer_mail.alternatives[0][1] == "text/html" and names[sms.pk] in customer_mail.alternatives[0][0]
    # no personal data beyond the organizer name
    for message in mail.outbox:
        for f in (provider, sms, bureau_near, bureau_late):
            assert f.subject.certificate_number not in message.body + message.alternatives[0][0]
            assert f.subject.responsible_mobile not in message.body
    assert dict(summary.notices) == {
        ("overdue", "staff"): 2, ("near", "staff"): 2, ("near", "customer"): 1, ("overdue", "customer"): 1,
    }
    assert DeadlineNotice.objects.count() == 6


def test_second_run_sends_nothing(customer, staff, django_capture_on_commit_callbacks):
    now = at(2025, 3, 14, 10)
    set_deadline(factories.FilingFactory(owner=customer), "sms", now + datetime.timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        run_deadline_monitor(now)
    first = len(mail.outbox)
    assert first == 2  # manager + customer
    with django_capture_on_commit_callbacks(execute=True):
        summary = run_deadline_monitor(now + datetime.timedelta(hours=1))
    assert len(mail.outbox) == first and summary.total == 0 and summary.emails == []
    # when it becomes overdue, that is a new notice (level overdue)
    with django_capture_on_commit_callbacks(execute=True):
        summary = run_deadline_monitor(now + datetime.timedelta(hours=4))
    assert len(mail.outbox) == first + 2 and dict(summary.notices) == {("overdue", "staff"): 1, ("overdue", "customer"): 1}


def test_a_new_deadline_after_a_transition_is_notified_again(customer, manager, django_capture_on_commit_callbacks):
    filing = factories.FilingFactory(owner=customer)
    filing = perform_transition(filing, "submit", customer)
    filing = perform_transition(filing, "verify", manager)
    filing = perform_transition(filing, "submit_to_bureau", manager)
    assert filing.deadline_kind == "sms"
    OutgoingEmail.objects.all().delete()  # the transitions' own e-mails are not under test here
    near_sms = filing.deadline_at - datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        run_deadline_monitor(near_sms)
    assert sorted(m.to[0] for m in mail.outbox) == ["customer-a@example.com", "manager@example.com"]
    mail.outbox.clear()
    filing = perform_transition(filing, "confirm_sms", manager)
    assert filing.deadline_kind == "bureau"
    OutgoingEmail.objects.filter(sent_at__isnull=True).delete()
    late = filing.deadline_at + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        summary = run_deadline_monitor(late)
    assert dict(summary.notices) == {("overdue", "staff"): 1, ("overdue", "customer"): 1}
    assert sorted(m.to[0] for m in mail.outbox) == ["customer-a@example.com", "manager@example.com"]
    assert DeadlineNotice.objects.filter(filing=filing).values("deadline_kind").distinct().count() == 2


def test_a_crash_records_nothing_and_sends_nothing(customer, staff, django_capture_on_commit_callbacks, monkeypatch):
    now = at(2025, 3, 14, 10)
    set_deadline(factories.FilingFactory(owner=customer), "sms", now + datetime.timedelta(hours=3))
    from wagtail_beian.notifications import deadlines as digests

    real_notify, calls = digests.notify, []

    def notify_then_fail(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("mail template broke")
        return real_notify(*args, **kwargs)

    monkeypatch.setattr(digests, "notify", notify_then_fail)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            run_deadline_monitor(now)
    assert mail.outbox == [] and not DeadlineNotice.objects.exists() and not OutgoingEmail.objects.exists()


def test_dry_run_writes_nothing(customer, staff, django_capture_on_commit_callbacks):
    now = at(2025, 3, 14, 10)
    set_deadline(factories.FilingFactory(owner=customer), "sms", now + datetime.timedelta(hours=3))
    with django_capture_on_commit_callbacks(execute=True):
        summary = run_deadline_monitor(now, dry_run=True)
    assert len(summary.emails) == 2 and summary.total == 2
    assert mail.outbox == [] and not DeadlineNotice.objects.exists() and not OutgoingEmail.objects.exists()


def test_command_prints_the_summary_and_is_quiet_when_nothing_is_due(customer, staff, capsys, django_capture_on_commit_callbacks):
    set_deadline(factories.FilingFactory(owner=customer), "provider", end_of(datetime.date(2025, 3, 1)))
    call_command("beian_deadlines", "--dry-run")
    out = capsys.readouterr().out
    assert "dry run" in out and "manager@example.com" in out and "overdue/staff: 1" in out
    assert not DeadlineNotice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("beian_deadlines", verbosity=2)
    out = capsys.readouterr().out
    assert "sent 2 e-mails" in out and "clerk@example.com" in out and "overdue/staff: 1" in out
    assert len(mail.outbox) == 2
    call_command("beian_deadlines")
    assert capsys.readouterr().out == ""  # nothing new: silent for cron


def test_task_runs_the_same_monitor(customer, staff, django_capture_on_commit_callbacks):
    from wagtail_beian.notifications.deadlines import check_deadlines

    set_deadline(factories.FilingFactory(owner=customer), "provider", end_of(datetime.date(2025, 3, 1)))
    with django_capture_on_commit_callbacks(execute=True):
        result = check_deadlines.enqueue()
    assert result.return_value["notices"] == {"overdue/staff": 1} and len(mail.outbox) == 2


def test_find_due_query_count_does_not_grow_with_filings(customer):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    def count(n):
        Filing.objects.all().delete()
        for _ in range(n):
            set_deadline(factories.FilingFactory(owner=customer), "provider", end_of(datetime.date(2025, 3, 1)))
        find_due(at(2025, 3, 14, 10))  # warm the holiday-override cache
        with CaptureQueriesContext(conn) as queries:
            due = find_due(at(2025, 3, 14, 10))
            [(item.filing.subject.name, item.filing.owner.email) for item in due]
        assert len(due) == n
        return len(queries)

    assert count(5) == count(50) == 2  # one query for filings, one for access transfers


def test_f04_fallback_warning_in_the_staff_digest_for_2027(customer, staff, django_capture_on_commit_callbacks):
    filing = set_deadline(factories.FilingFactory(owner=customer), "bureau", end_of(datetime.date(2027, 1, 4)))
    with django_capture_on_commit_callbacks(execute=True), pytest.warns(Warning):
        run_deadline_monitor(at(2027, 1, 5, 9))
    staff_mail = by_address()["manager@example.com"]
    from django.utils import translation

    from wagtail_beian.rules.workdays import fallback_warning

    with translation.override("zh-hans"):
        warning = fallback_warning([2027])
    assert "2027" in warning and warning in staff_mail.body
    assert warning not in by_address()["customer-a@example.com"].body  # a staff matter


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_runs_send_each_notice_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (SQLite serialises all writes)")
    from wagtail_beian.groups import setup_staff_groups

    manager = factories.StaffFactory(username="manager")
    manager.groups.add(setup_staff_groups()[1])
    owner = factories.UserFactory(username="customer-a")
    now = at(2025, 3, 14, 10)
    for _ in range(5):
        set_deadline(factories.FilingFactory(owner=owner), "sms", now + datetime.timedelta(hours=3))
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(run_deadline_monitor(now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(s.total for s in results) == [0, 10]
    assert DeadlineNotice.objects.count() == 10 and OutgoingEmail.objects.count() == 2


# ------------------------------------------------------------- W05 and access transfers


def make_transfer(owner, direction="incoming_new_website", state="requested", created=None, submitted=None, n=0):
    from wagtail_beian.models import AccessTransfer

    transfer = AccessTransfer.objects.create(
        owner=owner, direction=direction, filing_number="京ICP备17042306号", organizer_name=f"北京转入科技有限公司{n}",
        domain="" if direction == "incoming_new_website" else f"moved-{n}.cn",
        new_domain=f"new-site-{n}.cn" if direction == "incoming_new_website" else "",
    )
    AccessTransfer.objects.filter(pk=transfer.pk).update(state=state, created_at=created, submitted_at=submitted)
    transfer.refresh_from_db()
    return transfer


def w05_change(customer, due, state="submitted"):
    filing = factories.FilingFactory(owner=customer)
    Filing.objects.filter(pk=filing.pk).update(state="approved", subject_number=f"京ICP备{2024000100 + filing.pk}号")
    change = factories.FilingFactory(owner=customer, kind=FilingKind.CHANGE, amends=filing)
    Filing.objects.filter(pk=change.pk).update(
        state=state, website_addition_started_at=due - datetime.timedelta(days=9), website_addition_due_at=due,
    )
    change.refresh_from_db()
    return change


def transfer_levels(now):
    return {(item.transfer.pk, item.kind): item.level for item in find_due(now) if item.transfer is not None}


def test_w05_change_adding_a_website_is_monitored_beside_its_provider_deadline(customer):
    friday = at(2025, 3, 14, 10)
    change = w05_change(customer, end_of(datetime.date(2025, 3, 17)))  # Monday: 1 working day left
    set_deadline(change, "provider", end_of(datetime.date(2025, 3, 13)))  # and the provider is late
    assert levels(friday) == {(change.pk, "provider"): "overdue", (change.pk, "website"): "near"}
    # once at the bureau the W05 deadline is met
    Filing.objects.filter(pk=change.pk).update(state="sms_check", sms_sent_at=friday, deadline_at=None, deadline_kind="")
    assert levels(friday) == {}


def test_f04_transfer_deadlines_provider_bureau_and_w05(customer):
    now = at(2025, 3, 14, 10)
    # requested Wed 5 March: provider due Wed 12 March (overdue); W05 due Fri 14 March (near, today)
    late = make_transfer(customer, created=at(2025, 3, 5, 9), n=1)
    # an existing website moving here, requested Fri 7 March: provider due Fri 14 March (near); no W05
    moving = make_transfer(customer, direction="incoming_existing_website", created=at(2025, 3, 7, 9), n=2)
    # at the bureau since 10 Feb: 20 working days → 10 March (overdue)
    bureau = make_transfer(customer, state="submitted_to_bureau", created=at(2025, 2, 1, 9), submitted=at(2025, 2, 10, 9), n=3)
    fresh = make_transfer(customer, created=at(2025, 3, 13, 9), n=4)  # nothing due yet
    done = make_transfer(customer, state="completed", created=at(2025, 1, 2, 9), n=5)
    found = transfer_levels(now)
    assert found == {
        (late.pk, "provider"): "overdue", (late.pk, "website"): "near",
        (moving.pk, "provider"): "near", (bureau.pk, "bureau"): "overdue",
    }
    assert not {fresh.pk, done.pk} & {pk for pk, _kind in found}


def test_w05_transfer_and_change_notices_are_sent_once(customer, other_customer, staff, django_capture_on_commit_callbacks):
    now = at(2025, 3, 14, 10)
    late = make_transfer(other_customer, created=at(2025, 3, 3, 9), n=1)  # W05 due 12 March: overdue
    change = w05_change(customer, end_of(datetime.date(2025, 3, 13)), state="returned")  # overdue, with the customer
    with django_capture_on_commit_callbacks(execute=True):
        summary = run_deadline_monitor(now)
    sent = by_address()
    # clerk (verify): the transfer's overdue provider check; manager: everything; both customers: W05 overdue
    assert sorted(sent) == ["clerk@example.com", "customer-a@example.com", "customer-b@example.com", "manager@example.com"]
    assert "new-site-1.cn" in sent["customer-b@example.com"].body and "7" in sent["customer-b@example.com"].body
    assert change.subject.name in sent["customer-a@example.com"].body
    assert f"/transfers/{late.pk}/" in sent["customer-b@example.com"].body
    assert "new-site-1.cn" in sent["manager@example.com"].body and change.subject.name in sent["manager@example.com"].body
    assert DeadlineNotice.objects.filter(transfer=late).count() == 3  # provider/staff, W05/staff, W05/customer
    assert DeadlineNotice.objects.filter(filing=change, deadline_kind="website").count() == 2
    first = len(mail.outbox)
    assert first == 4 and summary.total == 5
    with django_capture_on_commit_callbacks(execute=True):
        again = run_deadline_monitor(now + datetime.timedelta(hours=2))
    assert len(mail.outbox) == first and again.total == 0 and again.emails == []


def test_w05_near_change_tells_the_customer_only_while_returned(customer, manager, django_capture_on_commit_callbacks):
    now = at(2025, 3, 14, 10)
    w05_change(customer, end_of(datetime.date(2025, 3, 17)), state="verified")
    with django_capture_on_commit_callbacks(execute=True):
        summary = run_deadline_monitor(now)
    assert dict(summary.notices) == {("near", "staff"): 1}
    w05_change(customer, end_of(datetime.date(2025, 3, 17)), state="returned")
    with django_capture_on_commit_callbacks(execute=True):
        summary = run_deadline_monitor(now)
    assert dict(summary.notices) == {("near", "staff"): 1, ("near", "customer"): 1}


def test_f04_monitor_query_count_does_not_grow_with_filings_and_transfers(customer, staff, django_capture_on_commit_callbacks):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    from wagtail_beian.models import AccessTransfer

    now = at(2025, 3, 14, 10)

    def count(n):
        DeadlineNotice.objects.all().delete()
        for i in range(n):
            w05_change(customer, end_of(datetime.date(2025, 3, 13)))
            make_transfer(customer, created=at(2025, 3, 3, 9), n=AccessTransfer.objects.count() + 1)
        run_deadline_monitor(now, dry_run=True)  # warm the holiday-override cache
        DeadlineNotice.objects.all().delete()
        with CaptureQueriesContext(conn) as queries, django_capture_on_commit_callbacks(execute=False):
            summary = run_deadline_monitor(now)
        assert summary.total >= 2 * n
        return len(queries)

    small = count(3)
    assert count(12) == small  # 15 filings and transfers vs 3: same number of queries


def test_w05_command_dry_run_at_a_moment_lists_transfers_and_refuses_to_send_early(customer, staff, capsys):
    from django.core.management.base import CommandError

    late = make_transfer(customer, created=at(2025, 3, 3, 9), n=7)
    call_command("beian_deadlines", "--dry-run", "--at", "2025-03-14T10:00")
    out = capsys.readouterr().out
    assert f"(filings/transfers {late.pk})" in out and "would send 3 e-mails" in out
    assert not DeadlineNotice.objects.exists() and not OutgoingEmail.objects.exists()
    with pytest.raises(CommandError):
        call_command("beian_deadlines", "--at", "2025-03-14")
    with pytest.raises(CommandError):
        call_command("beian_deadlines", "--dry-run", "--at", "14/03/2025")
