"""The staff filing admin through the Django test client, on a real database."""

import io
import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from tests import factories
from wagtail_beian.models import Document, Filing, FilingReason, FilingState, ReviewStatus
from wagtail_beian.services.workflow import perform_transition

S = FilingState
pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"wagtail_beian_filings:{name}", args=args)


def submitted(customer):
    filing = factories.FilingFactory(owner=customer)
    return perform_transition(filing, "submit", customer)


def post_transition(client, filing, name, data=None, website=None):
    state = type(website).objects.get(pk=website.pk).status if website else Filing.objects.get(pk=filing.pk).state
    data = {"expected_state": state, **(data or {})}
    if website is not None:
        data["website"] = website.pk
    return client.post(url("transition", filing.pk, name), data)


def reasons_data(*reasons):
    data = {
        "reasons-TOTAL_FORMS": str(len(reasons)), "reasons-INITIAL_FORMS": "0",
        "reasons-MIN_NUM_FORMS": "0", "reasons-MAX_NUM_FORMS": "1000",
    }
    for i, (field, problem, suggestion) in enumerate(reasons):
        data.update({f"reasons-{i}-field": field, f"reasons-{i}-problem": problem, f"reasons-{i}-suggestion": suggestion})
    return data


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# ------------------------------------------------------------------------------- the staff path


def test_full_staff_path_in_the_admin(client, customer, clerk, manager):
    filing = submitted(customer)
    client.force_login(clerk)
    page = client.get(url("transition", filing.pk, "return_to_customer"))
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    response = post_transition(client, filing, "return_to_customer", reasons_data(
        ("subject.mailing_address", "通信地址缺少门牌号", "补充到门牌号"),
        ("websites.0.name", "网站名称含“新闻”", "改为不含前置审批关键词的名称"),
    ))
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.state == S.RETURNED
    assert sorted(FilingReason.objects.filter(filing=filing).values_list("field", flat=True)) == [
        "subject.mailing_address", "websites.0.name"]

    factories.explain_open_reasons(filing, customer)
    perform_transition(filing, "submit", customer)  # the customer resubmits (portal)
    assert Filing.objects.get(pk=filing.pk).state == S.SUBMITTED
    post_transition(client, filing, "verify")
    assert Filing.objects.get(pk=filing.pk).state == S.SUBMITTED  # F03: the reasons are not confirmed yet
    for reason in filing.reasons.all():
        assert client.post(url("settle_reason", filing.pk, reason.pk, "confirm")).status_code == 302
    assert post_transition(client, filing, "verify").status_code == 302
    assert Filing.objects.get(pk=filing.pk).state == S.VERIFIED
    client.force_login(manager)
    assert post_transition(client, filing, "submit_to_bureau").status_code == 302
    assert post_transition(client, filing, "confirm_sms").status_code == 302
    response = post_transition(client, filing, "approve", {"subject_number": "京ICP备2024000123号"})
    assert response.status_code == 302, text(response)
    filing.refresh_from_db()
    assert filing.state == S.APPROVED and filing.subject_number == "京ICP备2024000123号"
    detail = client.get(url("inspect", filing.pk))
    assert "京ICP备2024000123号-1" in text(detail)


def test_bureau_rejection_path_in_the_admin(client, customer, clerk, manager):
    filing = submitted(customer)
    client.force_login(clerk)
    post_transition(client, filing, "verify")
    client.force_login(manager)
    post_transition(client, filing, "submit_to_bureau")
    post_transition(client, filing, "confirm_sms")
    response = post_transition(client, filing, "reject", reasons_data(("subject.name", "名称与证件不符", "按执照填写")))
    assert response.status_code == 302
    assert Filing.objects.get(pk=filing.pk).state == S.BUREAU_REJECTED
    post_transition(client, filing, "resubmit_to_bureau")
    assert Filing.objects.get(pk=filing.pk).state == S.BUREAU_REJECTED  # F03: the reason is not confirmed
    client.force_login(clerk)
    client.post(url("settle_reason", filing.pk, filing.reasons.get().pk, "confirm"))
    client.force_login(manager)
    post_transition(client, filing, "resubmit_to_bureau")
    assert Filing.objects.get(pk=filing.pk).state == S.BUREAU_REVIEW


