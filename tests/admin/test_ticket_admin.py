"""Service support (服务支持) for staff in the Wagtail admin: queue, detail, reply, assign, resolve."""

import json

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import factories
from tests.ticket_factories import FILING_PASSWORD, SAMPLE_VALUES, TicketFactory, complete_fields
from wagtail_beian.models import Ticket, TicketMessage, TicketState
from wagtail_beian.services import tickets as services
from wagtail_beian.tickets.types import FIELDS, TYPES_BY_CODE

pytestmark = pytest.mark.django_db
INDEX = reverse("wagtail_beian_tickets:index")


def detail(ticket):
    return reverse("wagtail_beian_tickets:inspect", args=[ticket.pk])


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def password_ticket(customer):
    return services.open_ticket(
        customer, "access_existing_website", complete_fields("access_existing_website"), message="请接入"
    )


def listed(response):
    return [row.pk for row in response.context["object_list"]]


# ----------------------------------------------------------------------------- queue


def test_menu_item_is_service_support_for_both_staff_groups(client, clerk, manager):
    for user in (clerk, manager):
        client.force_login(user)
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        # the sidebar is rendered from JSON props, non-ASCII escaped
        assert json.dumps("服务支持")[1:-1] in html and INDEX in html


def test_plain_admin_user_sees_no_tickets(client):
    from django.contrib.auth.models import Permission

    plain = factories.StaffFactory(username="plain")
    plain.user_permissions.add(Permission.objects.get(codename="access_admin"))
    TicketFactory()
    client.force_login(plain)
    assert INDEX not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(INDEX).status_code == 302


def test_queue_lists_tickets_with_their_data(clerk_client, customer):
    ticket = TicketFactory(owner=customer)
    response = clerk_client.get(INDEX)
    assert response.status_code == 200 and listed(response) == [ticket.pk]
    html = response.content.decode()
    assert "新增备案 — 备案资料" in html and SAMPLE_VALUES["organizer_name"] in html and "待处理" in html


def test_queue_filters(clerk_client, customer, clerk):
    opened = TicketFactory(owner=customer)
    waiting_customer = TicketFactory(owner=customer, request_type="cancel_access")
    services.add_reply(waiting_customer, clerk, "请确认")
    resolved = services.resolve_ticket(TicketFactory(owner=customer), clerk)
    services.assign_ticket(opened, clerk, clerk)

    assert set(listed(clerk_client.get(INDEX, {"state": "resolved"}))) == {resolved.pk}
    assert set(listed(clerk_client.get(INDEX, {"request_type": "cancel_access"}))) == {waiting_customer.pk}
    assert set(listed(clerk_client.get(INDEX, {"assigned_to": clerk.pk}))) == {opened.pk}
    assert set(listed(clerk_client.get(INDEX, {"assigned_to": "null"}))) == {waiting_customer.pk, resolved.pk}
    assert set(listed(clerk_client.get(INDEX, {"waiting_for_staff": "on"}))) == {opened.pk}


@pytest.mark.parametrize("query", [
    "customer-a", "示例科技", "EXAMPLE.NET", "京ICP备17042306号", "例子。中国",
])
def test_search_by_customer_organizer_domain_and_filing_number(clerk_client, customer, other_customer, query):
    data = complete_fields("access_new_website")
    if query == "例子。中国":
        data["new_domain"] = "例子.中国"
    wanted = services.open_ticket(customer, "access_new_website", data)
    services.open_ticket(other_customer, "new_filing_conflict", {"organizer_name": "别的公司", "domain": "other.com"})
    assert listed(clerk_client.get(INDEX, {"q": query})) == [wanted.pk]


def test_search_never_finds_the_filing_password(clerk_client, password_ticket):
    assert listed(clerk_client.get(INDEX, {"q": FILING_PASSWORD})) == []


