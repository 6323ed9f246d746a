"""Dashboard panels on the Wagtail home page: filings by state, deadlines (F04), the calendar warning."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from tests import factories
from wagtail_beian.admin import dashboard
from wagtail_beian.models import DeadlineKind, Filing, FilingKind, FilingState, HolidayOverride
from wagtail_beian.rules import workdays
from wagtail_beian.services.changes import start_change
from wagtail_beian.services.workflow import perform_transition

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::wagtail_beian.rules.workdays.WorkdayFallbackWarning"),
]

HOME = reverse("wagtailadmin_home")
S = FilingState


def end_of_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def submitted(customer):
    filing = factories.FilingFactory(owner=customer)
    return perform_transition(filing, "submit", customer)


def in_sms_check(customer, clerk, manager):
    filing = perform_transition(submitted(customer), "verify", clerk)
    return perform_transition(filing, "submit_to_bureau", manager)


def set_deadline(filing, at, kind=None):
    Filing.objects.filter(pk=filing.pk).update(deadline_at=at, **({"deadline_kind": kind} if kind else {}))
    return Filing.objects.get(pk=filing.pk)


def home(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def section(html, panel_id):
    """The HTML of one dashboard panel (Wagtail's panel is a <section id="<id>-section">)."""
    match = re.search(rf'<section[^>]*id="{panel_id}-section".*?</section>', html, re.DOTALL)
    return match.group(0) if match else ""


def state_row(html, state):
    """[new, change, total] cell texts of a state's row in the counts panel."""
    row = re.search(rf'<tr data-state="{state}">(.*?)</tr>', section(html, "beian-filing-counts"), re.DOTALL).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.DOTALL)]


def deadline_table(html, key):
    match = re.search(rf'<table[^>]*aria-labelledby="beian-deadlines-{key}".*?</table>', html, re.DOTALL)
    return match.group(0) if match else ""


# --------------------------------------------------------------------------- counts


def test_counts_by_state_and_kind(client, customer, clerk, manager):
    factories.FilingFactory(owner=customer)
    factories.FilingFactory(owner=customer)
    submitted(customer)
    approved = in_sms_check(customer, clerk, manager)
    approved = perform_transition(approved, "confirm_sms", manager)
    approved = perform_transition(approved, "approve", manager, subject_number="京ICP备2024000001号")
    start_change(approved, customer)

    html = home(client, manager)
    assert state_row(html, S.DRAFT) == ["2", "1", "3"]
    assert state_row(html, S.SUBMITTED) == ["1", "0", "1"]
    assert state_row(html, S.APPROVED) == ["1", "0", "1"]
    assert state_row(html, S.CANCELLED) == ["0", "0", "0"]
    counts = section(html, "beian-filing-counts")
    # both kinds are labelled, every state is listed by its label
    assert escape(str(FilingKind.NEW.label)) in counts and escape(str(FilingKind.CHANGE.label)) in counts
    for state in FilingState:
        assert f">{escape(str(state.label))}</th>" in counts
    assert '<th scope="col">' in counts and '<th scope="row">' in counts


def test_counts_link_to_the_filing_listing_filtered_by_state(client, customer, manager):
    filing = submitted(customer)
    html = home(client, manager)
    index = reverse("wagtail_beian_filings:index")
    counts = section(html, "beian-filing-counts")
    assert f'href="{index}?state=submitted&amp;kind=new"' in counts
    assert f'href="{index}?state=submitted"' in counts
    assert f'href="{index}?state=draft' not in counts  # zero: no link

    listing = client.get(f"{index}?state=submitted")
    assert listing.status_code == 200
    assert filing.subject.name in listing.content.decode()


def test_counts_render_without_links_when_the_filing_listing_is_missing(client, customer, manager, monkeypatch):
    monkeypatch.setattr(dashboard, "FILING_INDEX_URL_NAME", "wagtail_beian_filings:no_such_view")
    submitted(customer)
    html = home(client, manager)
    assert state_row(html, S.SUBMITTED) == ["1", "0", "1"]
    assert "href" not in section(html, "beian-filing-counts").split("<table", 1)[1]


