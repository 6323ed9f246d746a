"""Access transfers, issue 5 part: one open transfer per domain (service and database), ownership of
local filings, double submit, tickets, e-mail at each step (F07, W05, F10)."""

import json
import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from wagtail.models import ModelLogEntry

from tests import factories
from tests.ticket_factories import TicketFactory
from tests.transfer_factories import PASSWORD, approved_filing, moving_transfer
from wagtail_beian.models import (
    Access,
    AccessTransfer,
    CertificateType,
    OutgoingEmail,
    TransferState,
)
from wagtail_beian.services.transfers import (
    request_transfer,
    transfer_from_ticket,
    transfer_reasons,
)
from wagtail_beian.services.workflow import Reason, perform_transition
from wagtail_beian.crypto import decrypt_secret
from wagtail_beian.services.tickets import open_ticket

T = TransferState
pytestmark = pytest.mark.django_db
NUMBER = "京ICP备2024000001号"


def refused(owner, direction, data, field, code):
    before = AccessTransfer.objects.count()
    with pytest.raises(ValidationError) as info:
        request_transfer(owner, direction, data)
    assert field in info.value.error_dict, info.value.message_dict
    assert code in [e.code for e in info.value.error_dict[field]], info.value.error_dict
    assert AccessTransfer.objects.count() == before
    return " ".join(info.value.message_dict[field])


def new_website_data(**overrides):
    data = {
        "filing_number": NUMBER, "organizer_name": "示例有限公司", "original_domain": "", "new_domain": "added.cn",
        "new_site_name": "新网站", "ip": "203.0.114.10", "pre_approval_note": "无", "responsible_name": "王五",
        "responsible_certificate_type": "resident_id", "responsible_certificate_number": factories.valid_resident_id(42),
        "responsible_landline": "010-62345678", "responsible_mobile": "13912345678", "responsible_email": "w@example.com",
    }
    data.update(overrides)
    return data


@pytest.fixture
def mails(customer, clerk, manager):
    customer.email = "kehu@example.com"
    customer.save()
    clerk.email = "clerk@example.com"
    clerk.save()
    manager.email = "manager@example.com"
    manager.save()
    return customer


# ------------------------------------------------------------------ one open transfer per domain (F07)


def test_f07_second_open_transfer_for_the_same_domain_is_refused_at_the_field(customer):
    moving_transfer(customer)
    message = refused(customer, "incoming_existing_website", {
        "filing_number": "沪ICP备2099000006号-1", "organizer_name": "上海示例", "domain": "MOVE-ME.cn",
        "ip": "203.0.114.9", "filing_password": PASSWORD,
    }, "domain", "open_transfer")
    assert "move-me.cn" in message


def test_f07_open_incoming_blocks_a_cancel_of_the_same_domain(customer):
    filing = approved_filing(customer)
    site = filing.websites.get()
    factories.AccessFactory(website=site)
    request_transfer(customer, "outgoing_cancel", {
        "filing_number": NUMBER, "organizer_name": filing.subject.name, "domain": site.domain,
    })
    refused(customer, "outgoing_cancel", {
        "filing_number": NUMBER, "organizer_name": filing.subject.name, "domain": site.domain,
    }, "domain", "open_transfer")


def test_w05_second_open_request_for_the_same_new_domain_is_refused(customer):
    filing = approved_filing(customer)
    data = new_website_data(original_domain=filing.websites.get().domain)
    request_transfer(customer, "incoming_new_website", data)
    refused(customer, "incoming_new_website", data, "new_domain", "open_transfer")


def test_f07_after_completion_or_refusal_a_new_transfer_may_start(customer, clerk):
    first = moving_transfer(customer)
    perform_transition(first, "refuse", clerk, reasons=[Reason("ip", "IP 不在本机房", "填写本公司的 IP")])
    second = moving_transfer(customer)
    assert second.pk != first.pk and second.state == T.REQUESTED