def test_return_without_reason_is_refused_and_nothing_saved(client, customer, clerk):
    filing = submitted(customer)
    client.force_login(clerk)
    response = post_transition(client, filing, "return_to_customer", reasons_data(("", "", "")))
    assert response.status_code == 400
    assert Filing.objects.get(pk=filing.pk).state == S.SUBMITTED
    assert not FilingReason.objects.exists()


def test_approval_with_a_wrong_number_shows_the_error_at_the_field(client, customer, manager):
    filing = factories.FilingFactory(owner=customer)
    Filing.objects.filter(pk=filing.pk).update(state=S.BUREAU_REVIEW)
    client.force_login(manager)
    response = post_transition(client, filing, "approve", {"subject_number": "沪ICP备2024000001号"})
    assert response.status_code == 400
    assert "北京" in text(response)
    assert Filing.objects.get(pk=filing.pk).state == S.BUREAU_REVIEW


def test_concurrent_change_by_a_colleague_is_reported(client, customer, clerk):
    filing = submitted(customer)
    client.force_login(clerk)
    stale = {"expected_state": S.SUBMITTED}
    perform_transition(filing, "verify", clerk)  # a colleague was faster
    response = client.post(url("transition", filing.pk, "return_to_customer"),
                           {**stale, **reasons_data(("subject.name", "错", "改"))}, follow=True)
    assert "colleague" in text(response) or "同事" in text(response)
    assert Filing.objects.get(pk=filing.pk).state == S.VERIFIED


def test_clerk_cannot_approve_even_by_typing_the_url(client, customer, clerk):
    filing = factories.FilingFactory(owner=customer)
    Filing.objects.filter(pk=filing.pk).update(state=S.BUREAU_REVIEW)
    client.force_login(clerk)
    page = client.get(url("transition", filing.pk, "approve"))
    assert page.status_code == 200 and "执行“登记备案通过”的权限" in text(page)  # why not, and no form
    assert 'name="expected_state"' not in page.content.decode()
    post_transition(client, filing, "approve", {"subject_number": "京ICP备2024000001号"})
    assert Filing.objects.get(pk=filing.pk).state == S.BUREAU_REVIEW


def test_transition_buttons_are_exactly_the_available_ones(client, customer, clerk, manager):
    filing = submitted(customer)
    client.force_login(clerk)
    page = client.get(url("inspect", filing.pk)).content.decode()
    links = set(re.findall(r"/transition/(\w+)/", page))
    assert links == {"verify", "return_to_customer"}
    client.force_login(manager)
    page = client.get(url("inspect", filing.pk)).content.decode()
    assert set(re.findall(r"/transition/(\w+)/", page)) == {"verify", "return_to_customer"}


def test_cancel_website_from_the_detail_screen(client, customer, manager):
    filing = factories.FilingFactory(owner=customer)
    Filing.objects.filter(pk=filing.pk).update(state=S.APPROVED, subject_number="京ICP备2024000001号")
    website = filing.websites.get()
    perform_transition(website, "request_cancellation", customer, note="不再经营该网站")
    client.force_login(manager)
    page = client.get(url("transition", filing.pk, "confirm_cancellation") + f"?website={website.pk}")
    assert "不可撤销" in text(page)
    refused = post_transition(client, filing, "confirm_cancellation", website=website)  # no note
    assert refused.status_code == 400 and "note" in refused.context["form"].errors
    response = post_transition(client, filing, "confirm_cancellation", {"note": "已在管局完成注销"}, website=website)
    assert response.status_code == 302
    website.refresh_from_db()
    assert website.status == "cancelled"


# ---------------------------------------------------------------------------- documents


