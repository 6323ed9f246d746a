"""The verification sheet (网站备案信息真实性核验单) and the information-security agreement
(信息安全管理协议书), generated as PDFs pre-filled from the filing.

The customer prints it, signs it (the organizer's seal for a unit) and uploads the scan; the
provider fills its own part (核验记录) on paper. It carries the date the customer signs on, which
the security agreement and the on-site photo must share (D04): the sheet is dated the day it is
generated, and says so.

fpdf2 writes it: pure Python, maintained, embeds a subset of a TrueType/OpenType font (collections
too), so the Chinese text is in the file and the sheet prints the same everywhere; no system
libraries (WeasyPrint needs Pango and Cairo). The font is a CJK font on the server:
``WAGTAIL_BEIAN_PDF_FONT`` (a path, ``"path.ttc:index"`` for a collection), or the first of
:data:`FONT_CANDIDATES` found (Debian's ``fonts-noto-cjk``).
"""

from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from .rules.domains import domain_to_unicode

#: Where a CJK font is found when ``WAGTAIL_BEIAN_PDF_FONT`` is not set: (path, index in a collection).
FONT_CANDIDATES = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # Debian fonts-noto-cjk; 2 = SC
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),  # Fedora, Arch
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # fonts-wqy-zenhei
    ("/System/Library/Fonts/PingFang.ttc", 0),  # macOS (development)
]


class FontMissing(Exception):
    """No CJK font is configured or installed: the sheet cannot be written in Chinese."""


def cjk_font():
    """(path, collection index) of the CJK font the sheets use; FontMissing if there is none."""
    configured = getattr(settings, "WAGTAIL_BEIAN_PDF_FONT", "")
    if configured:
        path, _sep, index = str(configured).partition(":")
        if Path(path).is_file():
            return path, int(index or 0)
        raise FontMissing(f"WAGTAIL_BEIAN_PDF_FONT {path} is not a file")
    for path, index in FONT_CANDIDATES:
        if Path(path).is_file():
            return path, index
    raise FontMissing("no CJK font found: install fonts-noto-cjk or set WAGTAIL_BEIAN_PDF_FONT")


class _Sheet(FPDF):
    LINE = 7

    def __init__(self, font):
        super().__init__(format="A4")
        path, index = font
        self.add_font("cjk", fname=path, collection_font_number=index)
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(18, 15, 18)
        self.add_page()

    def sheet_title(self, text):
        self.set_font("cjk", size=16)
        self.cell(0, 12, text, align="C", new_x="LMARGIN", new_y="NEXT")

    def sheet_section(self, text):
        self.ln(2)
        self.set_font("cjk", size=12)
        self.set_fill_color(232, 235, 240)
        self.cell(0, 8, text, border=1, fill=True, new_x="LMARGIN", new_y="NEXT")

    def sheet_row(self, label, value):
        """A two-column row; a long value wraps within its cell."""
        self.set_font("cjk", size=10)
        label_width, width = 48, self.epw - 48
        lines = self.multi_cell(width, self.LINE, value or "—", dry_run=True, output="LINES")
        height = self.LINE * max(1, len(lines))
        if self.will_page_break(height):
            self.add_page()
        x, y = self.get_x(), self.get_y()
        self.multi_cell(label_width, height, label, border=1)
        self.set_xy(x + label_width, y)
        self.multi_cell(width, self.LINE, value or "—", border=1, new_x="LMARGIN", new_y="NEXT")
        self.set_xy(x, y + height)

    def sheet_text(self, text, size=10):
        self.set_font("cjk", size=size)
        self.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")


def _person(holder):
    certificate = holder.responsible_certificate_type
    parts = [holder.responsible_name, f"{certificate} {holder.responsible_certificate_number}" if certificate else ""]
    return "，".join(p for p in parts if p)


def _contact(holder):
    return " / ".join(p for p in (holder.responsible_mobile, holder.responsible_landline, holder.responsible_email) if p)