# ------------------------------------------------------------------------ deadlines


def test_f04_overdue_filing_appears_with_working_days_overdue(client, customer, manager):
    filing = submitted(customer)
    assert filing.deadline_kind == DeadlineKind.PROVIDER
    due = timezone.localdate() - datetime.timedelta(days=10)
    set_deadline(filing, end_of_day(due))
    factories.FilingFactory(owner=customer)  # a draft without deadline: not listed

    html = home(client, manager)
    overdue = deadline_table(html, "overdue")
    assert filing.subject.name in overdue
    assert escape(str(DeadlineKind.PROVIDER.label)) in overdue and escape(str(S.SUBMITTED.label)) in overdue
    days = -workdays.workdays_between(timezone.localdate(), due)
    assert days > 0
    assert dashboard.time_left_text(Filing.objects.get(pk=filing.pk), timezone.now(), timezone.localdate()) in overdue
    assert f'href="{reverse("wagtail_beian_filings:inspect", args=[filing.pk])}"' in overdue
    assert deadline_table(html, "due-soon") == ""


def test_f04_due_soon_means_two_working_days_or_six_hours_for_the_sms_check(customer, clerk, manager):
    today = timezone.localdate()
    in_two = set_deadline(submitted(customer), end_of_day(workdays.add_workdays(today, 2)))
    in_three = set_deadline(submitted(customer), end_of_day(workdays.add_workdays(today, 3)))
    now = timezone.now()
    sms_soon = set_deadline(in_sms_check(customer, clerk, manager), now + datetime.timedelta(hours=5, minutes=30))
    sms_later = set_deadline(in_sms_check(customer, clerk, manager), now + datetime.timedelta(hours=7))
    assert sms_soon.deadline_kind == DeadlineKind.SMS

    overview = dashboard.FilingOverview(manager, now=now)
    listed = {row.filing.pk: row for row in overview.due_soon}
    assert set(listed) == {in_two.pk, sms_soon.pk}
    assert overview.due_soon_total == 2 and overview.overdue_total == 0
    assert listed[sms_soon.pk].time_left == ngettext("%(n)s hour left", "%(n)s hours left", 5) % {"n": 5}
    assert listed[in_two.pk].time_left == ngettext("%(n)s working day left", "%(n)s working days left", 2) % {"n": 2}
    assert in_three.pk not in listed and sms_later.pk not in listed


def test_f04_sms_check_past_its_24_hours_is_overdue_in_hours(customer, clerk, manager):
    filing = in_sms_check(customer, clerk, manager)
    now = timezone.now()
    set_deadline(filing, now - datetime.timedelta(hours=3, minutes=10))
    overview = dashboard.FilingOverview(manager, now=now)
    [row] = overview.overdue
    assert row.filing.pk == filing.pk and row.overdue
    assert row.time_left == ngettext("Overdue by %(n)s hour", "Overdue by %(n)s hours", 3) % {"n": 3}
    assert row.deadline_kind == str(DeadlineKind.SMS.label)


def test_f04_at_most_ten_rows_each_with_the_total(client, customer, manager):
    past = timezone.now() - datetime.timedelta(days=20)
    for i in range(12):
        filing = factories.FilingFactory(owner=customer, documents=False)
        Filing.objects.filter(pk=filing.pk).update(
            state=S.SUBMITTED, deadline_kind=DeadlineKind.PROVIDER, deadline_at=past + datetime.timedelta(hours=i),
        )
    html = home(client, manager)
    assert deadline_table(html, "overdue").count("<tr data-filing=") == dashboard.MAX_ROWS == 10
    assert "12" in section(html, "beian-deadlines")
    overview = dashboard.FilingOverview(manager)
    assert overview.overdue_total == 12
    assert [row.due_at for row in overview.overdue] == sorted(row.due_at for row in overview.overdue)