def test_document_review_reject_needs_a_reason_and_is_logged(client, customer, clerk):
    filing = submitted(customer)
    document = Document.objects.filter(filing=filing).first()
    client.force_login(clerk)
    review = url("review_document", filing.pk, document.pk)
    assert client.post(review, {"decision": "rejected", "reason": ""}).status_code == 400
    assert client.post(review, {"decision": "rejected", "reason": "照片模糊"}).status_code == 302
    document.refresh_from_db()
    assert document.review_status == ReviewStatus.REJECTED and document.reviewed_by == clerk
    entry = ModelLogEntry.objects.get(action="wagtail_beian.document_review")
    assert entry.data["decision"] == "rejected"
    # the rejected document is offered as a reason when returning the filing
    page = client.get(url("transition", filing.pk, "return_to_customer"))
    assert "照片模糊" in page.content.decode()


def test_image_preview_inline_with_safe_headers(client, customer, clerk):
    filing = submitted(customer)
    image = Document.objects.filter(filing=filing, content_type="image/png").first()
    client.force_login(clerk)
    response = client.get(url("preview_document", filing.pk, image.pk))
    assert response.status_code == 200 and response["Content-Disposition"] == "inline"
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    other = factories.FilingFactory()
    assert client.get(url("preview_document", filing.pk, Document.objects.filter(filing=other).first().pk)).status_code == 404


def two_page_pdf():
    """A PDF written by Pillow's PDF writer: a red page, then a blue one."""
    from PIL import Image

    out = io.BytesIO()
    red, blue = Image.new("RGB", (600, 800), (220, 30, 30)), Image.new("RGB", (600, 800), (30, 30, 220))
    red.save(out, format="PDF", save_all=True, append_images=[blue], resolution=72)
    return out.getvalue()


def test_pdf_scan_is_previewed_page_by_page_as_images_with_safe_headers(client, customer, clerk):
    from PIL import Image

    filing = submitted(customer)
    pdf = Document.objects.filter(filing=filing, content_type="application/pdf").first()
    pdf.file.save("scan.pdf", ContentFile(two_page_pdf()))
    client.force_login(clerk)
    review = client.get(url("review_document", filing.pk, pdf.pk)).content.decode()
    preview = url("preview_document", filing.pk, pdf.pk)
    assert f"{preview}?page=1" in review and f"{preview}?page=2" in review and f"{preview}?page=3" not in review
    response = client.get(preview, {"page": "2"})
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    page = Image.open(io.BytesIO(response.content)).convert("RGB")
    r, g, b = page.getpixel((600, 800))
    assert page.width == 1200 and b > 200 and r < 60 and g < 60  # the blue page, scaled up (JPEG inside)
    assert client.get(preview, {"page": "3"}).status_code == 404
    assert client.get(preview, {"page": "x"}).status_code == 404


def test_a_damaged_pdf_says_download_it_instead(client, customer, clerk):
    filing = submitted(customer)
    pdf = Document.objects.filter(filing=filing, content_type="application/pdf").first()
    pdf.file.save("scan.pdf", ContentFile(two_page_pdf()[:300]))
    client.force_login(clerk)
    review = text(client.get(url("review_document", filing.pk, pdf.pk)))
    assert "无法在此显示" in review
    assert client.get(url("preview_document", filing.pk, pdf.pk)).status_code == 404


# ------------------------------------------------------------------------ listing, search, masking


def test_listing_masks_certificates_for_clerks_not_for_managers(client, customer, clerk, manager):
    filing = submitted(customer)
    number = filing.subject.certificate_number
    client.force_login(clerk)
    page = client.get(url("index")).content.decode()
    assert number not in page and number[:6] + "********" in page
    detail = client.get(url("inspect", filing.pk)).content.decode()
    assert number not in detail and filing.subject.responsible_certificate_number not in detail
    client.force_login(manager)
    assert number in client.get(url("index")).content.decode()


