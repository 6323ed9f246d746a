"""Factories and sample data for service-support tickets (服务支持).

``complete_fields(type_code)`` gives valid values for every field of a request type, enumerated
from the types data (so a new type or field is covered without editing the tests).
"""

import hashlib

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from tests.factories import UserFactory, png_bytes, valid_resident_id
from wagtail_beian import models as m
from wagtail_beian.tickets.types import FIELDS, TYPES_BY_CODE
from wagtail_beian.uploads import CleanUpload

FILING_PASSWORD = "Pa55-秘密-word!"

#: A valid value for each ticket field (files: a list of cleaned scans).
SAMPLE_VALUES = {
    "organizer_name": "北京示例科技有限公司",
    "member_email": "owner@example.com",
    "filing_number": "京ICP备17042306号-1",
    "domain": "example.com",
    "original_domain": "example.com",
    "new_domain": "example.net",
    "cancel_domain": "example.org",
    "access_domain": "example.cn",
    "filing_password": FILING_PASSWORD,
    "site_name": "示例博客",
    "site_ip": "114.114.114.114",
    "pre_approval_note": "无",
    "responsible_name": "张三",
    "responsible_certificate_type": "resident_id",
    "responsible_certificate_number": valid_resident_id(17),
    "responsible_office_phone": "010-62345678",
    "responsible_mobile": "13800138000",
    "responsible_email": "zhangsan@example.com",
    "cancellation_reason": "网站停止运营",
}


def clean_png(name="scan.png", width=320, height=240):
    data = png_bytes(width, height)
    return CleanUpload(
        content=data, content_type="image/png", extension=".png", original_name=name, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), width=width, height=height,
    )


def sample_value(code):
    if FIELDS[code].files:
        return [clean_png("licence.png")]
    return SAMPLE_VALUES[code]


def complete_fields(type_code, *, optional=True):
    request_type = TYPES_BY_CODE[type_code]
    codes = request_type.field_codes if optional else request_type.required
    return {code: sample_value(code) for code in codes}


def required_only(type_code):
    return complete_fields(type_code, optional=False)


class TicketFactory(DjangoModelFactory):
    """An open ticket of type "new filing — documents" (no password, no files)."""

    class Meta:
        model = m.Ticket

    owner = factory.SubFactory(UserFactory)
    request_type = "new_filing_documents"
    fields = factory.LazyAttribute(lambda t: {
        code: SAMPLE_VALUES[code] for code in TYPES_BY_CODE[t.request_type].field_codes
        if code in SAMPLE_VALUES and not FIELDS[code].secret
    })


class TicketMessageFactory(DjangoModelFactory):
    class Meta:
        model = m.TicketMessage

    ticket = factory.SubFactory(TicketFactory)
    author = factory.LazyAttribute(lambda message: message.ticket.owner)
    body = "请帮忙处理。"
    is_staff = False


class TicketAttachmentFactory(DjangoModelFactory):
    class Meta:
        model = m.TicketAttachment

    ticket = factory.SubFactory(TicketFactory)
    original_name = "scan.png"
    content_type = "image/png"
    file = factory.LazyFunction(lambda: ContentFile(png_bytes(320, 240), name="scan.png"))
    size = factory.LazyAttribute(lambda a: a.file.size)
    sha256 = factory.LazyAttribute(lambda a: hashlib.sha256(png_bytes(320, 240)).hexdigest())
    uploaded_by = factory.LazyAttribute(lambda a: a.ticket.owner)
