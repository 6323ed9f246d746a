"""E-mails to customers, in their language (zh-Hans), plain text and HTML.

Sending never breaks the caller: failures are logged and reported as not sent.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def _send(template, context, to, language="zh-hans"):
    if not to:
        return False
    with translation.override(language):
        subject = " ".join(render_to_string(f"wagtail_beian/emails/{template}_subject.txt", context).split())
        text = render_to_string(f"wagtail_beian/emails/{template}.txt", context)
        html = render_to_string(f"wagtail_beian/emails/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:  # noqa: BLE001 - a mail server problem must not break the staff's work
        logger.exception("wagtail_beian: could not send %s e-mail (filing reminder)", template)
        return False
    return True


def send_reminder(filing):
    """Tell the customer what is still missing and the next deadline; True when sent."""
    from .admin.filings import deadline_text, missing_summary
    from .services.preflight import CodeSnapshot, load_for_preflight

    loaded = load_for_preflight(filing)
    with translation.override("zh-hans"):
        context = {
            "filing": loaded,
            "missing": missing_summary(loaded, CodeSnapshot.load()),
            "reasons": list(loaded.open_reasons()),
            "deadline": deadline_text(loaded),
        }
    return _send("reminder", context, filing.owner.email)
