"""F08 reports: empty-shell subjects and websites, access outside the provider's networks."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests import factories
from wagtail_beian.models import Access, Filing, FilingState
from wagtail_beian.services.workflow import perform_transition

pytestmark = pytest.mark.django_db


def approved(customer, clerk, manager, n, **kwargs):
    filing = factories.FilingFactory(owner=customer, **kwargs)
    for step, user, kw in [("submit", customer, {}), ("verify", clerk, {}), ("submit_to_bureau", manager, {}),
                           ("confirm_sms", manager, {}), ("approve", manager, {"subject_number": f"京ICP备20240009{n:02d}号"})]:
        filing = perform_transition(filing, step, user, **kw)
    return filing


def test_f08_subject_whose_websites_are_all_cancelled_is_an_empty_shell(client, customer, clerk, manager):
    shell = approved(customer, clerk, manager, 1)
    healthy = approved(customer, clerk, manager, 2)
    website = shell.websites.get()
    perform_transition(website, "request_cancellation", customer, note="不再经营该网站")
    perform_transition(website, "confirm_cancellation", manager, note="不再经营该网站")
    client.force_login(clerk)
    page = client.get(reverse("wagtail_beian_reports:shell_subjects")).content.decode()
    assert shell.subject.name in page and healthy.subject.name not in page


def test_f08_website_without_access_is_an_empty_shell_and_exports(client, customer, clerk, manager):
    shell = approved(customer, clerk, manager, 3)
    approved(customer, clerk, manager, 4)
    Access.objects.filter(website__filing=shell).delete()
    client.force_login(clerk)
    url = reverse("wagtail_beian_reports:shell_websites")
    page = client.get(url).content.decode()
    assert shell.websites.get().domain in page
    assert page.count("/inspect/") == 1
    csv = client.get(url, {"export": "csv"})
    assert csv.status_code == 200 and shell.websites.get().domain in b"".join(csv.streaming_content).decode()


@override_settings(WAGTAIL_BEIAN_PROVIDER_IP_RANGES=["101.200.0.0/16", "2400:3200::/32"])
def test_f08_access_outside_the_providers_networks(client, customer, clerk, manager):
    inside = approved(customer, clerk, manager, 5)
    outside = approved(customer, clerk, manager, 6)
    Access.objects.filter(website__filing=outside).update(ip_addresses="101.200.0.9\n47.92.1.1")
    client.force_login(clerk)
    page = client.get(reverse("wagtail_beian_reports:off_network")).content.decode()
    assert "47.92.1.1" in page and outside.websites.get().domain in page
    assert inside.websites.get().domain not in page


def test_reports_need_the_view_filing_permission(client, customer):
    client.force_login(factories.StaffFactory(username="no-perms"))
    assert client.get(reverse("wagtail_beian_reports:shell_subjects")).status_code != 200
    client.force_login(customer)
    assert client.get(reverse("wagtail_beian_reports:shell_websites")).status_code != 200
    assert Filing.objects.filter(state=FilingState.APPROVED).count() == 0
