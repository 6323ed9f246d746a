"""Access transfers (F07) for staff in the Wagtail admin: listing, detail, transitions, start from a ticket."""

import json

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import factories
from tests.transfer_factories import PASSWORD, approved_filing, moving_transfer
from wagtail_beian.models import Access, AccessTransfer, TransferState
from wagtail_beian.services.tickets import open_ticket

T = TransferState
pytestmark = pytest.mark.django_db
INDEX = reverse("wagtail_beian_transfers:index")


def detail(transfer):
    return reverse("wagtail_beian_transfers:inspect", args=[transfer.pk])


def transition_url(transfer, name):
    return reverse("wagtail_beian_transfers:transition", args=[transfer.pk, name])


def listed(response):
    return [row.pk for row in response.context["object_list"]]


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def test_menu_has_access_transfers_in_the_icp_filings_group(clerk_client):
    html = clerk_client.get(reverse("wagtailadmin_home")).content.decode()
    assert json.dumps("ICP备案")[1:-1] in html and INDEX in html


def test_listing_filters_by_state_and_direction_and_searches_domain_and_number(clerk_client, customer, clerk):
    moving = moving_transfer(customer, domain="例子.中国")
    other = moving_transfer(customer, domain="second.cn", number="粤ICP备2099000007号-2")
    from wagtail_beian.services.workflow import perform_transition

    perform_transition(other, "verify", clerk)
    assert set(listed(clerk_client.get(INDEX))) == {moving.pk, other.pk}
    assert listed(clerk_client.get(INDEX, {"state": "provider_verified"})) == [other.pk]
    assert listed(clerk_client.get(INDEX, {"direction": "outgoing_cancel"})) == []
    assert set(listed(clerk_client.get(INDEX, {"direction": "incoming_existing_website"}))) == {moving.pk, other.pk}
    assert listed(clerk_client.get(INDEX, {"q": "例子。中国"})) == [moving.pk]
    assert listed(clerk_client.get(INDEX, {"q": "xn--fsqu00a.xn--fiqs8s"})) == [moving.pk]
    assert listed(clerk_client.get(INDEX, {"q": "粤ICP备2099000007号"})) == [other.pk]
    assert listed(clerk_client.get(INDEX, {"q": PASSWORD})) == []


def test_listing_query_count_does_not_grow_with_transfers(clerk_client, customer, django_assert_max_num_queries):
    for n in range(3):
        moving_transfer(customer, domain=f"small{n}.cn")
    with django_assert_max_num_queries(40) as small:
        assert clerk_client.get(INDEX).status_code == 200
    for n in range(40):
        moving_transfer(customer, domain=f"large{n}.cn")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = clerk_client.get(INDEX)
    assert len(listed(response)) == 43


def test_detail_shows_request_links_and_history_never_the_password(clerk_client, customer):
    filing = approved_filing(customer)
    site = factories.WebsiteFactory(filing=filing, domain="moving.cn", access=False)
    transfer = moving_transfer(customer, domain="moving.cn", number="京ICP备2024000001号-2")
    response = clerk_client.get(detail(transfer))
    html = response.content.decode()
    assert response.status_code == 200
    assert "moving.cn" in html and "已填写" in html and PASSWORD not in html
    assert reverse("wagtail_beian_filings:inspect", args=[filing.pk]) in html and site.domain in html
    assert transition_url(transfer, "verify") in html and transition_url(transfer, "refuse") in html
    assert transition_url(transfer, "complete") not in html
    assert "申请" in html  # the request in the history, in Chinese


def test_detail_masks_the_certificate_number_for_a_clerk(clerk_client, customer, client, manager):
    from tests.test_transfer_rules import new_website_data
    from wagtail_beian.services.transfers import request_transfer

    data = new_website_data(filing_number="沪ICP备2099000011号", original_domain="a-old.cn", new_domain="a-new.cn")
    transfer = request_transfer(customer, "incoming_new_website", data)
    number = transfer.responsible_certificate_number
    html = clerk_client.get(detail(transfer)).content.decode()
    assert number not in html and number[-4:] in html
    client.force_login(manager)
    assert number in client.get(detail(transfer)).content.decode()