def test_queue_query_count_does_not_grow_with_tickets(clerk_client, customer, django_assert_max_num_queries):
    TicketFactory.create_batch(3, owner=customer)
    with django_assert_max_num_queries(40) as small:
        clerk_client.get(INDEX)
    TicketFactory.create_batch(40, owner=customer)
    with django_assert_max_num_queries(len(small.captured_queries)):
        clerk_client.get(INDEX)


# ----------------------------------------------------------------------------- detail


def test_detail_shows_the_type_fields_with_labels_and_never_the_password(clerk_client, password_ticket):
    response = clerk_client.get(detail(password_ticket))
    html = response.content.decode()
    assert response.status_code == 200
    for code in TYPES_BY_CODE["access_existing_website"].required:
        assert str(FIELDS[code].label)[:4] in html
    assert "备案密码" in html and "已填写" in html and "请接入" in html
    assert FILING_PASSWORD not in html
    history = clerk_client.get(reverse("wagtail_beian_tickets:history", args=[password_ticket.pk])).content.decode()
    assert FILING_PASSWORD not in history


def test_assign_form_never_shows_the_password(clerk_client, password_ticket):
    html = clerk_client.get(reverse("wagtail_beian_tickets:edit", args=[password_ticket.pk])).content.decode()
    assert FILING_PASSWORD not in html and "filing_password" not in html


# ----------------------------------------------------------------------------- actions


def test_reply_emails_the_customer(clerk_client, customer, mailoutbox, django_capture_on_commit_callbacks):
    ticket = TicketFactory(owner=customer)
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(reverse("wagtail_beian_tickets:reply", args=[ticket.pk]), {
            "body": "请上传主办单位证件。", "expected_state": "open",
        })
    assert response.status_code == 302 and response["Location"] == detail(ticket)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING_CUSTOMER
    assert TicketMessage.objects.get().is_staff
    assert [m.to for m in mailoutbox] == [[customer.email]]
    assert "请上传主办单位证件。" in mailoutbox[0].body
    assert "服务支持工单" in mailoutbox[0].subject


def test_reply_after_a_colleague_resolved_saves_nothing(clerk_client, customer, manager):
    ticket = TicketFactory(owner=customer)
    services.resolve_ticket(ticket, manager)
    response = clerk_client.post(reverse("wagtail_beian_tickets:reply", args=[ticket.pk]), {
        "body": "晚了一步", "expected_state": "open",
    })
    assert response.status_code == 302
    assert not TicketMessage.objects.exists()


def test_assign_and_link_a_filing_are_logged(clerk_client, customer, other_customer, clerk, manager):
    ticket = TicketFactory(owner=customer)
    filing = factories.FilingFactory(owner=customer)
    foreign = factories.FilingFactory(owner=other_customer)
    edit = reverse("wagtail_beian_tickets:edit", args=[ticket.pk])
    response = clerk_client.get(edit)
    assert list(response.context["form"].fields["filing"].queryset) == [filing]
    response = clerk_client.post(edit, {"assigned_to": manager.pk, "filing": foreign.pk})
    assert response.status_code == 200 and "filing" in response.context["form"].errors
    response = clerk_client.post(edit, {"assigned_to": manager.pk, "filing": filing.pk})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.assigned_to, ticket.filing) == (manager, filing)
    actions = set(ModelLogEntry.objects.filter(object_id=str(ticket.pk)).values_list("action", flat=True))
    assert {"wagtail_beian.ticket.assign", "wagtail_beian.ticket.link_filing"} <= actions


def test_only_ticket_handlers_can_be_assigned(clerk_client, customer):
    ticket = TicketFactory(owner=customer)
    outsider = factories.StaffFactory(username="outsider")
    response = clerk_client.post(reverse("wagtail_beian_tickets:edit", args=[ticket.pk]), {"assigned_to": outsider.pk})
    assert response.status_code == 200 and "assigned_to" in response.context["form"].errors


