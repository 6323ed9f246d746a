"""The one staff transition view (admin/transitions.py) behaves the same for every state machine."""

import pytest
from django.urls import reverse

from tests import factories
from tests.admin.test_filing_admin import reasons_data, submitted, text
from tests.ticket_factories import TicketFactory
from tests.transfer_factories import moving_transfer
from wagtail_beian.models import AccessTransfer, Filing, FilingReason, FilingState, Ticket
from wagtail_beian.services.workflow import perform_transition

pytestmark = pytest.mark.django_db


def transition(namespace, obj, name):
    return reverse(f"{namespace}:transition", args=[obj.pk, name])


@pytest.mark.parametrize("kind", ["filing", "transfer", "ticket"])
def test_a_transition_not_possible_now_says_why_and_offers_no_form(client, customer, clerk, kind):
    obj, namespace, name = {
        "filing": lambda: (factories.FilingFactory(owner=customer), "wagtail_beian_filings", "verify"),
        "transfer": lambda: (moving_transfer(customer), "wagtail_beian_transfers", "complete"),
        "ticket": lambda: (TicketFactory(owner=customer), "wagtail_beian_tickets", "close"),
    }[kind]()
    client.force_login(clerk)
    page = client.get(transition(namespace, obj, name))
    assert page.status_code == 200 and 'name="expected_state"' not in page.content.decode()
    assert "无法执行" in text(page) or "权限" in text(page)


def test_a_half_filled_reason_comes_back_at_its_field_and_nothing_is_saved(client, customer, clerk):
    filing = submitted(customer)
    client.force_login(clerk)
    data = {"expected_state": "submitted", **reasons_data(("subject.name", "", "改成营业执照上的名称"))}
    response = client.post(transition("wagtail_beian_filings", filing, "return_to_customer"), data)
    assert response.status_code == 400
    assert response.context["reasons"].forms[0].errors["problem"] == ["请说明此字段存在的问题。"]
    assert Filing.objects.get(pk=filing.pk).state == FilingState.SUBMITTED and not FilingReason.objects.exists()


def test_a_refusal_by_the_service_comes_back_at_the_form(client, customer, clerk, manager):
    filing = submitted(customer)
    for name, user in [("verify", clerk), ("submit_to_bureau", manager), ("confirm_sms", manager)]:
        filing = perform_transition(filing, name, user)
    client.force_login(manager)
    # the organizer is in Beijing: a Shanghai number is refused by the approval (models/approval.py)
    response = client.post(transition("wagtail_beian_filings", filing, "approve"),
                           {"expected_state": "bureau_review", "subject_number": "沪ICP备2024000001号"})
    assert response.status_code == 400 and "subject_number" in response.context["form"].errors
    assert Filing.objects.get(pk=filing.pk).state == FilingState.BUREAU_REVIEW


def test_a_colleague_who_was_faster_is_reported_on_the_detail_page(client, customer, clerk):
    transfer = moving_transfer(customer)
    perform_transition(transfer, "verify", clerk)
    client.force_login(clerk)
    response = client.post(transition("wagtail_beian_transfers", transfer, "verify"), {"expected_state": "requested"},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("wagtail_beian_transfers:inspect", args=[transfer.pk])
    assert "同事" in text(response)
    assert AccessTransfer.objects.get(pk=transfer.pk).state == "provider_verified"


def test_ticket_resolve_through_the_same_view_is_logged_with_its_label(client, customer, clerk):
    ticket = TicketFactory(owner=customer)
    client.force_login(clerk)
    client.post(transition("wagtail_beian_tickets", ticket, "resolve"), {"expected_state": ticket.state})
    assert Ticket.objects.get(pk=ticket.pk).state == "resolved"
    history = client.get(reverse("wagtail_beian_tickets:history", args=[ticket.pk]))
    assert "已解决" in text(history)
