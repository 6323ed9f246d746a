"""Text messages (短信) to customers, through a pluggable backend like Django's ``EMAIL_BACKEND``.

The big clouds text the filing's responsible person at the steps that need them (returned,
submitted to the bureau — whose 24-hour SMS check follows —, approved). Which backend sends them is
the setting ``WAGTAIL_BEIAN_SMS_BACKEND`` (a dotted path):

- ``wagtail_beian.sms.backends.dummy.SmsBackend`` (the default): sends nothing;
- ``wagtail_beian.sms.backends.console.SmsBackend``: writes each message to standard output
  (development, the sandbox);
- ``wagtail_beian.sms.backends.locmem.SmsBackend``: keeps them in ``wagtail_beian.sms.outbox`` (tests);
- a provider's: subclass :class:`~wagtail_beian.sms.backends.base.BaseSmsBackend` and implement
  ``send_messages`` with the provider's SDK (docs/deployment.md shows one for Alibaba Cloud SMS).
  Providers in mainland China send only approved templates: each message carries its ``kind`` and
  ``params``, which map to the provider's template code and variables; ``text`` is the rendered
  Chinese text, for backends that send free text.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "wagtail_beian.sms.backends.dummy.SmsBackend"

#: Messages the locmem backend sent (tests read and clear it, like ``django.core.mail.outbox``).
outbox = []


@dataclass(frozen=True)
class TextMessage:
    to: str  #: a mainland mobile number, 11 digits
    kind: str  #: what it says (``returned``, ``sms_check``, ``approved``): the provider's template
    text: str  #: the message in Chinese, rendered
    params: dict = field(default_factory=dict)  #: the template's variables


def get_backend():
    return import_string(getattr(settings, "WAGTAIL_BEIAN_SMS_BACKEND", DEFAULT_BACKEND))()


def send_messages(messages):
    """Send through the configured backend; the number it sent."""
    messages = [m for m in messages if m.to]
    return get_backend().send_messages(messages) if messages else 0
