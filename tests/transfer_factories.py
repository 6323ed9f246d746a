"""Access transfers for tests: made through the real request service (validated, logged)."""

from tests import factories
from wagtail_beian.models import Filing
from wagtail_beian.services.transfers import request_transfer

PASSWORD = "s3cret-Pa55"


def approved_filing(owner, number="京ICP备2024000001号", **kwargs):
    """An approved filing here (Beijing subject) with one website that has access here."""
    filing = factories.FilingFactory(owner=owner, **kwargs)
    Filing.objects.filter(pk=filing.pk).update(state="approved", subject_number=number)
    return Filing.objects.get(pk=filing.pk)


def moving_transfer(owner, domain="move-me.cn", number="沪ICP备2099000006号-1", **extra):
    """An existing website filed elsewhere moves its access here (incoming, needs the password)."""
    return request_transfer(owner, "incoming_existing_website", {
        "filing_number": number, "organizer_name": "上海示例", "domain": domain,
        "ip": "203.0.114.9", "filing_password": PASSWORD, **extra,
    })
