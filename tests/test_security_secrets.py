"""Secrets never in logs or e-mails: a full run with every log record captured, then searched.

The run: a customer opens a support ticket with a filing password (备案密码) in the portal and
requests an access transfer with one; staff handle both; a filing goes through return, fix and
approval with e-mails; the deadline monitor and the e-mail sender run; scans are downloaded and
staff open the listing, search and detail.

Searched afterwards:
- every log record (root logger at DEBUG, SQL included): never the plaintext filing password
  (the SQL carries only its ciphertext);
- every log record except the SQL, every e-mail sent and queued, and the Wagtail audit log:
  never a full certificate or ID number either.
"""

import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests import factories
from tests.test_tickets_portal import post_data
from tests.test_transfers import NUMBER, filed, through
from tests.ticket_factories import FILING_PASSWORD
from wagtail_beian.models import AccessTransfer, OutgoingEmail, Ticket
from wagtail_beian.services.transfers import request_transfer
from wagtail_beian.services.workflow import Reason, perform_transition

pytestmark = pytest.mark.django_db(transaction=False)

TRANSFER_PASSWORD = "Tr4nsfer-密码-xyz"


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append((record.name, self.format(record)))


@pytest.fixture
def captured_logs():
    handler = Capture()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(args)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    # propagate everything, SQL included (Django logs queries only with a debug cursor)
    loggers = [logging.getLogger(name) for name in ("django", "django.db.backends", "django.request", "wagtail")]
    levels = [(lg, lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.propagate = True
    connection.force_debug_cursor = True
    try:
        yield handler.records
    finally:
        connection.force_debug_cursor = False
        root.removeHandler(handler)
        root.setLevel(old_level)
        for lg, level, propagate in levels:
            lg.setLevel(level)
            lg.propagate = propagate


def full_run(client, customer, clerk, manager):
    # a filing that goes round: submit, returned with a reason, fixed, verified ... approved
    filing = factories.FilingFactory(owner=customer)
    filing = perform_transition(filing, "submit", customer)
    filing = perform_transition(filing, "return_to_customer", clerk,
                                reasons=[Reason("subject.name", "名称与证件不一致", "按证件填写")])
    factories.explain_open_reasons(filing, customer)
    filing = perform_transition(filing, "submit", customer)
    factories.confirm_reasons(filing, clerk)
    for name, user, kw in [("verify", clerk, {}), ("submit_to_bureau", manager, {}), ("confirm_sms", manager, {}),
                           ("approve", manager, {"subject_number": "京ICP备2024000777号"})]:
        filing = perform_transition(filing, name, user, **kw)

    # the customer: a support ticket with a filing password, through the portal
    client.force_login(customer)
    response = client.post(reverse("wagtail_beian_portal:ticket_new"), post_data("cancel_subject"))
    assert response.status_code == 302, response.content[:500]
    ticket = Ticket.objects.get(owner=customer, request_type="cancel_subject")
    # ... and an access transfer with another one
    approved = filed(customer)
    factories.WebsiteFactory(filing=approved, domain="moving.cn", access=False)
    transfer = request_transfer(customer, "incoming_existing_website", {
        "filing_number": NUMBER + "-2", "organizer_name": approved.subject.name, "domain": "moving.cn",
        "ip": "203.0.114.7", "filing_password": TRANSFER_PASSWORD,
    })
    # the customer downloads a scan
    assert client.get(reverse("wagtail_beian:document_download", args=[filing.documents.first().pk])).status_code == 200

    # staff: answer and resolve the ticket, open the listing (searching a certificate number), the filing
    client.force_login(manager)
    ticket_url = reverse("wagtail_beian_tickets:reply", args=[ticket.pk])
    assert client.post(ticket_url, {"body": "已收到，正在处理。", "expected_state": ticket.state}).status_code == 302
    assert client.post(reverse("wagtail_beian_tickets:transition", args=[ticket.pk, "resolve"]), {}).status_code == 302
    listing = reverse("wagtail_beian_filings:index")
    assert client.get(listing, {"q": filing.subject.certificate_number}).status_code == 200
    assert client.get(reverse("wagtail_beian_filings:inspect", args=[filing.pk])).status_code == 200
    through(transfer, clerk, manager)
    assert AccessTransfer.objects.get(pk=transfer.pk).state == "completed"

    # the deadline monitor and the outbox sender (cron)
    call_command("beian_deadlines")
    call_command("beian_send_email")
    return filing, approved


def personal_numbers(*filings):
    numbers = set()
    for filing in filings:
        subject = filing.subject
        numbers |= {subject.certificate_number, subject.responsible_certificate_number}
        for website in filing.websites.all():
            numbers.add(getattr(website, "responsible_certificate_number", ""))
    return {n for n in numbers if n and len(n) >= 15}


def test_no_password_or_certificate_number_in_logs_emails_or_audit_log(client, customer, clerk, manager,
                                                                         captured_logs):
    filing, approved = full_run(client, customer, clerk, manager)
    numbers = personal_numbers(filing, approved)
    passwords = {FILING_PASSWORD, TRANSFER_PASSWORD}
    sql = [text for name, text in captured_logs if name.startswith("django.db.backends")]
    # django.template's DEBUG records dump whole template contexts (here the request, whose query
    # string is the certificate number the clerk searched for): a framework diagnostic, off below
    # DEBUG (production logs at WARNING). They are searched for passwords, not for the numbers.
    other = [text for name, text in captured_logs
             if not name.startswith(("django.db.backends", "django.template"))]
    template_debug = [text for name, text in captured_logs if name.startswith("django.template")]

    # the capture saw the run: the SQL stored the certificate numbers (proof the search can find them)
    assert len(sql) > 200 and any(n in text for text in sql for n in numbers)
    assert numbers and len(numbers) >= 2

    for text in sql + other + template_debug:
        for secret in passwords:
            assert secret not in text, text[:300]
    for text in other:
        for number in numbers:
            assert number not in text, text[:300]

    emails = [(m.subject, m.body, *[body for body, _type in getattr(m, "alternatives", [])]) for m in mail.outbox]
    emails += list(OutgoingEmail.objects.values_list("subject", "text", "html"))
    assert len(emails) >= 5
    for parts in emails:
        for part in parts:
            for secret in passwords | numbers:
                assert secret not in (part or ""), (secret, (part or "")[:300])

    for entry in ModelLogEntry.objects.all():
        text = f"{entry.label} {entry.data}"
        for secret in passwords | numbers:
            assert secret not in text, (entry.action, text[:300])
