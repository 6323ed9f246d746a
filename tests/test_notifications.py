"""E-mails: queued with the transition, sent after commit, retried on failure, never breaking it."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests import factories
from wagtail_beian.models import OutgoingEmail
from wagtail_beian.notifications.outbox import MAX_ATTEMPTS, deliver_pending
from wagtail_beian.services.workflow import Reason, perform_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_with_mail(customer):
    customer.email = "kehu@example.com"
    customer.save()
    return customer


def test_customer_gets_an_email_at_each_visible_transition(customer_with_mail, clerk, django_capture_on_commit_callbacks):
    clerk.email = "clerk@example.com"
    clerk.save()
    filing = factories.FilingFactory(owner=customer_with_mail)
    with django_capture_on_commit_callbacks(execute=True):
        filing = perform_transition(filing, "submit", customer_with_mail)
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == ["clerk@example.com", "kehu@example.com"]  # staff hear of a new submission
    customer_mail = next(m for m in mail.outbox if m.to == ["kehu@example.com"])
    assert "待核实" in customer_mail.subject
    assert customer_mail.alternatives and customer_mail.alternatives[0][1] == "text/html"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        perform_transition(filing, "return_to_customer", clerk, reasons=[Reason("subject.name", "名称不符", "按执照填写")])
    assert [m.to for m in mail.outbox] == [["kehu@example.com"]]
    assert "名称不符" in mail.outbox[0].body and "按执照填写" in mail.outbox[0].body


def test_a_refused_transition_sends_nothing(customer_with_mail, other_customer, django_capture_on_commit_callbacks):
    filing = factories.FilingFactory(owner=customer_with_mail)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Exception):
            perform_transition(filing, "submit", other_customer)
    assert mail.outbox == [] and not OutgoingEmail.objects.exists()


@override_settings(EMAIL_BACKEND="tests.test_notifications.BrokenBackend")
def test_sending_failure_never_breaks_the_transition_and_is_retried(customer_with_mail, django_capture_on_commit_callbacks):
    filing = factories.FilingFactory(owner=customer_with_mail)
    with django_capture_on_commit_callbacks(execute=True):
        filing = perform_transition(filing, "submit", customer_with_mail)
    assert filing.state == "submitted"
    queued = OutgoingEmail.objects.get(to="kehu@example.com")
    assert queued.sent_at is None and queued.attempts == 1 and "SMTP" in queued.last_error
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert deliver_pending(now=queued.next_attempt_at) == (1, 0)
    queued.refresh_from_db()
    assert queued.sent_at is not None and len(mail.outbox) == 1
    assert deliver_pending(now=queued.next_attempt_at) == (0, 0)  # never sent twice


@override_settings(EMAIL_BACKEND="tests.test_notifications.BrokenBackend")
def test_retries_stop_after_max_attempts(customer_with_mail):
    OutgoingEmail.objects.create(to="kehu@example.com", subject="s", text="t")
    from django.utils import timezone

    later = timezone.now()
    for _ in range(MAX_ATTEMPTS + 3):
        later += __import__("datetime").timedelta(days=1)
        deliver_pending(now=later)
    assert OutgoingEmail.objects.get().attempts == MAX_ATTEMPTS


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("SMTP server went away")


@override_settings(WAGTAILADMIN_BASE_URL="https://beian.example.com")
def test_filing_emails_name_the_filing_link_where_the_reader_acts_and_label_each_reason(
    customer_with_mail, clerk, django_capture_on_commit_callbacks
):
    from wagtail_beian.services.fields import field_labels

    clerk.email = "clerk@example.com"
    clerk.save()
    filing = factories.FilingFactory(owner=customer_with_mail)
    domain = filing.websites.first().domain
    with django_capture_on_commit_callbacks(execute=True):
        filing = perform_transition(filing, "submit", customer_with_mail)
    staff = next(m for m in mail.outbox if m.to == ["clerk@example.com"])
    assert f"https://beian.example.com/admin/beian/filings/inspect/{filing.pk}/" in staff.body
    assert filing.subject.name in staff.subject and domain in staff.body and f"#{filing.pk}" not in staff.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        perform_transition(filing, "return_to_customer", clerk, reasons=[
            Reason("subject.mailing_address", "缺少门牌号", "补充到门牌号"),
        ])
    body = mail.outbox[0].body
    label = field_labels(filing)["subject.mailing_address"]
    assert f"{label}：缺少门牌号" in body and "补充到门牌号" in body
    portal = "https://beian.example.com" + reverse("wagtail_beian_portal:filing_detail", args=[filing.pk])
    assert portal in body and f'href="{portal}"' in mail.outbox[0].alternatives[0][0]
