"""The verification sheet (网站备案信息真实性核验单) generated as a PDF from the filing (issue 13):
Chinese text in an embedded CJK font, every line the customer would otherwise copy by hand, dated
for D04; only the filing's owner gets it."""

import pytest
import pypdfium2
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, Site

from tests import factories
from wagtail_beian import printouts
from wagtail_beian.models import PortalSettings
from wagtail_beian.rules.domains import domain_to_unicode

pytestmark = pytest.mark.django_db


def sheet_url(filing):
    return reverse("wagtail_beian_portal:filing_verification_sheet", args=[filing.pk])


def pdf_text(content):
    document = pypdfium2.PdfDocument(content)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_the_sheet_is_a_pdf_of_the_filing_in_chinese_with_its_font_embedded(client, customer):
    filing = factories.FilingFactory(owner=customer)
    PortalSettings.objects.update_or_create(site=Site.objects.get(is_default_site=True),
                                            defaults={"provider_name": "示例云计算有限公司"})
    client.force_login(customer)
    response = client.get(sheet_url(filing))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and "filename*=utf-8''" in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"%PDF") and b"/FontFile" in content  # the font travels with the sheet
    text = pdf_text(content)
    subject, website = filing.subject, filing.websites.get()
    for expected in ("网站备案信息真实性核验单", subject.name, subject.certificate_number, subject.mailing_address,
                     subject.responsible_name, website.name, domain_to_unicode(website.domain), "示例云计算有限公司",
                     "核验记录"):
        assert expected in text, expected
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" in text  # D04: the date to sign with
    assert ModelLogEntry.objects.filter(action="wagtail_beian.verification_sheet").count() == 1


def test_only_the_owner_gets_the_sheet(client, customer, other_customer):
    filing = factories.FilingFactory(owner=customer)
    client.force_login(other_customer)
    assert client.get(sheet_url(filing)).status_code == 404
    client.logout()
    assert client.get(sheet_url(filing)).status_code == 302


def test_without_a_chinese_font_the_customer_is_told_and_sent_to_the_templates(client, customer, settings):
    settings.WAGTAIL_BEIAN_PDF_FONT = "/nonexistent/font.ttc"
    filing = factories.FilingFactory(owner=customer)
    client.force_login(customer)
    response = client.get(sheet_url(filing), follow=True)
    assert response.redirect_chain[-1][0].endswith(reverse("wagtail_beian_portal:filing_documents", args=[filing.pk]))
    assert "无法生成" in response.content.decode()


def test_a_long_address_wraps_inside_its_cell_on_more_pages_if_needed(customer):
    filing = factories.FilingFactory(owner=customer)
    subject = filing.subject
    subject.mailing_address = "北京市海淀区中关村大街27号" * 12
    subject.save()
    for n in range(4):
        factories.WebsiteFactory(filing=filing, domain=f"extra-{n}.cn")
    content = printouts.verification_sheet(filing)
    document = pypdfium2.PdfDocument(content)
    try:
        assert len(document) >= 2
    finally:
        document.close()
    assert "extra-3.cn" in pdf_text(content)


def test_a_server_without_a_chinese_font_is_told_by_the_system_checks(settings):
    from wagtail_beian.checks import chinese_font_for_printouts

    assert chinese_font_for_printouts(None) == []  # CI and the sandbox have fonts-noto-cjk
    settings.WAGTAIL_BEIAN_PDF_FONT = "/nonexistent/font.ttc"
    [warning] = chinese_font_for_printouts(None)
    assert warning.id == "wagtail_beian.W001" and "fonts-noto-cjk" in warning.hint


def test_the_security_agreement_carries_the_provider_s_clauses_once_it_has_entered_them(client, customer):
    filing = factories.FilingFactory(owner=customer)
    url = reverse("wagtail_beian_portal:filing_security_agreement", args=[filing.pk])
    client.force_login(customer)
    documents_url = reverse("wagtail_beian_portal:filing_documents", args=[filing.pk])
    assert client.get(url)["Location"] == documents_url  # no clauses entered: the blank template, if any
    PortalSettings.objects.update_or_create(site=Site.objects.get(is_default_site=True), defaults={
        "provider_name": "示例云计算有限公司",
        "security_agreement_text": "第一条 乙方保证所提供的备案信息真实有效。\n\n第二条 乙方不得利用网站从事违法活动。",
    })
    documents = client.get(documents_url).content.decode()
    assert url in documents
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ("信息安全管理协议书", "示例云计算有限公司", filing.subject.name, "第一条 乙方保证所提供的备案信息真实有效。",
                     "第二条", domain_to_unicode(filing.websites.get().domain)):
        assert expected in text, expected