def test_finished_filings_are_never_listed_as_overdue(customer, manager):
    filing = factories.FilingFactory(owner=customer, documents=False)
    Filing.objects.filter(pk=filing.pk).update(
        state=S.WITHDRAWN, deadline_kind=DeadlineKind.BUREAU, deadline_at=timezone.now() - datetime.timedelta(days=3),
    )
    assert dashboard.FilingOverview(manager).overdue_total == 0


def test_time_left_texts():
    now = timezone.now()
    today = timezone.localdate(now)
    sms = Filing(deadline_kind=DeadlineKind.SMS, deadline_at=now + datetime.timedelta(minutes=20))
    assert dashboard.time_left_text(sms, now, today) == gettext("Less than 1 hour left")
    bureau = Filing(deadline_kind=DeadlineKind.BUREAU, deadline_at=end_of_day(today))
    assert dashboard.time_left_text(bureau, now, today) == gettext("Due today")


def test_user_data_is_escaped(client, customer, manager):
    filing = submitted(customer)
    filing.subject.name = '<script>alert("x")</script>有限公司'
    filing.subject.save(update_fields=["name"])
    set_deadline(filing, timezone.now() - datetime.timedelta(days=8))
    html = home(client, manager)
    assert '<script>alert("x")</script>' not in html
    assert escape('<script>alert("x")</script>有限公司') in deadline_table(html, "overdue")


# --------------------------------------------------------------- calendar warning (F04)


def test_f04_calendar_warning_when_a_deadline_falls_in_a_year_without_holiday_data(client, customer, clerk, manager):
    today = timezone.localdate()
    year = max(workdays.library_years()[-1] + 1, today.year + 1)
    set_deadline(submitted(customer), end_of_day(datetime.date(year, 1, 15)), DeadlineKind.BUREAU)

    html = home(client, manager)
    warning = section(html, "beian-calendar-warning")
    assert str(year) in warning and 'class="help-block help-warning"' in warning
    assert f'href="{reverse("wagtail_beian_holiday_overrides:index")}"' in warning
    assert f'href="{reverse("wagtail_beian_holiday_overrides:index")}"' in section(home(client, clerk), "beian-calendar-warning")

    for uncovered in workdays.uncovered_years(today, datetime.date(year, 1, 15)):
        HolidayOverride.objects.create(date=datetime.date(uncovered, 1, 1), is_workday=False, note="元旦")
    assert section(home(client, manager), "beian-calendar-warning") == ""


# ----------------------------------------------------------------------- who sees what


def test_panels_are_not_shown_to_staff_without_view_filing(client, customer, rf):
    submitted(customer)
    staff = factories.StaffFactory()
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    html = home(client, staff)
    assert "beian-filing-counts" not in html and "beian-deadlines" not in html
    request = rf.get(HOME)
    request.user = staff
    assert dashboard.dashboard_panels(request) == []


def test_clerk_and_manager_see_the_panels(client, clerk, manager):
    for user in (clerk, manager):
        html = home(client, user)
        assert section(html, "beian-filing-counts") and section(html, "beian-deadlines")
        assert "<h2" in section(html, "beian-deadlines") and "<h3" in section(html, "beian-deadlines")


def test_panel_factories_are_the_extension_point(manager, monkeypatch):
    """A later feature (staff tickets) adds its panels by appending a factory."""
    from wagtail.admin.ui.components import Component

    class TicketsPanel(Component):
        order = 120

        def render_html(self, parent_context=None):
            return "tickets"

    monkeypatch.setattr(dashboard, "PANEL_FACTORIES", [*dashboard.PANEL_FACTORIES, lambda request: [TicketsPanel()]])
    request = RequestFactory().get(HOME)
    request.user = manager
    panels = dashboard.dashboard_panels(request)
    assert [type(p).__name__ for p in panels] == ["DeadlinesPanel", "FilingCountsPanel", "TicketsPanel"]


# ---------------------------------------------------------------------- query count


