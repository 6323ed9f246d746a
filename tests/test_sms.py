"""Text messages (issue 13): the responsible person is texted when the filing is returned or
rejected, reaches the bureau (the 24-hour SMS check follows) and is approved; the backend is a
setting; a provider's failure never breaks the change."""

import logging

import pytest

from tests import factories
from wagtail_beian import sms
from wagtail_beian.sms.backends.base import BaseSmsBackend
from wagtail_beian.models import FilingState
from wagtail_beian.services.workflow import Reason, perform_transition

pytestmark = pytest.mark.django_db
REASON = [Reason("subject.mailing_address", "缺少门牌号", "补充到门牌号")]


def run(filing, name, user, **kwargs):
    return perform_transition(filing, name, user, **kwargs)


def test_the_responsible_person_is_texted_at_the_steps_that_need_them(customer, clerk, manager, settings,
                                                                      django_capture_on_commit_callbacks):
    settings.WAGTAILADMIN_BASE_URL = "https://beian.example.com"
    filing = factories.FilingFactory(owner=customer)
    mobile = filing.subject.responsible_mobile
    with django_capture_on_commit_callbacks(execute=True):
        filing = run(filing, "submit", customer)
        filing = run(filing, "return_to_customer", clerk, reasons=REASON)
    assert [(m.to, m.kind) for m in sms.outbox] == [(mobile, "returned")]
    text = sms.outbox[0].text
    assert filing.subject.name in text and "退回" in text
    assert f"https://beian.example.com/portal/filings/{filing.pk}/" in text
    factories.explain_open_reasons(filing, customer)
    with django_capture_on_commit_callbacks(execute=True):
        filing = run(filing, "submit", customer)
        factories.confirm_reasons(filing, clerk)
        filing = run(filing, "verify", clerk)
        filing = run(filing, "submit_to_bureau", manager)
        filing = run(filing, "confirm_sms", manager)
        filing = run(filing, "approve", manager, subject_number="京ICP备2026000555号")
    assert [m.kind for m in sms.outbox] == ["returned", "sms_check", "approved"]
    assert "24" in sms.outbox[1].text and "京ICP备2026000555号" in sms.outbox[2].text
    assert sms.outbox[2].params["number"] == "京ICP备2026000555号"  # for a provider's template variables


def test_the_backend_is_a_setting(customer, clerk, settings, capsys, django_capture_on_commit_callbacks):
    settings.WAGTAIL_BEIAN_SMS_BACKEND = "wagtail_beian.sms.backends.console.SmsBackend"
    filing = run(factories.FilingFactory(owner=customer), "submit", customer)
    with django_capture_on_commit_callbacks(execute=True):
        run(filing, "return_to_customer", clerk, reasons=REASON)
    assert f"SMS to {filing.subject.responsible_mobile} [returned]" in capsys.readouterr().out
    assert sms.outbox == []


class FailingBackend(BaseSmsBackend):
    def send_messages(self, messages):
        raise ConnectionError("provider unreachable")


def test_a_provider_failure_is_logged_without_the_number_and_breaks_nothing(customer, clerk, settings, caplog,
                                                                            django_capture_on_commit_callbacks):
    settings.WAGTAIL_BEIAN_SMS_BACKEND = "tests.test_sms.FailingBackend"
    filing = run(factories.FilingFactory(owner=customer), "submit", customer)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        filing = run(filing, "return_to_customer", clerk, reasons=REASON)
    assert filing.state == FilingState.RETURNED
    assert "not sent" in caplog.text and filing.subject.responsible_mobile not in caplog.text


def test_no_mobile_no_message(customer, clerk, django_capture_on_commit_callbacks):
    filing = factories.FilingFactory(owner=customer)
    filing = run(filing, "submit", customer)
    type(filing.subject).objects.filter(pk=filing.subject.pk).update(responsible_mobile="")
    filing.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        run(filing, "return_to_customer", clerk, reasons=REASON)
    assert sms.outbox == []
