"""The sandbox's demo data (``make run``): a W05 change, the deadline monitor, the F08 reports, the footer."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from wagtail_beian.services.deadlines import find_due
from wagtail_beian.models import DeadlineKind, Filing, FilingState, Website
from wagtail_beian.services.status import deadline_text

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::wagtail_beian.rules.workdays.WorkdayFallbackWarning"),
]


@pytest.fixture
def demo():
    call_command("beian_demo", admin_password="demo-admin-pass-1", stdout=io.StringIO())


def test_w05_demo_has_an_open_change_adding_a_website_shown_to_staff_and_customer(demo, client):
    change = Filing.objects.get(kind="change")
    assert change.state == FilingState.SUBMITTED and change.website_addition_open
    added = change.websites.get(source__isnull=True)
    assert added.domain == "demo-added-site.cn"
    assert change.website_addition_workdays_left() == 7 and change.deadline_kind == DeadlineKind.PROVIDER
    text = deadline_text(change)
    assert "；" in text  # the provider deadline and W05 side by side

    from django.contrib.auth import get_user_model

    manager = get_user_model().objects.get(username="manager")
    client.force_login(manager)
    listing = client.get(reverse("wagtail_beian_filings:index"), {"kind": "change"}).content.decode()
    assert escape(text) in listing
    client.force_login(change.owner)
    portal = client.get(reverse("wagtail_beian_portal:filing_list")).content.decode()
    # the W05 deadline in words and with its date (customers see no rule ids)
    due = timezone.localtime(change.website_addition_due_at).strftime("%Y-%m-%d %H:%M")
    assert f"新增网站提交管局: {due}" in portal and "W05" not in portal


def test_f04_demo_deadline_monitor_dry_run_now_and_after_the_w05_deadline(demo):
    out = io.StringIO()
    call_command("beian_deadlines", "--dry-run", stdout=out)
    assert "dry run" in out.getvalue()
    change = Filing.objects.get(kind="change")
    later = change.website_addition_due_at + datetime.timedelta(days=1)
    due = {(item.obj.pk, item.kind, item.transfer is not None) for item in find_due(later)}
    assert (change.pk, DeadlineKind.WEBSITE_ADDITION, False) in due
    # the demo's W05 access transfer (a new website of a subject filed in Shanghai) too
    assert any(kind == DeadlineKind.WEBSITE_ADDITION and is_transfer for _pk, kind, is_transfer in due)
    out = io.StringIO()
    call_command("beian_deadlines", "--dry-run", "--at", timezone.localtime(later).strftime("%Y-%m-%dT%H:%M"),
                 stdout=out)
    assert "would send" in out.getvalue() and str(change.pk) in out.getvalue()


def test_f08_reports_run_on_demo_data(demo, client):
    from django.contrib.auth import get_user_model

    from wagtail_beian.admin.reports import REPORTS

    client.force_login(get_user_model().objects.get(username="manager"))
    for name, _route, _view in REPORTS:
        url = reverse(f"wagtail_beian_reports:{name}")
        assert client.get(url).status_code == 200, name
        export = client.get(url, {"export": "csv"})
        assert export.status_code == 200, name
        b"".join(export.streaming_content)
    hosted = client.get(reverse("wagtail_beian_reports:hosted_without_access")).content.decode()
    assert "shop.not-filed-here.cn" in hosted


def test_demo_home_page_shows_its_filing_number_in_the_footer(demo, client):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    website = Website.objects.get(filing__state=FilingState.APPROVED, filing__kind="new")
    assert website.filing_number.endswith("-1")
    for host in (site.hostname, "127.0.0.1"):
        page = client.get("/", HTTP_HOST=host)
        footer = page.content.decode().split("<footer", 1)[1]
        assert page.status_code == 200
        assert 'href="https://beian.miit.gov.cn/"' in footer and website.filing_number in footer, host
    # running the demo again keeps a number set by hand
    from wagtail_beian.models import SiteFilingNumbers

    numbers = SiteFilingNumbers.for_site(site)
    numbers.icp_number = "京ICP备2024000100号-1"
    numbers.save()
    call_command("beian_demo", stdout=io.StringIO())
    assert SiteFilingNumbers.for_site(site).icp_number == "京ICP备2024000100号-1"