def verification_sheet(filing, *, provider_name="", date=None):
    """The filing's verification sheet as PDF bytes (FontMissing without a CJK font)."""
    sheet = _Sheet(cjk_font())
    date = date or timezone.localdate()
    subject = getattr(filing, "subject", None)
    sheet.sheet_title(_("Website filing information verification sheet"))
    sheet.sheet_text(_("Filled in from the filing; check every line before signing. Date it, the security agreement "
                       "and the on-site photo with one and the same date."), size=9)

    sheet.sheet_section(_("1. The organizer (filled in by the customer)"))
    if subject is not None:
        for label, value in [
            (_("Organizer"), subject.name),
            (_("Organizer nature"), str(subject.nature or "")),
            (_("Certificate"), f"{subject.certificate_type or ''} {subject.certificate_number}".strip()),
            (_("Investor or competent authority"), subject.investor),
            (_("Certificate address"), subject.residence_address),
            (_("Mailing address"), subject.mailing_address),
            (_("Responsible person"), _person(subject)),
            (_("Phones and e-mail"), _contact(subject)),
        ]:
            sheet.sheet_row(str(label), value)

    for index, website in enumerate(filing.websites.all(), 1):
        sheet.sheet_section(_("2.%(n)s Website %(domain)s") % {"n": index, "domain": domain_to_unicode(website.domain)})
        access = website.access_records.first()
        for label, value in [
            (_("Website name"), website.name),
            (_("Domain"), domain_to_unicode(website.domain)),
            (_("Home page"), domain_to_unicode(website.homepage)),
            (_("Service contents"), "、".join(str(c) for c in website.service_contents.all())),
            (_("Pre-approval"), "、".join(str(c) for c in website.pre_approval_categories.all())
             + (f"（{website.pre_approval_document_number}）" if website.pre_approval_document_number else "")),
            (_("Website responsible person"), _person(website)),
            (_("Phones and e-mail"), _contact(website)),
            (_("Access"), f"{access.method} · {access.server_location} · {', '.join(access.ip_list)}" if access else ""),
        ]:
            sheet.sheet_row(str(label), value)

    sheet.sheet_section(_("3. The access provider"))
    sheet.sheet_row(str(_("Access provider")), provider_name)

    sheet.sheet_section(_("4. Verification record (filled in by the access provider)"))
    for label in (_("Verified by"), _("Verified on"), _("Remarks")):
        sheet.sheet_row(str(label), " ")

    sheet.ln(6)
    sheet.sheet_text(_("I confirm that the information above is true and complete."))
    sheet.ln(4)
    sheet.sheet_text(_("Signature of the organizer's responsible person (and the organizer's seal):"))
    sheet.ln(10)
    sheet.sheet_text(_("Date: %(date)s") % {"date": f"{date.year}年{date.month}月{date.day}日"})
    return bytes(sheet.output())


def security_agreement(filing, *, provider_name, clauses, date=None):
    """The information-security agreement (信息安全管理协议书) between the provider and the organizer,
    with the provider's own clauses (one paragraph per line), as PDF bytes."""
    sheet = _Sheet(cjk_font())
    date = date or timezone.localdate()
    subject = getattr(filing, "subject", None)
    sheet.sheet_title(_("Information security agreement"))
    sheet.sheet_row(str(_("Party A (access provider)")), provider_name)
    sheet.sheet_row(str(_("Party B (organizer)")), subject.name if subject is not None else "")
    sheet.sheet_row(str(_("Websites")), "、".join(
        f"{w.name}（{domain_to_unicode(w.domain)}）" for w in filing.websites.all()))
    sheet.ln(3)
    for paragraph in (line.strip() for line in clauses.splitlines()):
        if paragraph:
            sheet.sheet_text(paragraph)
            sheet.ln(1)
    sheet.ln(6)
    when = f"{date.year}年{date.month}月{date.day}日"
    sheet.sheet_text(_("Party A (seal): %(name)s") % {"name": provider_name})
    sheet.ln(8)
    sheet.sheet_text(_("Party B (signature and seal):"))
    sheet.ln(8)
    sheet.sheet_text(_("Date: %(date)s") % {"date": when})
    return bytes(sheet.output())


def agreement_file_name(filing):
    first = filing.websites.order_by("sort_order", "pk").values_list("domain", flat=True).first()
    return f"信息安全管理协议书-{domain_to_unicode(first) if first else filing.pk}.pdf"


def sheet_file_name(filing):
    first = filing.websites.order_by("sort_order", "pk").values_list("domain", flat=True).first()
    return f"网站备案信息真实性核验单-{domain_to_unicode(first) if first else filing.pk}.pdf"

