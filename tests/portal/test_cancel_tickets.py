"""The "cancel filing" ticket types lead to the portal's cancellation workflow (F06).

"Cancel filing — subject" lists the customer's own approved filings (one: straight to its cancel
page), "Cancel filing — website" the active websites of their approved filings; with none (or on
"my filing is not listed") the free-form ticket stays. Another customer's filings never appear.
"""

import pytest
from django.urls import reverse

from tests import factories
from tests.transfer_factories import approved_filing
from wagtail_beian.models import Filing, FilingState, Website, WebsiteStatus

pytestmark = pytest.mark.django_db
NS = "wagtail_beian_portal"
NEW = reverse(f"{NS}:ticket_new")


@pytest.fixture
def a_client(client, customer):
    client.force_login(customer)
    return client


def numbered(owner, n, websites=1):
    filing = approved_filing(owner, number=f"京ICP备{2024000100 + n}号")
    for _ in range(websites - 1):
        factories.WebsiteFactory(filing=filing)
    for i, website in enumerate(filing.websites.order_by("pk"), start=1):
        Website.objects.filter(pk=website.pk).update(site_number=i)
    return filing


def cancel_url(filing):
    return reverse(f"{NS}:filing_cancel", args=[filing.pk])


def website_cancel_url(website):
    return reverse(f"{NS}:website_cancel", args=[website.filing_id, website.pk])


def test_f06_cancel_subject_with_one_filing_goes_to_its_cancel_page(a_client, customer, other_customer):
    mine = numbered(customer, 1)
    numbered(other_customer, 2)
    factories.FilingFactory(owner=customer)  # a draft: nothing to cancel
    response = a_client.get(NEW, {"type": "cancel_subject"})
    assert response.status_code == 302 and response["Location"] == cancel_url(mine)


def test_f06_cancel_subject_lists_only_own_approved_filings(a_client, customer, other_customer):
    first, second = numbered(customer, 1), numbered(customer, 2)
    theirs = numbered(other_customer, 3)
    draft = factories.FilingFactory(owner=customer)
    response = a_client.get(NEW, {"type": "cancel_subject"})
    assert response.status_code == 200
    page = response.content.decode()
    assert cancel_url(first) in page and cancel_url(second) in page
    assert cancel_url(theirs) not in page and theirs.subject.name not in page
    assert cancel_url(draft) not in page
    assert first.subject_number in page and first.websites.get().domain in page
    assert "type=cancel_subject&amp;other=1" in page  # the free-form request stays reachable


def test_f06_cancel_website_with_one_live_website_goes_to_its_cancel_page(a_client, customer, other_customer):
    mine = numbered(customer, 1)
    numbered(other_customer, 2)
    response = a_client.get(NEW, {"type": "cancel_website"})
    assert response.status_code == 302 and response["Location"] == website_cancel_url(mine.websites.get())


def test_f06_cancel_website_lists_only_own_active_websites_of_approved_filings(a_client, customer, other_customer):
    filing = numbered(customer, 1, websites=3)
    live, other_live, gone = filing.websites.order_by("pk")
    Website.objects.filter(pk=gone.pk).update(status=WebsiteStatus.CANCELLED)
    draft_site = factories.FilingFactory(owner=customer).websites.get()
    theirs = numbered(other_customer, 2).websites.get()
    response = a_client.get(NEW, {"type": "cancel_website"})
    assert response.status_code == 200
    page = response.content.decode()
    assert website_cancel_url(live) in page and website_cancel_url(other_live) in page
    assert "京ICP备2024000101号-1" in page
    for hidden in (gone, draft_site, theirs):
        assert website_cancel_url(hidden) not in page
    assert theirs.domain not in page