@pytest.mark.parametrize("spelling", ["例子.中国", "xn--fsqu00a.xn--fiqs8s", "WWW.例子。中国", "例子"])
def test_search_finds_a_domain_in_any_spelling(client, customer, clerk, spelling):
    filing = factories.FilingFactory(owner=customer, websites__domain="xn--fsqu00a.xn--fiqs8s")
    factories.FilingFactory(owner=customer)
    client.force_login(clerk)
    page = client.get(url("index"), {"q": spelling}).content.decode()
    assert url("inspect", filing.pk) in page
    assert page.count("/inspect/") == 1


def test_search_by_certificate_name_and_filing_number(client, customer, clerk):
    filing = factories.FilingFactory(owner=customer, subject_number="京ICP备2024000555号")
    factories.FilingFactory(owner=customer)
    client.force_login(clerk)
    for term in [filing.subject.certificate_number.lower(), filing.subject.name, "京ICP备2024000555号-1", "2024000555"]:
        page = client.get(url("index"), {"q": term}).content.decode()
        assert url("inspect", filing.pk) in page, term
        assert page.count("/inspect/") == 1, term


def test_filter_overdue_and_state(client, customer, clerk):
    late = submitted(customer)
    Filing.objects.filter(pk=late.pk).update(deadline_at="2020-01-01T00:00:00Z")
    on_time = submitted(customer)
    draft = factories.FilingFactory(owner=customer)
    client.force_login(clerk)
    page = client.get(url("index"), {"deadline": "overdue"}).content.decode()
    assert url("inspect", late.pk) in page and url("inspect", on_time.pk) not in page
    page = client.get(url("index"), {"state": "draft"}).content.decode()
    assert url("inspect", draft.pk) in page and url("inspect", late.pk) not in page


def test_listing_shows_what_is_missing(client, customer, clerk):
    filing = factories.FilingFactory(owner=customer, documents=False)
    client.force_login(clerk)
    assert "verification_sheet" not in text(client.get(url("index")))
    page = text(client.get(url("index")))
    assert filing.subject.name in page
    from wagtail_beian.rules.documents import document_label

    assert str(document_label("verification_sheet")) in page


def test_listing_counts_only_the_open_reasons_of_each_filing(client, customer, clerk):
    returned, other = factories.FilingFactory(owner=customer), factories.FilingFactory(owner=customer)
    for field, status in [("subject.name", "open"), ("subject.address", "changed"), ("website.name", "confirmed")]:
        FilingReason.objects.create(filing=returned, transition="return", field=field, problem="x", status=status)
    FilingReason.objects.create(filing=other, transition="return", field="subject.name", problem="y")
    client.force_login(clerk)
    with translation.override("en"):
        page = text(client.get(url("index")))
    assert "2 open reasons" in page and "1 open reasons" in page and "3 open reasons" not in page


# ------------------------------------------------------------------------------- bulk actions


def test_bulk_assign_and_remind(client, customer, clerk, manager, django_capture_on_commit_callbacks):
    customer.email = "customer-a@example.com"
    customer.save()
    first, second = submitted(customer), factories.FilingFactory(owner=customer, documents=False)
    client.force_login(manager)
    bulk = reverse("wagtail_bulk_action", args=["wagtail_beian", "filing", "assign"])
    query = f"?next={url('index')}&id={first.pk}&id={second.pk}"
    assert client.get(bulk + query).status_code == 200
    assert client.post(bulk + query, {"clerk": clerk.pk}).status_code == 302
    assert set(Filing.objects.values_list("assigned_to", flat=True)) == {clerk.pk}
    assert ModelLogEntry.objects.filter(action="wagtail_beian.assign").count() == 2

    remind = reverse("wagtail_bulk_action", args=["wagtail_beian", "filing", "remind"])
    from django.utils import timezone

    from wagtail_beian.models import OutgoingEmail

    OutgoingEmail.objects.update(sent_at=timezone.now())  # the transitions' own e-mails are not at stake here
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(remind + f"?next={url('index')}&id={second.pk}").status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["customer-a@example.com"]
    body = mail.outbox[0].body
    from wagtail_beian.rules.documents import document_label

    assert str(document_label("verification_sheet")) in body


# ------------------------------------------------------------------------------- query counts


def _queries(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx)


