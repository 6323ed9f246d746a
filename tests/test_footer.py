"""The footer of a hosted Wagtail site: ICP number linked to MIIT, public-security number to MPS."""

import logging

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.test import RequestFactory
from wagtail.models import Page, Site

from tests import factories
from wagtail_beian.models import SiteFilingNumbers
from wagtail_beian.services.workflow import perform_transition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def site_for(hostname):
    root = Page.get_first_root_node().get_children().first()
    return Site.objects.create(hostname=hostname, port=80, root_page=root)


def render(site):
    request = RequestFactory().get("/", HTTP_HOST=f"{site.hostname}")
    return Template("{% load beian_tags %}{% beian_footer %}").render(Context({"request": request})).strip()


def approve(filing, customer, clerk, manager, number="京ICP备2024000777号"):
    for step, user, kw in [("submit", customer, {}), ("verify", clerk, {}), ("submit_to_bureau", manager, {}),
                           ("confirm_sms", manager, {}), ("approve", manager, {"subject_number": number})]:
        filing = perform_transition(filing, step, user, **kw)
    return filing


def test_footer_shows_the_approved_number_for_the_sites_domain(customer, clerk, manager):
    filing = approve(factories.FilingFactory(owner=customer, websites__domain="xn--fsqu00a.xn--fiqs8s"), customer, clerk, manager)
    html = render(site_for("www.xn--fsqu00a.xn--fiqs8s"))  # browsers send the punycode host
    assert '<a href="https://beian.miit.gov.cn/"' in html and "京ICP备2024000777号-1" in html
    assert 'rel="noopener noreferrer"' in html
    assert filing.websites.get().filing_number == "京ICP备2024000777号-1"


def test_footer_public_security_number_links_to_its_record(customer, clerk, manager):
    approve(factories.FilingFactory(owner=customer, websites__domain="example.cn"), customer, clerk, manager)
    site = site_for("example.cn")
    numbers = SiteFilingNumbers.for_site(site)
    numbers.public_security_number = "京公网安备11010802020088号"
    numbers.full_clean()
    numbers.save()
    html = render(site)
    assert "京公网安备 11010802020088号" in html
    assert "https://beian.mps.gov.cn/#/query/webSearch?code=11010802020088" in html


def test_footer_per_site_number_wins(customer):
    site = site_for("hosted.example.net")
    numbers = SiteFilingNumbers.for_site(site)
    numbers.icp_number = "粤ICP备2021012345号-4"
    numbers.full_clean()
    numbers.save()
    assert "粤ICP备2021012345号-4" in render(site)


def test_footer_setting_refuses_a_malformed_number(customer):
    from django.core.exceptions import ValidationError

    numbers = SiteFilingNumbers.for_site(site_for("x.example.net"))
    numbers.icp_number = "备案号12345"
    with pytest.raises(ValidationError):
        numbers.full_clean()


def test_footer_renders_nothing_and_warns_without_an_approved_number(customer, caplog):
    factories.FilingFactory(owner=customer, websites__domain="draft-only.cn")  # a draft is not a number
    with caplog.at_level(logging.WARNING, logger="wagtail_beian.services.footer"):
        assert render(site_for("draft-only.cn")) == ""
    assert "no approved ICP filing number" in caplog.text


def test_footer_is_cached_and_invalidated_when_a_filing_changes(customer, clerk, manager, django_assert_max_num_queries):
    filing = approve(factories.FilingFactory(owner=customer, websites__domain="cached.cn"), customer, clerk, manager)
    site = site_for("cached.cn")
    assert "京ICP备2024000777号-1" in render(site)
    with django_assert_max_num_queries(1):  # at most the site lookup; the numbers come from the cache
        assert "京ICP备2024000777号-1" in render(site)
    website = filing.websites.get()
    perform_transition(website, "request_cancellation", customer, note="不再经营该网站")
    perform_transition(website, "confirm_cancellation", manager, note="不再经营该网站")
    assert render(site) == ""  # the cancelled website's number disappears at once


def test_sandbox_home_page_shows_the_footer(client, customer, clerk, manager):
    from django.core.management import call_command

    call_command("beian_demo", admin_password="x-pass-123", stdout=__import__("io").StringIO())
    site = Site.objects.get(is_default_site=True)
    numbers = SiteFilingNumbers.for_site(site)
    numbers.icp_number = "京ICP备2024000100号-1"
    numbers.save()
    page = client.get("/", HTTP_HOST=site.hostname)
    assert page.status_code == 200 and "京ICP备2024000100号-1" in page.content.decode()