@pytest.mark.parametrize("type_code", ["cancel_subject", "cancel_website"])
def test_f06_no_cancellable_filing_falls_back_to_the_ticket_form(a_client, customer, other_customer, type_code):
    numbered(other_customer, 1)  # someone else's filing does not count
    factories.FilingFactory(owner=customer)  # nor my draft
    response = a_client.get(NEW, {"type": type_code})
    assert response.status_code == 200
    assert f'name="type" value="{type_code}"' in response.content.decode()
    assert 'name="cancellation_reason"' in response.content.decode()


@pytest.mark.parametrize("type_code", ["cancel_subject", "cancel_website"])
def test_f06_not_listed_gives_the_ticket_form(a_client, customer, type_code):
    numbered(customer, 1)
    response = a_client.get(NEW, {"type": type_code, "other": "1"})
    assert response.status_code == 200 and 'name="cancellation_reason"' in response.content.decode()


def test_f06_cancel_pages_refuse_another_customers_filing(a_client, other_customer):
    theirs = numbered(other_customer, 1)
    assert a_client.get(cancel_url(theirs)).status_code == 404
    assert a_client.post(website_cancel_url(theirs.websites.get())).status_code == 404
    assert Filing.objects.get(pk=theirs.pk).state == FilingState.APPROVED


def test_f06_chosen_filing_is_then_cancelled(a_client, customer):
    numbered(customer, 1)
    target = numbered(customer, 2)
    page = a_client.get(NEW, {"type": "cancel_subject"}).content.decode()
    assert cancel_url(target) in page
    assert a_client.get(cancel_url(target)).status_code == 200
    response = a_client.post(cancel_url(target), {"note": "公司已注销，申请注销主体"})
    assert response.status_code == 302
    assert Filing.objects.get(pk=target.pk).state == FilingState.CANCELLING


def test_f06_chosen_website_is_then_cancelled(a_client, customer):
    filing = numbered(customer, 1, websites=2)
    target = filing.websites.order_by("pk").last()
    page = a_client.get(NEW, {"type": "cancel_website"}).content.decode()
    assert website_cancel_url(target) in page
    refused = a_client.post(website_cancel_url(target))  # no reason given: asked again, nothing done
    assert refused.status_code == 400 and Website.objects.get(pk=target.pk).status == WebsiteStatus.ACTIVE
    response = a_client.post(website_cancel_url(target), {"note": "网站已停止运营"})
    assert response.status_code == 302
    assert Website.objects.get(pk=target.pk).status == WebsiteStatus.CANCELLING
    assert Filing.objects.get(pk=filing.pk).state == FilingState.APPROVED


@pytest.mark.parametrize("type_code", ["cancel_subject", "cancel_website"])
@pytest.mark.parametrize("size", [2, 8])
def test_f06_chooser_query_count_does_not_grow(a_client, customer, django_assert_max_num_queries, type_code, size):
    for n in range(size):
        numbered(customer, n, websites=2)
    with django_assert_max_num_queries(6):
        response = a_client.get(NEW, {"type": type_code})
    assert response.status_code == 200


def test_f06_cancellation_says_it_cannot_be_undone_and_the_customer_reads_why(
    a_client, customer, manager, django_capture_on_commit_callbacks
):
    from django.core import mail

    from wagtail_beian.services.workflow import perform_transition

    customer.email = "kehu@example.com"
    customer.save()
    filing = numbered(customer, 1)
    page = a_client.get(cancel_url(filing))
    assert "不可撤销" in page.content.decode()
    a_client.post(cancel_url(filing), {"note": "公司已停业"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        perform_transition(Filing.objects.get(pk=filing.pk), "confirm_cancellation", manager, note="已在北京管局注销完成")
    told = [m for m in mail.outbox if m.to == ["kehu@example.com"] and "已注销" in m.subject]
    assert len(told) == 1 and "原因: 已在北京管局注销完成" in told[0].body
    detail = a_client.get(reverse(f"{NS}:filing_detail", args=[filing.pk])).content.decode()
    assert "公司已停业" in detail and "已在北京管局注销完成" in detail  # the progress, with both reasons
    assert manager.get_username() not in detail  # who acted on the provider's side is not shown
