"""Text messages (短信) at the filing steps that need the responsible person: returned or rejected
(fix it), submitted to the bureau (reply to the bureau's SMS check within 24 hours), approved (the
number). Sent after the change commits, by a task, through the configured SMS backend
(:mod:`wagtail_beian.sms`); a failure is logged (the mobile masked) and never breaks the change.
"""

import logging
from dataclasses import asdict

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from .. import sms
from ..models import Filing
from .filings import filing_title, portal_url
from .outbox import LANGUAGE

logger = logging.getLogger(__name__)

#: transition → what the message says (its template, and the provider's template code)
KINDS = {
    "return_to_customer": "returned",
    "fail_sms": "returned",
    "reject": "rejected",
    "submit_to_bureau": "sms_check",
    "approve": "approved",
}


def message_for(filing, kind):
    """The text message of ``kind`` about ``filing`` to its responsible person, or None without a mobile."""
    subject = getattr(filing, "subject", None)
    mobile = subject.responsible_mobile if subject is not None else ""
    if not mobile:
        return None
    params = {"title": filing_title(filing), "number": filing.subject_number, "url": portal_url(filing)}
    with translation.override(LANGUAGE):
        text = " ".join(render_to_string(f"wagtail_beian/sms/{kind}.txt", params).split())
    return sms.TextMessage(to=mobile, kind=kind, text=text, params=params)


def transition_performed(sender, instance, name, **kwargs):
    kind = KINDS.get(name)
    if kind is None or not isinstance(instance, Filing):
        return
    message = message_for(instance, kind)
    if message is not None:
        transaction.on_commit(lambda: _enqueue(message))


def _enqueue(message):
    try:
        deliver_text_message.enqueue(asdict(message))
    except Exception:  # noqa: BLE001 - no task backend: the e-mail still tells the customer
        logger.exception("wagtail_beian: could not enqueue a text message (%s)", message.kind)


@task()
def deliver_text_message(message):
    """Send one text message; a failure is logged with the mobile masked."""
    message = sms.TextMessage(**message)
    try:
        return sms.send_messages([message])
    except Exception:  # noqa: BLE001 - a provider's error must not surface as the task's crash loop
        logger.exception("wagtail_beian: text message %s to %s*** not sent", message.kind, message.to[:3])
        return 0