def test_f07_database_refuses_two_open_transfers_of_one_domain(customer):
    first = moving_transfer(customer)
    duplicate = AccessTransfer(
        owner=customer, direction="outgoing_cancel", filing_number=first.filing_number, organizer_name="x",
        domain=first.domain,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    AccessTransfer.objects.filter(pk=first.pk).update(state=T.COMPLETED)
    duplicate.pk = None
    duplicate.save()  # a closed transfer no longer blocks the domain
    assert duplicate.target_domain == "move-me.cn"


def test_f07_race_past_the_check_is_reported_at_the_field(customer, monkeypatch):
    """Two requests pass the check at once: the constraint refuses the second with the same message."""
    from wagtail_beian.services import transfers

    moving_transfer(customer)
    monkeypatch.setattr(transfers, "_check_no_open_transfer", lambda transfer, add: None)
    refused(customer, "incoming_existing_website", {
        "filing_number": "沪ICP备2099000006号-1", "organizer_name": "上海示例", "domain": "move-me.cn",
        "ip": "203.0.114.9", "filing_password": PASSWORD,
    }, "domain", "open_transfer")


# ------------------------------------------------------------------ ownership of local records


def test_f07_incoming_for_another_customers_filing_is_refused_without_naming_it(customer, other_customer):
    theirs = approved_filing(other_customer)
    site = theirs.websites.get()
    message = refused(customer, "incoming_new_website", new_website_data(original_domain=site.domain),
                      "filing_number", "not_yours")
    assert site.domain not in message and theirs.subject.name not in message and "北京" not in message


def test_f07_wrong_province_on_another_customers_filing_says_the_same_as_any_of_theirs(customer, other_customer):
    """No other check runs first: the province, the domains and the access of their filing stay unknown."""
    approved_filing(other_customer)
    right = refused(customer, "incoming_existing_website", {
        "filing_number": NUMBER + "-1", "organizer_name": "x", "domain": "unknown.cn", "ip": "203.0.114.7",
        "filing_password": PASSWORD,
    }, "filing_number", "not_yours")
    wrong = refused(customer, "incoming_existing_website", {
        "filing_number": "津ICP备2024000001号-1", "organizer_name": "x", "domain": "unknown.cn", "ip": "203.0.114.7",
        "filing_password": PASSWORD,
    }, "filing_number", "not_yours")
    assert right == wrong


def test_f07_cancel_access_of_another_customers_website_is_refused(customer, other_customer):
    theirs = approved_filing(other_customer, number="京ICP备2024000002号")
    site = theirs.websites.get()
    factories.AccessFactory(website=site)
    refused(customer, "outgoing_cancel", {
        "filing_number": "沪ICP备2099000009号", "organizer_name": "x", "domain": site.domain,
    }, "domain", "not_yours")
    assert Access.objects.filter(website=site).exists()


def test_f07_existing_website_filed_by_another_customer_does_not_leak_its_number(customer, other_customer):
    theirs = approved_filing(other_customer, number="京ICP备2024000003号")
    site = factories.WebsiteFactory(filing=theirs, domain="theirs.cn", access=False)
    message = refused(customer, "incoming_existing_website", {
        "filing_number": "沪ICP备2099000010号-1", "organizer_name": "x", "domain": site.domain,
        "ip": "203.0.114.7", "filing_password": PASSWORD,
    }, "domain", "not_yours")
    assert "2024000003" not in message


def test_certificate_type_may_be_given_by_its_code_and_a_wrong_code_is_refused(customer):
    transfer = request_transfer(customer, "incoming_new_website", new_website_data(
        filing_number="沪ICP备2099000011号", original_domain="elsewhere.cn", new_domain="elsewhere-new.cn",
    ))
    assert transfer.responsible_certificate_type == CertificateType.objects.get(code="resident_id")
    refused(customer, "incoming_new_website", new_website_data(
        filing_number="沪ICP备2099000011号", original_domain="elsewhere.cn", new_domain="other-new.cn",
        responsible_certificate_type="nonsense",
    ), "responsible_certificate_type", "invalid")


# ------------------------------------------------------------------ double submit


def test_the_same_form_posted_twice_requests_one_transfer(customer):
    key = uuid.uuid4()
    data = {"filing_number": "沪ICP备2099000006号-1", "organizer_name": "上海示例", "domain": "twice.cn",
            "ip": "203.0.114.9", "filing_password": PASSWORD}
    first = request_transfer(customer, "incoming_existing_website", data, submission_key=key)
    second = request_transfer(customer, "incoming_existing_website", data, submission_key=key)
    assert first.pk == second.pk and AccessTransfer.objects.count() == 1


# ------------------------------------------------------------------ W05: a new website of an approved subject


def test_w05_new_website_of_an_approved_subject_goes_through_the_provider_to_the_bureau(customer, clerk, manager):
    filing = approved_filing(customer)
    new_site = factories.WebsiteFactory(filing=filing, domain="added.cn", access=False)
    transfer = request_transfer(customer, "incoming_new_website", new_website_data(
        original_domain=filing.websites.exclude(pk=new_site.pk).get().domain,
    ))
    assert transfer.filing == filing and transfer.website == new_site and transfer.target_domain == "added.cn"
    transfer = perform_transition(transfer, "verify", clerk)
    assert transfer.verified_at and transfer.submitted_at is None
    transfer = perform_transition(transfer, "submit_to_bureau", manager)
    assert transfer.submitted_at >= transfer.verified_at
    transfer = perform_transition(transfer, "complete", manager)
    assert Access.objects.get(website=new_site).ip_list == ["203.0.114.10"]


# ------------------------------------------------------------------ support tickets


def ticket_of(owner, request_type, fields):
    return open_ticket(owner, request_type, fields)


def test_f07_cancel_access_ticket_starts_the_transfer_for_its_customer(customer, clerk, manager):
    filing = approved_filing(customer)
    site = filing.websites.get()
    factories.AccessFactory(website=site)
    ticket = ticket_of(customer, "cancel_access", {
        "organizer_name": filing.subject.name, "filing_number": NUMBER, "access_domain": site.domain,
    })
    from wagtail_beian.services.transfers import initial_from_ticket

    data = initial_from_ticket(ticket)
    assert data == {"filing_number": NUMBER, "organizer_name": filing.subject.name, "domain": site.domain}
    transfer = transfer_from_ticket(ticket, clerk, data)
    assert transfer.owner == customer and transfer.ticket == ticket and transfer.direction == "outgoing_cancel"
    ticket.refresh_from_db()
    assert ticket.filing == filing and ticket.access_transfer == transfer
    request_entry = ModelLogEntry.objects.for_instance(transfer).get(action="wagtail_beian.accesstransfer.request")
    assert request_entry.user == clerk
    perform_transition(perform_transition(perform_transition(transfer, "verify", clerk), "submit_to_bureau", manager),
                       "complete", manager)
    assert not Access.objects.filter(website=site).exists()


def test_f10_existing_website_ticket_hands_its_password_over_encrypted(customer, clerk):
    ticket = ticket_of(customer, "access_existing_website", {
        "organizer_name": "上海示例", "filing_number": "沪ICP备2099000006号-1", "original_domain": "from-ticket.cn",
        "filing_password": PASSWORD,
    })
    from wagtail_beian.services.transfers import initial_from_ticket

    data = initial_from_ticket(ticket)
    assert "filing_password" not in data and data["domain"] == "from-ticket.cn"
    with pytest.raises(ValidationError) as info:
        transfer_from_ticket(ticket, clerk, data)  # the ticket has no IP: staff must complete it
    assert "ip" in info.value.error_dict and not AccessTransfer.objects.exists()
    transfer = transfer_from_ticket(ticket, clerk, {**data, "ip": "203.0.114.20"})
    assert decrypt_secret(transfer.filing_password_encrypted) == PASSWORD
    for entry in ModelLogEntry.objects.all():
        assert PASSWORD not in json.dumps(entry.data, ensure_ascii=False)


def test_a_ticket_of_another_type_starts_no_transfer(customer, clerk):
    ticket = TicketFactory(owner=customer)
    if ticket.request_type in ("cancel_access", "access_new_website", "access_existing_website"):
        pytest.skip("factory made a transfer ticket")
    with pytest.raises(ValidationError):
        transfer_from_ticket(ticket, clerk, {})


# ------------------------------------------------------------------ notifications


def test_f07_staff_and_customer_hear_of_a_request_and_customer_of_each_step(
    mails, clerk, manager, django_capture_on_commit_callbacks
):
    customer = mails
    with django_capture_on_commit_callbacks(execute=True):
        transfer = moving_transfer(customer)
    assert sorted(m.to[0] for m in mail.outbox) == ["clerk@example.com", "kehu@example.com", "manager@example.com"]
    staff_mail = next(m for m in mail.outbox if m.to == ["clerk@example.com"])
    assert "move-me.cn" in staff_mail.body and f"/beian/transfers/inspect/{transfer.pk}/" in staff_mail.body
    for message in mail.outbox:
        assert PASSWORD not in message.body and PASSWORD not in message.alternatives[0][0]
    mail.outbox.clear()
    for name, user, label in (("verify", clerk, "核实"), ("submit_to_bureau", manager, "管局"), ("complete", manager, "")):
        with django_capture_on_commit_callbacks(execute=True):
            transfer = perform_transition(transfer, name, user)
        assert [m.to for m in mail.outbox] == [["kehu@example.com"]], name
        assert transfer.get_state_display() in mail.outbox[0].body
        mail.outbox.clear()
    assert OutgoingEmail.objects.count() == 3 + 3


def test_f07_refusal_email_carries_every_reason(mails, clerk, django_capture_on_commit_callbacks):
    customer = mails
    with django_capture_on_commit_callbacks(execute=True):
        transfer = moving_transfer(customer)
    mail.outbox.clear()
    reasons = [Reason("ip", "IP 不是本公司的", "填写本公司分配的 IP"), Reason("domain", "域名未解析", "")]
    with django_capture_on_commit_callbacks(execute=True):
        perform_transition(transfer, "refuse", clerk, reasons=reasons)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "IP 不是本公司的" in body and "填写本公司分配的 IP" in body and "域名未解析" in body
    listed = transfer_reasons(transfer)
    assert [r["problem"] for r in listed] == ["IP 不是本公司的", "域名未解析"]
    assert listed[0]["action"] == "refuse"


def test_f07_a_refused_request_sends_nothing(mails, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        request_transfer(mails, "incoming_existing_website", {"filing_number": "x"})
    assert mail.outbox == [] and not OutgoingEmail.objects.exists()


def test_f07_sandbox_demo_has_transfers_in_progress_requested_and_refused():
    from django.core.management import call_command

    call_command("beian_demo", admin_password="admin-pass-123")
    states = dict(AccessTransfer.objects.values_list("direction", "state"))
    assert states == {
        "outgoing_cancel": T.PROVIDER_VERIFIED, "incoming_new_website": T.REQUESTED, "incoming_existing_website": T.REFUSED,
    }
    assert AccessTransfer.objects.get(direction="outgoing_cancel").ticket.request_type == "cancel_access"
    assert transfer_reasons(AccessTransfer.objects.get(state=T.REFUSED))[0]["field"] == "ip"