def test_listing_and_detail_query_counts_do_not_grow_with_data(client, customer, manager):
    factories.FilingFactory.create_batch(10, owner=customer)
    client.force_login(manager)
    probe = Filing.objects.order_by("pk").first()
    _queries(client, url("index")), _queries(client, url("inspect", probe.pk))  # warm caches (content types)
    small = (_queries(client, url("index")), _queries(client, url("inspect", probe.pk)))
    factories.FilingFactory.create_batch(290, owner=customer)
    large = (_queries(client, url("index")), _queries(client, url("inspect", probe.pk)))
    assert small == large, (small, large)
    # the detail page runs pre-flight once for its findings and its buttons' gates (was twice: 59)
    assert large[1] <= 50, large


def test_d04_date_check_shown_on_document_review(client, customer, clerk):
    import datetime

    filing = submitted(customer)
    photo = Document.objects.get(filing=filing, kind="onsite_photo")
    Document.objects.filter(pk=photo.pk).update(document_date=photo.document_date + datetime.timedelta(days=3))
    client.force_login(clerk)
    page = client.get(url("review_document", filing.pk, photo.pk))
    assert page.status_code == 200
    assert "D04" in text(page) and page.context["date_findings"]


def test_custom_permissions_are_in_the_group_editor(client, manager, staff_groups):
    superuser = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    page = client.get(reverse("wagtailusers_groups:edit", args=[staff_groups[0].pk])).content.decode()
    from django.contrib.auth.models import Permission

    for codename in ("verify_filing", "record_bureau_decision", "view_personal_data"):
        permission = Permission.objects.get(codename=codename)
        assert f'value="{permission.pk}"' in page, codename


# ------------------------------------------------------------ deadline filter and W05 (F04, W05)


def w05_change(customer, due, state=S.RETURNED, **extra):
    """A change adding a website, its W05 deadline at ``due`` (returned: no current deadline)."""
    approved = factories.FilingFactory(owner=customer, documents=False)
    Filing.objects.filter(pk=approved.pk).update(state=S.APPROVED, subject_number=f"京ICP备{2024000600 + approved.pk}号")
    change = factories.FilingFactory(owner=customer, kind="change", amends=approved, documents=False)
    Filing.objects.filter(pk=change.pk).update(state=state, website_addition_due_at=due, **extra)
    return Filing.objects.get(pk=change.pk)


def test_w05_deadline_filter_includes_the_added_website_deadline_of_a_change(client, customer, clerk):
    import datetime

    from django.utils import timezone

    from wagtail_beian.rules.workdays import add_workdays

    now = timezone.now()
    today = timezone.localdate(now)

    def end_of(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))

    late = w05_change(customer, now - datetime.timedelta(days=3))
    soon = w05_change(customer, end_of(add_workdays(today, 2)))
    later = w05_change(customer, end_of(add_workdays(today, 4)))
    met = w05_change(customer, now - datetime.timedelta(days=3), state=S.SMS_CHECK, sms_sent_at=now)
    withdrawn = w05_change(customer, now - datetime.timedelta(days=3), state=S.WITHDRAWN)
    provider_late = submitted(customer)
    Filing.objects.filter(pk=provider_late.pk).update(deadline_at=now - datetime.timedelta(days=1))
    client.force_login(clerk)

    def listed(value):
        response = client.get(url("index"), {"deadline": value})
        assert response.status_code == 200
        return {f.pk for f in response.context["object_list"]}

    assert listed("overdue") == {late.pk, provider_late.pk}
    assert met.pk not in listed("overdue") and withdrawn.pk not in listed("overdue")
    assert soon.pk not in listed("1") and soon.pk in listed("2")
    assert {soon.pk, later.pk} <= listed("5") and late.pk not in listed("5")
    # the listing's deadline column names the W05 deadline
    page = client.get(url("index"), {"deadline": "overdue"}).content.decode()
    from django.utils.html import escape

    from wagtail_beian.services.status import deadline_text

    assert escape(deadline_text(late)) in page