def test_resolve_purges_the_password_and_tells_the_customer(
    clerk_client, customer, password_ticket, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("wagtail_beian_tickets:transition", args=[password_ticket.pk, "resolve"])
    page = clerk_client.get(url)
    assert page.status_code == 200 and "备案密码即被删除" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(url, {"expected_state": "open"})
    assert response.status_code == 302
    ticket = Ticket.objects.get(pk=password_ticket.pk)
    assert ticket.state == TicketState.RESOLVED and ticket.filing_password_encrypted == ""
    # (the clerk's "new ticket" e-mail from the fixture is delivered in the same run)
    to_customer = [m for m in mailoutbox if m.to == [customer.email]]
    assert len(to_customer) == 1 and "已解决" in to_customer[0].subject
    assert all(FILING_PASSWORD not in m.body for m in mailoutbox)


def test_close_is_offered_only_when_possible(clerk_client, customer, clerk):
    ticket = TicketFactory(owner=customer)
    page = clerk_client.get(reverse("wagtail_beian_tickets:transition", args=[ticket.pk, "close"])).content.decode()
    assert "无法执行" in page
    clerk_client.post(reverse("wagtail_beian_tickets:transition", args=[ticket.pk, "close"]), {"expected_state": "open"})
    ticket.refresh_from_db()
    assert ticket.state == TicketState.OPEN
    services.resolve_ticket(ticket, clerk)
    clerk_client.post(reverse("wagtail_beian_tickets:transition", args=[ticket.pk, "close"]), {"expected_state": "resolved"})
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CLOSED


def test_attachment_download_is_checked_and_logged(client, clerk, customer):
    ticket = services.open_ticket(customer, "claim_filing", complete_fields("claim_filing"))
    scan = ticket.attachments.get()
    url = reverse("wagtail_beian_tickets:attachment", args=[ticket.pk, scan.pk])
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert ModelLogEntry.objects.filter(object_id=str(ticket.pk), action="wagtail_beian.ticket.attachment_download").exists()
    other = TicketFactory(owner=customer)
    assert client.get(reverse("wagtail_beian_tickets:attachment", args=[other.pk, scan.pk])).status_code == 404


def test_full_staff_path(clerk_client, client, customer, clerk):
    """Customer opens → clerk replies → customer answers → clerk resolves; history in Chinese."""
    ticket = services.open_ticket(customer, "cancel_website", complete_fields("cancel_website"))
    clerk_client.post(reverse("wagtail_beian_tickets:reply", args=[ticket.pk]), {"body": "请确认要注销的域名", "expected_state": "open"})
    services.add_reply(Ticket.objects.get(pk=ticket.pk), customer, "确认")
    clerk_client.post(reverse("wagtail_beian_tickets:transition", args=[ticket.pk, "resolve"]), {"expected_state": "waiting_staff"})
    ticket.refresh_from_db()
    assert ticket.state == TicketState.RESOLVED
    html = clerk_client.get(detail(ticket)).content.decode()
    assert "客服回复: 待处理 → 待客户回复" in html and "解决: 待客服回复 → 已解决" in html


def test_detail_query_count_does_not_grow_with_the_conversation(clerk_client, customer, clerk, django_assert_max_num_queries):
    from tests.ticket_factories import TicketAttachmentFactory, TicketMessageFactory

    ticket = TicketFactory(owner=customer)
    for _ in range(2):
        message = TicketMessageFactory(ticket=ticket)
        TicketAttachmentFactory(ticket=ticket, message=message)
    with django_assert_max_num_queries(60) as small:
        assert clerk_client.get(detail(ticket)).status_code == 200
    for _ in range(20):
        message = TicketMessageFactory(ticket=ticket, author=clerk, is_staff=True)
        TicketAttachmentFactory(ticket=ticket, message=message)
    with django_assert_max_num_queries(len(small.captured_queries)):
        clerk_client.get(detail(ticket))
