"""F03 after a return: a reason is resolved only when its field changed or the customer explained it,
and the clerk confirms or reopens it; verification waits for every reason (issue 12)."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests import factories
from tests.admin.test_parts_admin import subject_form
from wagtail_beian import permissions as perms
from wagtail_beian.models import Filing, FilingReason, FilingState, ReasonStatus
from wagtail_beian.rules.documents import document_label
from wagtail_beian.services.documents import required_documents_for
from wagtail_beian.services.workflow import Reason, available_transitions, perform_transition

pytestmark = pytest.mark.django_db
S = FilingState
ADDRESS = Reason("subject.mailing_address", "通信地址缺少门牌号", "补充到门牌号")
NAME = Reason("subject.name", "名称与营业执照不一致", "按营业执照填写")


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def portal(name, *args):
    return reverse(f"wagtail_beian_portal:{name}", args=args)


def admin(name, *args):
    return reverse(f"wagtail_beian_filings:{name}", args=args)


def returned(customer, clerk, reasons=(ADDRESS, NAME)):
    filing = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    return perform_transition(filing, "return_to_customer", clerk, reasons=list(reasons))


def state(filing):
    return Filing.objects.get(pk=filing.pk).state


def statuses(filing):
    return dict(FilingReason.objects.filter(filing=filing).values_list("field", "status"))


def submit_in_portal(client, filing):
    return client.post(portal("filing_summary", filing.pk), {"expected_state": "returned"})


def test_f03_a_reason_neither_changed_nor_explained_blocks_resubmission(client, customer, clerk):
    filing = returned(customer, clerk)
    client.force_login(customer)
    submit_in_portal(client, filing)
    assert state(filing) == S.RETURNED
    summary = text(client.get(portal("filing_summary", filing.pk)))
    assert "通信地址缺少门牌号" in summary and "名称与营业执照不一致" in summary  # each, with its field's label

    # the customer changes the address in the portal: that reason is answered, the other still blocks
    client.post(portal("filing_subject", filing.pk),
                subject_form(filing.subject, mailing_address=filing.subject.mailing_address + "1101室"))
    submit_in_portal(client, filing)
    assert state(filing) == S.RETURNED
    assert "通信地址缺少门牌号" not in text(client.get(portal("filing_summary", filing.pk)))

    # the name is right: the customer explains instead of changing it
    name_reason = filing.reasons.get(field="subject.name")
    response = client.post(portal("filing_reason_answer", filing.pk, name_reason.pk), {"answer": "营业执照已于上月变更，见新上传的执照"})
    assert response.status_code == 302
    assert submit_in_portal(client, filing).status_code == 302
    assert state(filing) == S.SUBMITTED
    assert statuses(filing) == {"subject.mailing_address": ReasonStatus.CHANGED, "subject.name": ReasonStatus.ANSWERED}


def test_f03_the_clerk_confirms_or_reopens_and_verification_waits(client, customer, clerk,
                                                                  django_capture_on_commit_callbacks):
    filing = returned(customer, clerk)
    factories.explain_open_reasons(filing, customer, "门牌号确实没有，见房产证")
    filing = perform_transition(filing, "submit", customer)
    address, name = filing.reasons.get(field="subject.mailing_address"), filing.reasons.get(field="subject.name")

    client.force_login(clerk)
    detail = text(client.get(admin("inspect", filing.pk)))
    assert "门牌号确实没有，见房产证" in detail  # the customer's explanation beside the reason
    assert "verify" not in [t.name for t in available_transitions(filing, clerk)]
    client.post(admin("transition", filing.pk, "verify"), {"expected_state": "submitted"})
    assert state(filing) == S.SUBMITTED

    assert client.post(admin("settle_reason", filing.pk, address.pk, "confirm")).status_code == 302
    assert client.post(admin("settle_reason", filing.pk, name.pk, "reopen")).status_code == 302
    assert statuses(filing) == {"subject.mailing_address": ReasonStatus.CONFIRMED, "subject.name": ReasonStatus.OPEN}
    address.refresh_from_db()
    assert address.confirmed_by == clerk and address.confirmed_at is not None
    assert "verify" not in [t.name for t in available_transitions(filing, clerk)]  # the reopened one waits

    # the reopened reason goes back with the return: no new reason is needed
    page = text(client.get(admin("transition", filing.pk, "return_to_customer")))
    assert "名称与营业执照不一致" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(admin("transition", filing.pk, "return_to_customer"), {
            "expected_state": "submitted", "reasons-TOTAL_FORMS": "0", "reasons-INITIAL_FORMS": "0"})
    assert response.status_code == 302, text(response)[:600]
    assert state(filing) == S.RETURNED
    entry = ModelLogEntry.objects.filter(action="wagtail_beian.return_to_customer").latest("pk")
    assert [r["field"] for r in entry.data["reasons"]] == ["subject.name"] and entry.data["reopened"]
    assert "名称与营业执照不一致" in mail.outbox[-1].body  # the return mail names the reopened reason
    client.force_login(customer)
    form = client.get(portal("filing_subject", filing.pk)).context["form"]
    assert not form.fields["name"].disabled and form.fields["mailing_address"].disabled
    # the explanation the clerk did not accept no longer answers the reopened reason
    name.refresh_from_db()
    assert name.answer == "" and name.status == ReasonStatus.OPEN
    submit_in_portal(client, filing)
    assert state(filing) == S.RETURNED

    # changed this time, resubmitted, confirmed: now it can be verified
    client.post(portal("filing_subject", filing.pk), subject_form(filing.subject, name=filing.subject.name + "（北京）"))
    submit_in_portal(client, filing)
    assert state(filing) == S.SUBMITTED and statuses(filing)["subject.name"] == ReasonStatus.CHANGED
    client.force_login(clerk)
    client.post(admin("settle_reason", filing.pk, name.pk, "confirm"))
    client.post(admin("transition", filing.pk, "verify"), {"expected_state": "submitted"})
    assert state(filing) == S.VERIFIED


def test_f03_a_document_reason_is_answered_by_a_new_upload(client, customer, clerk):
    filing = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    kind = next(r.kind for r in required_documents_for(filing) if r.website_key is None)
    filing = perform_transition(filing, "return_to_customer", clerk, reasons=[
        Reason(f"documents.{kind}", "扫描件模糊", "请重新扫描上传")])
    client.force_login(customer)
    client.post(portal("filing_documents", filing.pk), {
        "slot": f"{kind}:", "file": SimpleUploadedFile("重新扫描.png", factories.png_bytes(400, 300)),
        "document_date": timezone.localdate().isoformat(),
    })
    assert submit_in_portal(client, filing).status_code == 302
    assert state(filing) == S.SUBMITTED and statuses(filing) == {f"documents.{kind}": ReasonStatus.CHANGED}
    client.force_login(clerk)
    detail = text(client.get(admin("inspect", filing.pk)))
    assert f"{document_label(kind)}:" in detail and "→ 重新扫描.png" in detail


def test_f03_a_refused_explanation_keeps_its_text_and_says_why(client, customer, clerk, other_customer):
    filing = returned(customer, clerk, [NAME])
    reason = filing.reasons.get()
    client.force_login(customer)
    response = client.post(portal("filing_reason_answer", filing.pk, reason.pk), {"answer": "   "})
    assert response.status_code == 400 and "请填写说明" in text(response)
    long = "说" * 1001
    response = client.post(portal("filing_reason_answer", filing.pk, reason.pk), {"answer": long})
    assert response.status_code == 400 and long in response.content.decode()  # nothing lost
    client.force_login(other_customer)
    assert client.post(portal("filing_reason_answer", filing.pk, reason.pk), {"answer": "x"}).status_code == 404
    reason.refresh_from_db()
    assert reason.answer == "" and reason.status == ReasonStatus.OPEN
    # once submitted, the customer's turn is over
    factories.explain_open_reasons(filing, customer)
    perform_transition(filing, "submit", customer)
    client.force_login(customer)
    response = client.post(portal("filing_reason_answer", filing.pk, reason.pk), {"answer": "再补充一句"}, follow=True)
    assert "此原因现在无法说明" in text(response)
    reason.refresh_from_db()
    assert reason.answer == "已核对，填写无误"


def test_f03_settling_needs_the_verify_permission_and_the_provider_s_turn(client, customer, clerk, staff_groups):
    filing = returned(customer, clerk, [NAME])
    reason = filing.reasons.get()
    client.force_login(clerk)
    client.post(admin("settle_reason", filing.pk, reason.pk, "confirm"))  # still with the customer
    assert statuses(filing) == {"subject.name": ReasonStatus.OPEN}
    factories.explain_open_reasons(filing, customer)
    perform_transition(filing, "submit", customer)
    viewer = factories.StaffFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="access_admin"),
                                *perms.permission_objects([perms.VIEW_FILING]))
    for user in (viewer, customer):  # Wagtail answers a refusal with a redirect to the dashboard
        client.force_login(user)
        assert client.post(admin("settle_reason", filing.pk, reason.pk, "confirm")).status_code in (302, 403)
        assert statuses(filing) == {"subject.name": ReasonStatus.ANSWERED}
    client.force_login(clerk)
    assert client.get(admin("settle_reason", filing.pk, reason.pk, "confirm")).status_code == 405
    client.post(admin("settle_reason", filing.pk, reason.pk, "confirm"))
    assert statuses(filing) == {"subject.name": ReasonStatus.CONFIRMED}


def test_f03_a_refused_cancellation_s_reason_asks_for_no_fix(customer, clerk, manager):
    filing = factories.FilingFactory(owner=customer, state=S.APPROVED, subject_number="京ICP备2024000321号")
    filing = perform_transition(filing, "request_cancellation", customer, note="网站不再运营")
    filing = perform_transition(filing, "refuse_cancellation", manager, reasons=[Reason("other", "尚有在办变更", "先撤回变更")])
    assert statuses(filing) == {"other": ReasonStatus.NOTICE}
    assert not filing.open_reasons().exists() and not filing.unsettled_reasons().exists()


def test_f03_an_address_reason_is_answered_by_its_explanatory_note(client, customer, clerk):
    filing = returned(customer, clerk, [ADDRESS])
    client.force_login(customer)
    client.post(portal("filing_subject", filing.pk),
                subject_form(filing.subject, mailing_address_note="园区统一编号，无门牌号"))
    assert submit_in_portal(client, filing).status_code == 302
    assert state(filing) == S.SUBMITTED and statuses(filing) == {"subject.mailing_address": ReasonStatus.CHANGED}