def test_w05_deadline_filter_query_count_does_not_grow(client, customer, manager):
    import datetime

    from django.utils import timezone

    now = timezone.now()
    for _ in range(3):
        w05_change(customer, now - datetime.timedelta(days=2))
    client.force_login(manager)
    index = url("index") + "?deadline=overdue"
    _queries(client, index)  # warm caches
    small = _queries(client, index)
    for _ in range(17):
        w05_change(customer, now - datetime.timedelta(days=2))
    response = client.get(index)
    assert len(response.context["object_list"]) == 20  # one page
    assert _queries(client, index) == small


# ------------------------------------------------------------------------------- review before verification (F02)


def test_f02_verification_waits_until_every_required_scan_is_accepted(client, customer, clerk):
    filing = perform_transition(factories.FilingFactory(owner=customer, documents="pending"), "submit", customer)
    client.force_login(clerk)
    detail = client.get(url("inspect", filing.pk))
    assert "/transition/verify/" not in detail.content.decode()  # no button while scans wait
    refused = client.get(url("transition", filing.pk, "verify"))
    assert 'name="expected_state"' not in refused.content.decode() and "尚未审核" in text(refused)
    documents = list(filing.documents.order_by("pk"))
    # saving a review opens the next scan not reviewed yet; a rejection needs its reason
    review = url("review_document", filing.pk, documents[0].pk)
    assert client.post(review, {"decision": "rejected", "reason": " "}).status_code == 400
    response = client.post(review, {"decision": "accepted"})
    assert response.status_code == 302 and response["Location"] != url("inspect", filing.pk)
    for document in documents[1:]:
        last = client.post(url("review_document", filing.pk, document.pk), {"decision": "accepted"})
    assert last["Location"] == url("inspect", filing.pk)  # none left: back to the filing
    assert ModelLogEntry.objects.filter(action="wagtail_beian.document_review").count() == len(documents)
    post_transition(client, filing, "verify")
    assert Filing.objects.get(pk=filing.pk).state == FilingState.VERIFIED


def test_f02_a_rejected_scan_blocks_verification_until_a_new_one_is_accepted(client, customer, clerk):
    filing = perform_transition(factories.FilingFactory(owner=customer), "submit", customer)
    sheet = filing.documents.filter(kind="verification_sheet").first()
    client.force_login(clerk)
    client.post(url("review_document", filing.pk, sheet.pk), {"decision": "rejected", "reason": "照片模糊"})
    post_transition(client, filing, "verify")
    assert Filing.objects.get(pk=filing.pk).state == FilingState.SUBMITTED
    refused = client.get(url("transition", filing.pk, "verify"))
    assert "已被驳回" in text(refused)


def test_the_detail_page_shows_every_website_field_masked_for_those_without_the_permission(client, customer, clerk, manager):
    from wagtail_beian.rules.identity import mask_certificate_number

    filing = submitted(customer)
    website = filing.websites.first()
    number = website.responsible_certificate_number
    client.force_login(clerk)  # no view_personal_data
    page = text(client.get(url("inspect", filing.pk)))
    assert website.responsible_name in page and website.responsible_mobile in page
    assert mask_certificate_number(number) in page and number not in page
    for content in website.service_contents.all():
        assert content.name in page
    client.force_login(manager)  # holds view_personal_data
    assert number in text(client.get(url("inspect", filing.pk)))


def test_f02_the_last_scan_to_review_says_save_not_next(client, customer, clerk):
    filing = perform_transition(factories.FilingFactory(owner=customer, documents="pending"), "submit", customer)
    documents = list(filing.documents.order_by("pk"))
    client.force_login(clerk)
    first = client.get(url("review_document", filing.pk, documents[0].pk)).content.decode()
    assert "保存并审核下一份" in first
    for document in documents[:-1]:
        client.post(url("review_document", filing.pk, document.pk), {"decision": "accepted"})
    last = client.get(url("review_document", filing.pk, documents[-1].pk)).content.decode()
    assert "保存并审核下一份" not in last and ">保存<" in last.replace(" ", "").replace("\n", "")
