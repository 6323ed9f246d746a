"""Support tickets (服务支持) in a real Chromium: one ticket of every request type, opened by the
customer in the portal, answered by a clerk in the Wagtail admin, the answer read by the customer.

Kinds the portal hands to a workflow of their own (new/cancel access → access transfer, claim a
filing → filing claim) open no ticket: for those the walk checks that the customer lands on that
request form, and stops there; test_ticket_workflows.py walks those four to their end.

The request types and their required fields come from ``wagtail_beian.tickets.types`` (the table in
DOMAIN.md), so a new type is walked here without editing this test.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import E2E_DOMAIN
from tests.e2e.pages import (
    admin_login,
    jpeg_file,
    label,
    open_request,
    portal_login,
    portal_nav,
    zh,
)
from wagtail_beian.models import Ticket
from wagtail_beian.tickets.types import FIELDS, REQUEST_TYPES

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VALUES = {
    "organizer_name": "北京星河网络科技有限公司",
    "member_email": "it@xinghe.example.com",
    "filing_number": "京ICP备2026012345号-1",
    "domain": E2E_DOMAIN,
    "original_domain": E2E_DOMAIN,
    "new_domain": "星河文档.中国",
    "cancel_domain": E2E_DOMAIN,
    "access_domain": E2E_DOMAIN,
    "filing_password": "Beian-Mima-2026",
}


def test_a_ticket_of_every_request_type_is_opened_answered_and_read(
    new_page, live_server, e2e_settings, staff_groups, tmp_path, shot
):
    factories.UserFactory(username="xinghe", email="it@xinghe.example.com")
    clerk = factories.StaffFactory(username="clerk-li")
    clerk.groups.add(staff_groups[0])
    url = live_server.url

    customer = new_page()
    portal_login(customer, url, "xinghe")
    staff = new_page()
    admin_login(staff, url, "clerk-li")

    elsewhere = []  # request types the portal turns into their own request (not a ticket)
    for number, request_type in enumerate(REQUEST_TYPES, 1):
        type_label = zh(request_type.label)
        step = f"{number:02d}-{request_type.code}"

        # the customer opens it: choose the kind, then exactly that kind's fields
        open_request(customer, type_label)
        if "/tickets/new/" not in customer.url:
            # The portal hands this kind to its own request form and workflow (access transfers,
            # filing claims): no ticket is opened. It must still land on a form, not lose the customer.
            assert "/portal/" in customer.url and "/tickets/" not in customer.url, customer.url
            expect(customer.get_by_role("main").get_by_role("button").first).to_be_visible()
            shot(customer, f"{step}-0-portal-own-form")
            elsewhere.append(request_type.code)
            continue
        expect(customer.get_by_role("heading", name=type_label, level=1)).to_be_visible()
        for code in request_type.required:
            field = customer.get_by_label(label(zh(FIELDS[code].label)))
            if FIELDS[code].files:
                field.set_input_files(jpeg_file(tmp_path, f"{request_type.code}-licence"))
            else:
                field.fill(VALUES[code])
        customer.get_by_label(label("留言")).fill(f"请协助办理：{type_label}")
        shot(customer, f"{step}-1-portal-new")
        customer.get_by_role("button", name="提交问题").click()
        expect(customer.get_by_role("status")).to_contain_text("您的问题已提交")
        ticket_pk = int(re.search(r"/tickets/(\d+)/", customer.url).group(1))
        request = customer.get_by_role("region", name="您的问题")
        expect(request).to_contain_text("北京星河网络科技有限公司")
        if "filing_password" in request_type.required:
            expect(request).not_to_contain_text(VALUES["filing_password"])  # F10: write-only
        shot(customer, f"{step}-2-portal-opened")

        # a clerk answers it in the admin
        answer = f"您好，{type_label}的申请已收到，请按要求补充材料。（{number}）"
        staff.goto(url + reverse("wagtail_beian_tickets:inspect", args=[ticket_pk]))
        expect(staff.get_by_role("main")).to_contain_text(type_label)
        expect(staff.get_by_role("region", name="问题", exact=True)).to_contain_text("北京星河网络科技有限公司")
        staff.get_by_label(label("您的回复")).fill(answer)
        shot(staff, f"{step}-3-admin-reply")
        staff.get_by_role("button", name="发送回复").click()
        expect(staff.get_by_role("region", name="沟通记录")).to_contain_text(answer)

        # the customer reads the answer in the conversation
        portal_nav(customer, "服务支持")
        customer.get_by_role("link", name=f"#{ticket_pk}", exact=True).click()
        conversation = customer.get_by_role("region", name="沟通记录")
        reply = conversation.get_by_role("article").filter(has_text=answer)
        expect(reply).to_contain_text("客服")
        shot(customer, f"{step}-4-portal-answered")

    tickets = Ticket.objects.filter(owner__username="xinghe")
    as_tickets = sorted(t.code for t in REQUEST_TYPES if t.code not in elsewhere)
    assert sorted(tickets.values_list("request_type", flat=True)) == as_tickets
    assert len(as_tickets) >= 6, elsewhere  # the documents/conflict/change/cancellation kinds stay tickets
    assert all(t.messages.filter(is_staff=True).exists() for t in tickets)
