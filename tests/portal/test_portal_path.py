"""A customer's whole path through the portal with the test client: nothing to submitted, return, fix."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests import factories
from wagtail_beian.models import Document, Filing, FilingState, Website
from wagtail_beian.services.documents import required_documents_for
from wagtail_beian.services.workflow import Reason, perform_transition

pytestmark = pytest.mark.django_db
S = FilingState


def u(name, *args):
    return reverse(f"wagtail_beian_portal:{name}", args=args)


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def subject_data(**changes):
    from wagtail_beian.models import CertificateType, OrganizerNature, Province

    data = {
        "nature": OrganizerNature.objects.get(code="enterprise").pk, "name": "北京星河网络科技有限公司",
        "certificate_type": CertificateType.objects.get(code="uscc").pk, "certificate_number": factories.valid_uscc(4242).lower(),
        "investor": "北京星河网络科技有限公司", "province": Province.objects.get(code="11").pk,
        "residence_address": "北京市海淀区中关村大街27号", "mailing_address": "北京市海淀区中关村大街27号1101室",
        "responsible_name": "王小明", "responsible_certificate_type": CertificateType.objects.get(code="resident_id").pk,
        "responsible_certificate_number": factories.valid_resident_id(77), "responsible_is_legal_representative": "on",
        "responsible_mobile": "138 0013 8000", "responsible_landline": "010-62345678", "responsible_email": "wang@example.com",
    }
    data.update(changes)
    return data


def website_data(prefix="new-", **changes):
    from wagtail_beian.models import CertificateType, ServiceContent

    data = {
        "name": "星河技术文档", "domain": "例子.中国", "homepage": "", "service_kind": "website",
        "service_contents": [ServiceContent.objects.get(code="enterprise_site").pk],
        "pre_approval_document_number": "", "domain_owner_is_organizer": "on", "responsible_name": "王小明",
        "responsible_certificate_type": CertificateType.objects.get(code="resident_id").pk,
        "responsible_certificate_number": factories.valid_resident_id(77), "responsible_mobile": "13800138000",
        "responsible_landline": "", "responsible_email": "wang@example.com",
    }
    data.update(changes)
    return {f"{prefix}{k}": v for k, v in data.items()}


def upload_all(client, filing):
    today = timezone.localdate(filing.created_at).isoformat()
    for req in required_documents_for(filing):
        pdf = req.kind in ("security_agreement", "verification_sheet")
        content = factories.pdf_bytes() if pdf else factories.png_bytes(400, 300)
        name = f"{req.kind}.{'pdf' if pdf else 'png'}"
        response = client.post(u("filing_documents", filing.pk), {
            "slot": f"{req.kind}:{req.website_key or ''}",
            "file": SimpleUploadedFile(name, content),
            "document_date": today,
        })
        assert response.status_code == 302, (req.kind, text(response)[:800])


def test_full_customer_path_wizard_submit_return_fix_resubmit(client, customer, clerk):
    client.force_login(customer)
    assert client.get(u("filing_list")).status_code == 200
    response = client.post(u("filing_create"))
    filing = Filing.objects.get(owner=customer)
    assert response["Location"] == u("filing_subject", filing.pk)

    # step 1: the organizer, with the numbers normalised by the rules
    assert client.post(u("filing_subject", filing.pk), subject_data()).status_code == 302
    filing.refresh_from_db()
    assert filing.subject.certificate_number == factories.valid_uscc(4242)
    assert filing.subject.responsible_mobile == "13800138000"

    # step 2: a website (IDN stored in one canonical form) and its access
    response = client.post(u("filing_websites", filing.pk), website_data())
    assert response.status_code == 302, text(response)[:800]
    website = Website.objects.get(filing=filing)
    assert website.domain == "xn--fsqu00a.xn--fiqs8s" and website.homepage == "www.xn--fsqu00a.xn--fiqs8s"
    from wagtail_beian.models import AccessMethod

    response = client.post(u("website_access", filing.pk, website.pk), {
        "method": AccessMethod.objects.get(code="cloud_server").pk, "server_location": "北京", "ip_addresses": "101.200.0.7",
    })
    assert response.status_code == 302, text(response)[:800]

    # the summary shows what is still missing before the documents are there
    summary = client.get(u("filing_summary", filing.pk))
    assert "未上传：" in text(summary)  # D01, in words: no rule ids for customers
    assert not re.search(r"\b[RWDF]\d\d\b", text(summary))
    assert f'href="{u("filing_documents", filing.pk)}#documents.' in summary.content.decode()  # linked to its slot

    # step 3: exactly the required documents
    page = client.get(u("filing_documents", filing.pk))
    assert page.status_code == 200
    upload_all(client, filing)
    assert Document.objects.filter(filing=filing).count() == len(required_documents_for(filing))

    # step 4: submit; a second click is harmless
    summary = client.get(u("filing_summary", filing.pk))
    assert "未上传：" not in text(summary), text(summary)[:1500]
    assert "北京星河网络科技有限公司" in text(summary) and "例子.中国" in text(summary)  # everything, read-only
    assert client.post(u("filing_summary", filing.pk), {"expected_state": "draft"}).status_code == 302
    assert Filing.objects.get(pk=filing.pk).state == S.SUBMITTED
    again = client.post(u("filing_summary", filing.pk), {"expected_state": "draft"}, follow=True)
    assert again.status_code == 200 and Filing.objects.get(pk=filing.pk).state == S.SUBMITTED
    after = text(client.get(u("filing_summary", filing.pk)))
    assert "已提交。" in after and "可以提交" not in after and "提交接入商核实" not in after
    assert Filing.objects.filter(owner=customer).count() == 1

    # submitted: nothing is editable any more (F01)
    assert client.post(u("filing_subject", filing.pk), subject_data(name="改名")).status_code == 302
    assert Filing.objects.get(pk=filing.pk).subject.name == "北京星河网络科技有限公司"

    # the provider returns it with a reason at the mailing address
    perform_transition(filing, "return_to_customer", clerk, reasons=[
        Reason("subject.mailing_address", "通信地址需写到门牌号和房间号", "例如：中关村大街27号1101室"),
    ])
    detail = client.get(u("filing_detail", filing.pk))
    assert "通信地址需写到门牌号和房间号" in text(detail)
    form_page = client.get(u("filing_subject", filing.pk))
    form = form_page.context["form"]
    assert not form.fields["mailing_address"].disabled
    assert form.fields["name"].disabled  # only the flagged field is editable
    assert "例如：中关村大街27号1101室" in text(form_page)  # the suggestion is shown at the field

    # the customer fixes the flagged field; a posted change to a locked field is ignored
    response = client.post(u("filing_subject", filing.pk), subject_data(
        mailing_address="北京市海淀区中关村大街27号1102室", name="偷偷改名"))
    assert response.status_code == 302
    subject = Filing.objects.get(pk=filing.pk).subject
    assert subject.mailing_address == "北京市海淀区中关村大街27号1102室" and subject.name == "北京星河网络科技有限公司"
    assert client.post(u("filing_summary", filing.pk), {"expected_state": "returned"}).status_code == 302
    assert Filing.objects.get(pk=filing.pk).state == S.SUBMITTED


def test_r04_bad_address_shown_at_the_field_nothing_lost(client, customer):
    client.force_login(customer)
    client.post(u("filing_create"))
    filing = Filing.objects.get(owner=customer)
    client.post(u("filing_subject", filing.pk), subject_data(mailing_address="北京市海淀区中关村软件园"))
    page = client.get(u("filing_subject", filing.pk))
    assert "中关村软件园" in page.content.decode()  # what the customer typed is kept
    notes = page.context["notes"]["mailing_address"]
    assert notes and notes[0].kind == "error"


def test_w01_subdomain_refused_at_the_field(client, customer):
    client.force_login(customer)
    client.post(u("filing_create"))
    filing = Filing.objects.get(owner=customer)
    client.post(u("filing_subject", filing.pk), subject_data())
    response = client.post(u("filing_websites", filing.pk), website_data(domain="www.example.com"))
    assert response.status_code == 400
    assert "example.com" in " ".join(response.context["form"].errors["domain"])
    assert not Website.objects.filter(filing=filing).exists()


def test_rejected_upload_says_why_and_saves_nothing(client, customer):
    client.force_login(customer)
    client.post(u("filing_create"))
    filing = Filing.objects.get(owner=customer)
    client.post(u("filing_subject", filing.pk), subject_data())
    response = client.post(u("filing_documents", filing.pk), {
        "slot": "organizer_certificate:", "file": SimpleUploadedFile("licence.jpg", b"<html><script>alert(1)</script></html>"),
    })
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_approved_filing_entry_points(client, customer, clerk, manager):
    filing = factories.FilingFactory(owner=customer)
    for step, user, kw in [("submit", customer, {}), ("verify", clerk, {}), ("submit_to_bureau", manager, {}),
                           ("confirm_sms", manager, {}), ("approve", manager, {"subject_number": "京ICP备2024000321号"})]:
        filing = perform_transition(filing, step, user, **kw)
    client.force_login(customer)
    detail = text(client.get(u("filing_detail", filing.pk)))
    assert "京ICP备2024000321号-1" in detail
    # cancel a website
    website = filing.websites.get()
    assert client.post(u("website_cancel", filing.pk, website.pk), {"note": "网站已停止运营"}).status_code == 302
    assert Website.objects.get(pk=website.pk).status == "cancelling"
    # start a change: the approved data stays; the change opens at its first step
    response = client.post(u("filing_change", filing.pk))
    change = Filing.objects.get(amends=filing)
    assert response["Location"] == u("filing_subject", change.pk)
    assert client.post(u("filing_change", filing.pk), follow=True).status_code == 200
    assert Filing.objects.filter(amends=filing).count() == 1  # a second click opens no second change


def test_deadline_and_next_step_on_my_filings(client, customer):
    filing = factories.FilingFactory(owner=customer)
    perform_transition(filing, "submit", customer)
    client.force_login(customer)
    page = text(client.get(u("filing_list")))
    assert "接入商核实" in page and "个工作日" in page
    assert "正在核实" in page or "核实" in page
    _ = datetime


def test_a_new_draft_shows_no_red_boxes_and_a_failed_save_no_stale_findings(client, customer):
    client.force_login(customer)
    client.post(u("filing_create"))
    filing = Filing.objects.get(owner=customer)
    first = client.get(u("filing_subject", filing.pk)).content.decode()
    assert "note-error" not in first and 'role="alert"' not in first  # nothing typed yet: nothing wrong yet
    documents = client.get(u("filing_documents", filing.pk)).content.decode()
    assert "note-error" not in documents  # an empty slot says 尚未上传, not an error

    # saved with an address without a house number: pre-flight says so at the field (R04)
    client.post(u("filing_subject", filing.pk), subject_data(mailing_address="北京市海淀区中关村软件园"))
    assert any(n.kind == "error" for n in client.get(u("filing_subject", filing.pk)).context["notes"]["mailing_address"])
    # the customer completes the address but the mobile is wrong: the page shows the mobile's error,
    # and not the stored address's finding, which the typed address contradicts
    fixed = "北京市海淀区中关村软件园8号楼201室"
    failed = client.post(u("filing_subject", filing.pk), subject_data(mailing_address=fixed, responsible_mobile="123"))
    assert failed.status_code == 400 and failed.context["form"].errors["responsible_mobile"]
    assert failed.context["notes"]["mailing_address"] == []
    assert f'value="{fixed}"' in failed.content.decode()  # nothing typed is lost


def test_f03_a_returned_address_unlocks_its_explanation_too(client, customer, clerk):
    filing = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    perform_transition(filing, "return_to_customer", clerk, reasons=[
        Reason("subject.mailing_address", "通讯地址没有门牌号", "补充门牌号，或在通讯地址说明中解释")])
    client.force_login(customer)
    form = client.get(u("filing_subject", filing.pk)).context["form"]
    assert not form.fields["mailing_address"].disabled and not form.fields["mailing_address_note"].disabled
    assert form.fields["name"].disabled


def test_w03_the_website_s_responsible_person_can_be_the_organizer_s(client, customer):
    """Issue 13: no retyping the organizer's responsible person for a website."""
    client.force_login(customer)
    client.post(u("filing_create"))
    filing = Filing.objects.get(owner=customer)
    client.post(u("filing_subject", filing.pk), subject_data())
    page = client.get(u("filing_websites", filing.pk)).content.decode()
    assert "new-same_as_subject" in page and "王小明" in page
    blank = {k: "" for k in ("responsible_name", "responsible_certificate_type", "responsible_certificate_number",
                             "responsible_mobile", "responsible_landline", "responsible_email")}
    data = website_data(**{**blank, "responsible_mobile": "12"})  # what was typed there is replaced, error and all
    data["new-same_as_subject"] = "on"
    response = client.post(u("filing_websites", filing.pk), data)
    assert response.status_code == 302, text(response)[:600]
    website, subject = Website.objects.get(filing=filing), Filing.objects.get(pk=filing.pk).subject
    assert (website.responsible_name, website.responsible_certificate_number, website.responsible_mobile,
            website.responsible_email) == (subject.responsible_name, subject.responsible_certificate_number,
                                           subject.responsible_mobile, subject.responsible_email)
    form = client.get(u("website_edit", filing.pk, website.pk)).context["form"]
    assert form["same_as_subject"].value() is True  # shown as it is
