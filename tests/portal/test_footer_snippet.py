"""An approved filing gives the customer its footer code to copy (issue 13): the ICP number linked to
beian.miit.gov.cn, and the public-security number with its link once the customer enters it."""

import html

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import factories
from tests.claim_factories import approved_filing
from wagtail_beian.services.footer import numbers_for

pytestmark = pytest.mark.django_db


def detail(filing):
    return reverse("wagtail_beian_portal:filing_detail", args=[filing.pk])


def psb_url(filing):
    return reverse("wagtail_beian_portal:website_public_security", args=[filing.pk, filing.websites.get().pk])


def snippet(page, filing):
    website = filing.websites.get()
    start = page.index(f'id="footer-html-{website.pk}"')
    return html.unescape(page[page.index(">", start) + 1:page.index("</textarea>", start)])


def test_the_approved_filing_s_page_gives_the_footer_code_to_copy(client, customer):
    filing = approved_filing(customer, 31)
    client.force_login(customer)
    page = client.get(detail(filing)).content.decode()
    code = snippet(page, filing)
    number = filing.websites.get().filing_number
    assert f'<a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener noreferrer">{number}</a>' in code
    # the same markup the {% beian_footer %} tag gives a Wagtail site
    assert code == render_to_string("wagtail_beian/includes/footer.html", {"numbers": numbers_for(number)}).strip()
    assert 'data-copy="footer-html-' in page  # a copy button where the browser can copy


def test_the_public_security_number_is_normalised_logged_and_joins_the_code(client, customer):
    filing = approved_filing(customer, 32)
    client.force_login(customer)
    response = client.post(psb_url(filing), {f"psb{filing.websites.get().pk}-public_security_number": "京公网安备１１０１０８０２０２００８８号"})
    assert response.status_code == 302
    website = filing.websites.get()
    assert website.public_security_number == "京公网安备 11010802020088号"
    code = snippet(client.get(detail(filing)).content.decode(), filing)
    assert "京公网安备 11010802020088号</a>" in code and "beian.mps.gov.cn" in code and "code=11010802020088" in code
    entry = ModelLogEntry.objects.filter(action="wagtail_beian.edit_data").latest("pk")
    assert entry.data["changes"][0]["after"] == "京公网安备 11010802020088号"


def test_a_bad_public_security_number_comes_back_at_its_field_with_what_was_typed(client, customer):
    filing = approved_filing(customer, 33)
    client.force_login(customer)
    field = f"psb{filing.websites.get().pk}-public_security_number"
    response = client.post(psb_url(filing), {field: "京公网安备 123"})
    assert response.status_code == 400 and 'value="京公网安备 123"' in response.content.decode()
    assert response.context["footers"][0]["form"].errors
    assert filing.websites.get().public_security_number == ""


def test_only_the_owner_of_an_approved_filing_sets_it(client, customer, other_customer):
    filing = approved_filing(customer, 34)
    field = f"psb{filing.websites.get().pk}-public_security_number"
    client.force_login(other_customer)
    assert client.post(psb_url(filing), {field: "京公网安备 11010802020088号"}).status_code == 404
    draft = factories.FilingFactory(owner=customer)
    client.force_login(customer)
    draft_url = reverse("wagtail_beian_portal:website_public_security", args=[draft.pk, draft.websites.get().pk])
    client.post(draft_url, {f"psb{draft.websites.get().pk}-public_security_number": "京公网安备 11010802020088号"})
    assert filing.websites.get().public_security_number == "" and draft.websites.get().public_security_number == ""
    assert "footer-html-" not in client.get(detail(draft)).content.decode()  # no footer before approval