def make_filings(customer, n):
    """n filings spread over states, kinds of deadline, overdue and due soon."""
    now = timezone.now()
    states = [
        (S.DRAFT, "", None),
        (S.SUBMITTED, DeadlineKind.PROVIDER, now - datetime.timedelta(days=9)),
        (S.SUBMITTED, DeadlineKind.PROVIDER, end_of_day(workdays.add_workdays(timezone.localdate(), 1))),
        (S.SMS_CHECK, DeadlineKind.SMS, now + datetime.timedelta(hours=2)),
        (S.BUREAU_REVIEW, DeadlineKind.BUREAU, now - datetime.timedelta(days=2)),
    ]
    for i in range(n):
        filing = factories.FilingFactory(owner=customer, documents=False)
        state, kind, at = states[i % len(states)]
        Filing.objects.filter(pk=filing.pk).update(state=state, deadline_kind=kind, deadline_at=at)


def count_home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_filings(client, customer, manager):
    client.force_login(manager)
    make_filings(customer, 5)
    client.get(HOME)  # warm-up: session, content types, holiday table cache
    small = count_home_queries(client)
    make_filings(customer, 45)
    large = count_home_queries(client)
    overview = dashboard.FilingOverview(manager)
    assert overview.overdue_total == 20 and len(overview.overdue) == 10
    assert overview.due_soon_total == 20 and len(overview.due_soon) == 10
    print(f"admin home queries: {small} with 5 filings, {large} with 50")
    assert small == large, (small, large)

    with CaptureQueriesContext(connection) as queries:
        dashboard.FilingOverview(manager)
    assert len(queries) <= 5  # counts, deadline totals, overdue rows, due-soon rows, open transfers


# ---------------------------------------------------- W05 and access transfers (F04, W05)


def w05_change(customer, due, state=S.SUBMITTED, deadline=None, deadline_kind=""):
    """A change adding a website whose W05 deadline is ``due`` (and, optionally, a current deadline)."""
    approved = factories.FilingFactory(owner=customer, documents=False)
    Filing.objects.filter(pk=approved.pk).update(state=S.APPROVED, subject_number=f"京ICP备{2024000300 + approved.pk}号")
    change = factories.FilingFactory(owner=customer, kind=FilingKind.CHANGE, amends=approved, documents=False)
    Filing.objects.filter(pk=change.pk).update(
        state=state, website_addition_started_at=due - datetime.timedelta(days=9), website_addition_due_at=due,
        deadline_at=deadline, deadline_kind=deadline_kind,
    )
    return Filing.objects.get(pk=change.pk)


def make_transfer(owner, created, direction="incoming_new_website", state="requested", submitted=None, n=0):
    from wagtail_beian.models import AccessTransfer

    transfer = AccessTransfer.objects.create(
        owner=owner, direction=direction, filing_number="京ICP备17042306号", organizer_name=f"北京转入科技有限公司{n}",
        domain="" if direction == "incoming_new_website" else f"moved-{n}.cn",
        new_domain=f"new-site-{n}.cn" if direction == "incoming_new_website" else "",
    )
    AccessTransfer.objects.filter(pk=transfer.pk).update(state=state, created_at=created, submitted_at=submitted)
    return AccessTransfer.objects.get(pk=transfer.pk)


def keys(rows):
    return [("filing" if row.transfer is None else "transfer", (row.transfer or row.filing).pk, row.deadline_code)
            for row in rows]


SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
FRIDAY = datetime.datetime(2025, 3, 14, 10, tzinfo=SHANGHAI)  # working days counted from Friday 14 March 2025


def day_end(*args):
    return datetime.datetime.combine(datetime.date(*args), datetime.time(23, 59, 59), tzinfo=SHANGHAI)


