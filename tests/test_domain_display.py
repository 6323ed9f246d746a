"""Internationalised domains are stored in punycode (W01) but shown to people in Unicode.

Pages and e-mails show ``例子.中国``, never ``xn--fsqu00a.xn--fiqs8s``; exports keep the stored
(canonical) value so a sheet round-trips.
"""

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests import factories
from tests.claim_factories import approved_filing, make_claim
from tests.transfer_factories import moving_transfer
from wagtail_beian.models import Access, OutgoingEmail, Website
from wagtail_beian.services.workflow import perform_transition

pytestmark = pytest.mark.django_db

UNICODE = "例子.中国"
PUNYCODE = "xn--fsqu00a.xn--fiqs8s"


def text(response):
    assert response.status_code == 200
    return response.content.decode()


def shows_unicode(page):
    return UNICODE in page and PUNYCODE not in page


@pytest.fixture
def idn_filing(customer):
    return approved_filing(customer, 31, websites__domain=PUNYCODE)  # stored canonical (W01)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(PUNYCODE, UNICODE), ("www." + PUNYCODE, "www." + UNICODE), ("example.com", "example.com"),
     ("xn--zz.com", "xn--zz.com"), (None, ""), ("", "")],
)
def test_w01_unicode_domain_filter(value, shown):
    template = Template("{% load beian_tags %}[{{ value|unicode_domain }}]")
    assert template.render(Context({"value": value})) == f"[{shown}]"


def test_w01_portal_filing_list_and_detail_show_the_unicode_domain(client, customer, idn_filing):
    client.force_login(customer)
    assert shows_unicode(text(client.get(reverse("wagtail_beian_portal:filing_list"))))
    assert shows_unicode(text(client.get(reverse("wagtail_beian_portal:filing_detail", args=[idn_filing.pk]))))


def test_w01_admin_filing_listing_and_detail_show_the_unicode_domain(client, clerk, idn_filing):
    client.force_login(clerk)
    assert shows_unicode(text(client.get(reverse("wagtail_beian_filings:index"))))
    assert shows_unicode(text(client.get(reverse("wagtail_beian_filings:inspect", args=[idn_filing.pk]))))


def test_w01_website_str_is_unicode(idn_filing):
    assert str(idn_filing.websites.get()).endswith(f"({UNICODE})")


def test_w01_transfer_pages_show_the_unicode_domain(client, customer, clerk):
    transfer = moving_transfer(customer, domain=UNICODE)
    assert transfer.target_domain == PUNYCODE
    client.force_login(customer)
    assert shows_unicode(text(client.get(reverse("wagtail_beian_portal:transfer_list"))))
    assert shows_unicode(text(client.get(reverse("wagtail_beian_portal:transfer_detail", args=[transfer.pk]))))
    client.force_login(clerk)
    assert shows_unicode(text(client.get(reverse("wagtail_beian_transfers:index"))))
    assert shows_unicode(text(client.get(reverse("wagtail_beian_transfers:inspect", args=[transfer.pk]))))
    receipt = OutgoingEmail.objects.get(template="transfer_transition", to=customer.email)
    for part in (receipt.subject, receipt.text, receipt.html):
        assert shows_unicode(part)


def test_w01_claim_pages_show_the_unicode_domain(client, customer, manager, idn_filing):
    claimant = factories.UserFactory(username="claimant", email="claimant@example.com")
    claim = make_claim(claimant, idn_filing)
    assert claim.domain == PUNYCODE
    client.force_login(claimant)
    assert shows_unicode(text(client.get(reverse("wagtail_beian_portal:claim_list"))))
    assert shows_unicode(text(client.get(reverse("wagtail_beian_portal:claim_detail", args=[claim.pk]))))
    client.force_login(manager)
    assert shows_unicode(text(client.get(reverse("wagtail_beian_claims:index"))))
    assert shows_unicode(text(client.get(reverse("wagtail_beian_claims:inspect", args=[claim.pk]))))


def test_w01_transition_email_shows_the_unicode_domain(customer, idn_filing):
    website = Website.objects.get(filing=idn_filing)
    perform_transition(website, "request_cancellation", customer, note="不再经营该网站")
    mail = OutgoingEmail.objects.get(template="transition", to=customer.email)
    assert shows_unicode(mail.text) and shows_unicode(mail.html)


def test_w01_report_shows_unicode_but_export_keeps_the_stored_domain(client, clerk, idn_filing):
    Access.objects.filter(website__filing=idn_filing).delete()
    client.force_login(clerk)
    url = reverse("wagtail_beian_reports:shell_websites")
    assert shows_unicode(text(client.get(url)))
    export = client.get(url, {"export": "csv"})
    sheet = b"".join(export.streaming_content).decode()
    assert PUNYCODE in sheet and UNICODE not in sheet