def test_f07_staff_take_a_transfer_through_to_completion_with_csrf_posts(customer, clerk, manager):
    from django.test import Client

    filing = approved_filing(customer)
    site = filing.websites.get()
    factories.AccessFactory(website=site)
    from wagtail_beian.services.transfers import request_transfer

    transfer = request_transfer(customer, "outgoing_cancel", {
        "filing_number": "京ICP备2024000001号", "organizer_name": filing.subject.name, "domain": site.domain,
    })
    for user, name, state in ((clerk, "verify", T.PROVIDER_VERIFIED), (manager, "submit_to_bureau", T.SUBMITTED_TO_BUREAU),
                              (manager, "complete", T.COMPLETED)):
        csrf_client = Client(enforce_csrf_checks=True)
        csrf_client.force_login(user)
        page = csrf_client.get(transition_url(transfer, name))
        assert page.status_code == 200
        assert csrf_client.post(transition_url(transfer, name), {"expected_state": transfer.state}).status_code == 403
        token = page.cookies["csrftoken"].value
        response = csrf_client.post(
            transition_url(transfer, name), {"expected_state": transfer.state, "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302 and response["Location"] == detail(transfer)
        transfer.refresh_from_db()
        assert transfer.state == state
    assert not Access.objects.filter(website=site).exists()


def test_clerk_cannot_submit_to_bureau_the_button_is_absent_and_the_post_refused(clerk_client, customer, clerk):
    from wagtail_beian.services.workflow import perform_transition

    transfer = perform_transition(moving_transfer(customer), "verify", clerk)
    assert transition_url(transfer, "submit_to_bureau") not in clerk_client.get(detail(transfer)).content.decode()
    page = clerk_client.get(transition_url(transfer, "submit_to_bureau"))  # why not, and no form
    assert page.status_code == 200 and 'name="expected_state"' not in page.content.decode()
    clerk_client.post(transition_url(transfer, "submit_to_bureau"), {"expected_state": transfer.state})
    assert AccessTransfer.objects.get(pk=transfer.pk).state == T.PROVIDER_VERIFIED


def test_refuse_needs_a_reason_then_the_customer_sees_it(clerk_client, customer):
    transfer = moving_transfer(customer)
    url = transition_url(transfer, "refuse")
    page = clerk_client.get(url)
    assert page.status_code == 200 and 'value="ip"' in page.content.decode()
    management = {"reasons-TOTAL_FORMS": "3", "reasons-INITIAL_FORMS": "0", "expected_state": "requested"}
    assert clerk_client.post(url, management).status_code == 400
    assert AccessTransfer.objects.get(pk=transfer.pk).state == T.REQUESTED
    response = clerk_client.post(url, {**management, "reasons-0-field": "ip", "reasons-0-problem": "IP 不属于本公司",
                                       "reasons-0-suggestion": "填写本公司的 IP"})
    assert response.status_code == 302
    assert AccessTransfer.objects.get(pk=transfer.pk).state == T.REFUSED
    html = clerk_client.get(detail(transfer)).content.decode()
    assert "IP 不属于本公司" in html


def test_stale_page_is_a_concurrent_change_and_saves_nothing(clerk_client, customer, clerk):
    from wagtail_beian.services.workflow import perform_transition

    transfer = moving_transfer(customer)
    perform_transition(transfer, "verify", clerk)
    response = clerk_client.post(transition_url(transfer, "verify"), {"expected_state": "requested"}, follow=True)
    assert AccessTransfer.objects.get(pk=transfer.pk).state == T.PROVIDER_VERIFIED
    assert response.status_code == 200


def test_unknown_transition_is_404(clerk_client, customer):
    transfer = moving_transfer(customer)
    assert clerk_client.get(reverse("wagtail_beian_transfers:transition", args=[transfer.pk, "delete"])).status_code == 404


# ----------------------------------------------------------------------------- from a support ticket


def test_f07_staff_start_the_transfer_pre_filled_from_a_ticket(clerk_client, customer, clerk):
    ticket = open_ticket(customer, "access_existing_website", {
        "organizer_name": "上海示例", "filing_number": "沪ICP备2099000006号-1", "original_domain": "from-ticket.cn",
        "filing_password": PASSWORD,
    })
    ticket_page = clerk_client.get(reverse("wagtail_beian_tickets:inspect", args=[ticket.pk])).content.decode()
    url = reverse("wagtail_beian_transfers:from_ticket", args=[ticket.pk])
    assert url in ticket_page
    page = clerk_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and 'value="from-ticket.cn"' in html and PASSWORD not in html
    form = {"filing_number": "沪ICP备2099000006号-1", "organizer_name": "上海示例", "domain": "from-ticket.cn"}
    response = clerk_client.post(url, form)
    assert response.status_code == 400 and not AccessTransfer.objects.exists()  # the IP is missing
    response = clerk_client.post(url, {**form, "ip": "203.0.114.30"})
    transfer = AccessTransfer.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(transfer)
    assert transfer.owner == customer and transfer.ticket == ticket and transfer.has_filing_password
    # a second visit leads to the transfer, never a second one
    assert clerk_client.get(url)["Location"] == detail(transfer)
    assert detail(transfer) in clerk_client.get(reverse("wagtail_beian_tickets:inspect", args=[ticket.pk])).content.decode()
    entry = ModelLogEntry.objects.for_instance(ticket).get(action="wagtail_beian.ticket.start_transfer")
    assert entry.user == clerk


def test_plain_admin_user_gets_nothing(client, customer):
    from django.contrib.auth.models import Permission

    plain = factories.StaffFactory(username="plain")
    plain.user_permissions.add(Permission.objects.get(codename="access_admin"))
    transfer = moving_transfer(customer)
    client.force_login(plain)
    assert INDEX not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(INDEX).status_code == 302
    assert client.get(detail(transfer)).status_code in (302, 404)
    client.post(transition_url(transfer, "verify"), {"expected_state": "requested"})
    assert AccessTransfer.objects.get(pk=transfer.pk).state == T.REQUESTED


# ----------------------------------------------------------------------------- F10: revealing the password


def test_f10_the_filing_password_is_revealed_once_per_post_to_a_holder_of_the_permission_and_logged(
    client, customer, clerk, manager
):
    from tests.transfer_factories import PASSWORD
    from wagtail.models import ModelLogEntry

    transfer = moving_transfer(customer)
    reveal = reverse("wagtail_beian_transfers:reveal_password", args=[transfer.pk])
    client.force_login(clerk)  # may verify, may not reveal
    assert reveal not in client.get(detail(transfer)).content.decode()
    assert client.post(reveal).status_code == 302 and not ModelLogEntry.objects.filter(
        action="wagtail_beian.accesstransfer.reveal_password").exists()
    client.force_login(manager)
    assert reveal in client.get(detail(transfer)).content.decode()
    confirm = client.get(reveal)
    assert PASSWORD not in confirm.content.decode()  # a GET never shows it
    shown = client.post(reveal)
    assert shown.status_code == 200 and PASSWORD in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    entry = ModelLogEntry.objects.get(action="wagtail_beian.accesstransfer.reveal_password")
    assert entry.user == manager and PASSWORD not in str(entry.data)
    assert PASSWORD not in client.get(detail(transfer)).content.decode()


def test_f10_no_password_is_revealed_once_the_transfer_is_closed(client, customer, clerk, manager):
    from tests.transfer_factories import PASSWORD
    from wagtail_beian.services.workflow import perform_transition

    transfer = moving_transfer(customer)
    perform_transition(transfer, "refuse", clerk, reasons=[{"field": "ip", "problem": "IP不属于本接入商", "suggestion": ""}])
    client.force_login(manager)
    response = client.post(reverse("wagtail_beian_transfers:reveal_password", args=[transfer.pk]), follow=True)
    assert PASSWORD not in response.content.decode()
