"""Factories for every model; the sandbox's demo data uses them too.

Numbers are real: check digits are computed with python-stdnum, so every factory-made filing
passes pre-flight unless a test breaks it on purpose.
"""

import datetime
import io
import struct
import zlib

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from stdnum.cn import ric, uscc

from wagtail_beian import models as m
from wagtail_beian.rules import documents as kinds
from wagtail_beian.services.reasons import answer_reason, settle_reason

# ----------------------------------------------------------------------------- numbers


def org_code_check_char(base8):
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(base8, weights))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def valid_uscc(n, division="110108"):
    """A USCC with valid check digits (embedded organisation code and the whole number)."""
    org = f"{n % 10**8:08d}"
    body = f"91{division}{org}{org_code_check_char(org)}"
    return body + uscc.calc_check_digit(body)


def valid_resident_id(n, division="110105", birth=datetime.date(1985, 6, 15)):
    body = f"{division}{birth:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def subject_number_for(province_abbreviation, n):
    return f"{province_abbreviation}ICP备{2024000000 + n}号"


# ------------------------------------------------------------------------------ files


def png_bytes(width=64, height=48, colour=(200, 30, 30)):
    """A real PNG image (valid signature, IHDR, IDAT and CRCs)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(colour) * width
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b"")


def pdf_bytes(text="wagtail-beian"):
    """A minimal, well-formed one-page PDF."""
    out = io.BytesIO()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>",
    ]
    stream = f"BT /F1 12 Tf 10 50 Td ({text}) Tj ET".encode()
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


# ---------------------------------------------------------------------------- factories


def code(model, value):
    return model.objects.get(code=value)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"customer{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = "测试"
    password = factory.django.Password("password-123")


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True


class HolidayOverrideFactory(DjangoModelFactory):
    class Meta:
        model = m.HolidayOverride
        django_get_or_create = ("date",)

    date = datetime.date(2027, 1, 1)
    is_workday = False
    note = "元旦"


class ProvinceFactory(DjangoModelFactory):
    """Provinces are seeded by migration; this fetches one by code."""

    class Meta:
        model = m.Province
        django_get_or_create = ("code",)

    code = "11"


class FilingFactory(DjangoModelFactory):
    """A complete draft filing of an enterprise in Beijing with one website and all documents."""

    class Meta:
        model = m.Filing
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)

    subject = factory.RelatedFactory("tests.factories.SubjectFactory", factory_related_name="filing")
    websites = factory.RelatedFactoryList(
        "tests.factories.WebsiteFactory", factory_related_name="filing", size=1
    )
    #: True (default): every required scan, already accepted by the provider; "pending": uploaded,
    #: not reviewed yet (F02: verification then waits for the review); False: none.
    documents = factory.PostGeneration(lambda filing, create, extracted, **kw: create and extracted is not False and add_required_documents(
        filing, review_status=m.ReviewStatus.PENDING if extracted == "pending" else m.ReviewStatus.ACCEPTED))


class SubjectFactory(DjangoModelFactory):
    class Meta:
        model = m.Subject

    class Params:
        individual = factory.Trait(
            nature=factory.LazyFunction(lambda: code(m.OrganizerNature, "individual")),
            certificate_type=factory.LazyFunction(lambda: code(m.CertificateType, "resident_id")),
            certificate_number=factory.Sequence(lambda n: valid_resident_id(n, birth=datetime.date(1990, 1, 2))),
            name=factory.Sequence(lambda n: f"张{'三四五六七八九十'[n % 8]}{n}"),
            responsible_name=factory.SelfAttribute("name"),
            responsible_certificate_number=factory.SelfAttribute("certificate_number"),
        )

    filing = factory.SubFactory(FilingFactory, subject=None, websites=[], documents=False)
    nature = factory.LazyFunction(lambda: code(m.OrganizerNature, "enterprise"))
    name = factory.Sequence(lambda n: f"北京示例科技有限公司{n}")
    certificate_type = factory.LazyFunction(lambda: code(m.CertificateType, "uscc"))
    certificate_number = factory.Sequence(lambda n: valid_uscc(n + 1))
    investor = factory.SelfAttribute("name")
    province = factory.LazyFunction(lambda: code(m.Province, "11"))
    residence_address = "北京市海淀区中关村大街27号"
    mailing_address = "北京市海淀区中关村大街27号1101室"
    responsible_name = factory.Sequence(lambda n: f"李{n}")
    responsible_certificate_type = factory.LazyFunction(lambda: code(m.CertificateType, "resident_id"))
    responsible_certificate_number = factory.Sequence(lambda n: valid_resident_id(n + 500))
    responsible_mobile = factory.Sequence(lambda n: f"138{n % 10**8:08d}")
    responsible_landline = "010-62345678"
    responsible_email = factory.Sequence(lambda n: f"owner{n}@example.com")


class WebsiteFactory(DjangoModelFactory):
    class Meta:
        model = m.Website
        skip_postgeneration_save = True

    filing = factory.SubFactory(FilingFactory, websites=[])
    name = factory.Sequence(lambda n: f"示例技术文档{n}")
    domain = factory.Sequence(lambda n: f"example-{n}.cn")
    homepage = factory.LazyAttribute(lambda w: f"www.{w.domain}")
    responsible_name = factory.LazyAttribute(lambda w: w.filing.subject.responsible_name if hasattr(w.filing, "subject") else "李四")
    responsible_certificate_type = factory.LazyFunction(lambda: code(m.CertificateType, "resident_id"))
    responsible_certificate_number = factory.LazyAttribute(
        lambda w: w.filing.subject.responsible_certificate_number if hasattr(w.filing, "subject") else valid_resident_id(7)
    )
    responsible_mobile = factory.LazyAttribute(lambda w: w.filing.subject.responsible_mobile if hasattr(w.filing, "subject") else "13900000000")
    responsible_landline = "010-62345678"
    responsible_email = factory.LazyAttribute(lambda w: w.filing.subject.responsible_email if hasattr(w.filing, "subject") else "site@example.com")

    @factory.post_generation
    def access(self, create, extracted, **kwargs):
        if create and extracted is not False:
            AccessFactory(website=self)


class AccessFactory(DjangoModelFactory):
    class Meta:
        model = m.Access

    website = factory.SubFactory(WebsiteFactory)
    method = factory.LazyFunction(lambda: code(m.AccessMethod, "cloud_server"))
    server_location = "北京"
    ip_addresses = factory.Sequence(lambda n: f"101.200.{n // 250 % 250}.{n % 250 + 1}")


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = m.Document

    filing = factory.SubFactory(FilingFactory, documents=False)
    kind = kinds.ORGANIZER_CERTIFICATE
    file = factory.LazyFunction(lambda: ContentFile(png_bytes(), name="scan.png"))
    original_name = "scan.png"
    content_type = "image/png"
    size = factory.LazyAttribute(lambda d: d.file.size)
    document_date = None


def add_required_documents(filing, date=None, review_status=m.ReviewStatus.ACCEPTED):
    """Upload every document pre-flight requires (D01–D04), all dated alike, reviewed as
    ``review_status`` (accepted: what the provider's review leaves before verification, F02)."""
    from wagtail_beian.services.documents import required_documents_for

    date = date or timezone.localdate(filing.created_at)
    websites = {w.pk: w for w in filing.websites.all()}
    for req in required_documents_for(filing):
        dated = req.kind in kinds.DATED_TOGETHER
        is_pdf = req.kind in (kinds.SECURITY_AGREEMENT, kinds.VERIFICATION_SHEET)
        DocumentFactory(
            filing=filing, kind=req.kind, website=websites.get(req.website_key),
            file=ContentFile(pdf_bytes() if is_pdf else png_bytes(), name="scan.pdf" if is_pdf else "scan.png"),
            original_name=f"{req.kind}.{'pdf' if is_pdf else 'png'}",
            content_type="application/pdf" if is_pdf else "image/png",
            document_date=date if dated else None, review_status=review_status,
        )


class FilingReasonFactory(DjangoModelFactory):
    class Meta:
        model = m.FilingReason

    filing = factory.SubFactory(FilingFactory)
    transition = m.ReasonTransition.RETURN
    field = "subject.mailing_address"
    problem = "通信地址缺少门牌号"
    suggestion = "请补充到门牌号"


def explain_open_reasons(filing, customer, text="已核对，填写无误"):
    """The customer explains every open reason instead of changing its field (F03), as the portal does."""
    for reason in filing.open_reasons():
        answer_reason(reason, customer, text)


def confirm_reasons(filing, clerk):
    """The clerk confirms every reason not yet settled (F03), as the admin's 确认 button does."""
    for reason in filing.unsettled_reasons():
        settle_reason(reason, clerk, "confirm")