def test_w05_change_adding_a_website_is_listed_beside_its_current_deadline(customer, manager):
    # W05 overdue (due Thursday) while the provider deadline is due Monday (1 working day): two rows
    both = w05_change(customer, day_end(2025, 3, 13), deadline=day_end(2025, 3, 17), deadline_kind=DeadlineKind.PROVIDER)
    # returned to the customer: no current deadline, the W05 clock still runs (due Tuesday, 2 working days)
    returned = w05_change(customer, day_end(2025, 3, 18), state=S.RETURNED)
    # met (submitted to the bureau) or withdrawn: no W05 row
    met = w05_change(customer, day_end(2025, 3, 13), state=S.SMS_CHECK)
    Filing.objects.filter(pk=met.pk).update(sms_sent_at=FRIDAY - datetime.timedelta(days=1))
    w05_change(customer, day_end(2025, 3, 13), state=S.WITHDRAWN)
    w05_change(customer, day_end(2025, 3, 19), state=S.VERIFIED)  # 3 working days: not yet due soon

    overview = dashboard.FilingOverview(manager, now=FRIDAY)
    assert keys(overview.overdue) == [("filing", both.pk, "website")]
    assert keys(overview.due_soon) == [("filing", both.pk, "provider"), ("filing", returned.pk, "website")]
    assert (overview.overdue_total, overview.due_soon_total) == (1, 2)
    [w05] = overview.overdue
    assert w05.deadline_kind == str(DeadlineKind.WEBSITE_ADDITION.label) and w05.kind == str(FilingKind.CHANGE.label)
    assert w05.time_left == ngettext("Overdue by %(n)s working day", "Overdue by %(n)s working days", 1) % {"n": 1}
    assert overview.due_soon[1].time_left == ngettext(
        "%(n)s working day left", "%(n)s working days left", 2) % {"n": 2}
    assert w05.url == reverse("wagtail_beian_filings:inspect", args=[both.pk])


def test_w05_change_on_the_admin_home_page(client, customer, manager):
    today = timezone.localdate()
    change = w05_change(customer, end_of_day(today - datetime.timedelta(days=10)), state=S.RETURNED)
    overdue = deadline_table(home(client, manager), "overdue")
    assert f'data-filing="{change.pk}" data-deadline="website"' in overdue
    assert escape(str(DeadlineKind.WEBSITE_ADDITION.label)) in overdue and escape(str(S.RETURNED.label)) in overdue


def test_f04_access_transfers_near_or_past_their_deadlines(customer, manager):
    # requested Monday 3 March: provider (5 wd, due 10 March) and W05 (7 wd, due 12 March) both overdue
    late = make_transfer(customer, datetime.datetime(2025, 3, 3, 9, tzinfo=SHANGHAI), n=1)
    # an existing website moving here, requested Friday 7 March: provider due Friday 14 March (today)
    moving = make_transfer(customer, datetime.datetime(2025, 3, 7, 9, tzinfo=SHANGHAI),
                           direction="incoming_existing_website", n=2)
    # at the bureau since 14 February: 20 working days end Friday 14 March... submitted 17 Feb ends 17 March
    bureau = make_transfer(customer, datetime.datetime(2025, 2, 1, 9, tzinfo=SHANGHAI), state="submitted_to_bureau",
                           submitted=datetime.datetime(2025, 2, 17, 9, tzinfo=SHANGHAI), n=3)
    make_transfer(customer, datetime.datetime(2025, 3, 13, 9, tzinfo=SHANGHAI), n=4)  # fresh: nothing due soon
    make_transfer(customer, datetime.datetime(2025, 1, 2, 9, tzinfo=SHANGHAI), state="completed", n=5)
    make_transfer(customer, datetime.datetime(2025, 1, 2, 9, tzinfo=SHANGHAI), state="refused", n=6)

    overview = dashboard.FilingOverview(manager, now=FRIDAY)
    assert keys(overview.overdue) == [("transfer", late.pk, "provider"), ("transfer", late.pk, "website")]
    assert keys(overview.due_soon) == [("transfer", moving.pk, "provider"), ("transfer", bureau.pk, "bureau")]
    assert (overview.overdue_total, overview.due_soon_total) == (2, 2)
    provider, w05 = overview.overdue
    # the same deadlines as the deadline monitor's (deadlines.transfer_deadlines)
    from wagtail_beian.services.deadlines import transfer_deadlines

    assert [(r.deadline_code, r.due_at) for r in overview.overdue] == [(k, d) for k, d in transfer_deadlines(late)]
    assert provider.time_left == ngettext("Overdue by %(n)s working day", "Overdue by %(n)s working days", 4) % {"n": 4}
    assert w05.time_left == ngettext("Overdue by %(n)s working day", "Overdue by %(n)s working days", 2) % {"n": 2}
    assert provider.url == reverse("wagtail_beian_transfers:inspect", args=[late.pk]) and "new-site-1.cn" in provider.organizer
    assert overview.due_soon[0].time_left == gettext("Due today")


def test_f04_filing_and_transfer_deadlines_are_merged_earliest_first(customer, manager):
    transfer = make_transfer(customer, datetime.datetime(2025, 3, 3, 9, tzinfo=SHANGHAI))  # due 10 and 12 March
    early = set_deadline(submitted(customer), day_end(2025, 3, 7), DeadlineKind.PROVIDER)
    w05 = w05_change(customer, day_end(2025, 3, 11), state=S.RETURNED)
    late = set_deadline(submitted(customer), day_end(2025, 3, 13), DeadlineKind.PROVIDER)
    overview = dashboard.FilingOverview(manager, now=FRIDAY)
    assert keys(overview.overdue) == [
        ("filing", early.pk, "provider"), ("transfer", transfer.pk, "provider"), ("filing", w05.pk, "website"),
        ("transfer", transfer.pk, "website"), ("filing", late.pk, "provider"),
    ]


def test_f04_at_most_ten_rows_of_filings_w05_and_transfers_with_the_total(client, customer, manager):
    for i in range(5):
        w05_change(customer, day_end(2025, 2, 11 + i), state=S.RETURNED)
    for i in range(5):
        make_transfer(customer, datetime.datetime(2025, 2, 3 + i, 9, tzinfo=SHANGHAI), n=i)  # 2 deadlines each
    overview = dashboard.FilingOverview(manager, now=FRIDAY)
    assert overview.overdue_total == 15 and len(overview.overdue) == dashboard.MAX_ROWS
    assert [row.due_at for row in overview.overdue] == sorted(row.due_at for row in overview.overdue)
    assert {row.transfer is None for row in overview.overdue} == {True, False}


def test_f04_transfer_deadlines_only_for_staff_who_see_transfers(client, customer, manager):
    from django.contrib.auth.models import Permission

    make_transfer(customer, timezone.now() - datetime.timedelta(days=30))
    viewer = factories.StaffFactory()
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", "view_filing"]))
    assert dashboard.FilingOverview(viewer).overdue_total == 0
    html = home(client, viewer)
    assert section(html, "beian-deadlines") and "data-transfer=" not in html
    overview = dashboard.FilingOverview(manager)
    assert overview.overdue_total == 2
    assert "data-transfer=" in deadline_table(home(client, manager), "overdue")


def test_f04_w05_dashboard_query_count_does_not_grow_with_changes_and_transfers(client, customer, manager):
    client.force_login(manager)
    now = timezone.now()

    def add(n):
        make_filings(customer, n)
        for i in range(n):
            w05_change(customer, now - datetime.timedelta(days=3 + i % 3), state=S.RETURNED)
            make_transfer(customer, now - datetime.timedelta(days=20 + i), n=AccessTransfer.objects.count() + 1)

    from wagtail_beian.models import AccessTransfer

    add(5)
    client.get(HOME)  # warm-up
    small = count_home_queries(client)
    add(25)
    large = count_home_queries(client)
    dashboard.FilingOverview(manager)  # warm-up: the user's permission cache, as in a request
    with CaptureQueriesContext(connection) as queries:
        overview = dashboard.FilingOverview(manager)
    assert overview.overdue_total >= 30 * 3 and len(overview.overdue) == dashboard.MAX_ROWS
    print(f"admin home queries: {small} with 5 filings/changes/transfers each, {large} with 30")
    assert small == large, (small, large)
    # counts, deadline totals, overdue rows, due-soon rows, open transfers
    assert len(queries) <= 5
