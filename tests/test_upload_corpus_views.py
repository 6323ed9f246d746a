"""The upload attack corpus through the real portal views, not only ``validate_upload``.

Every hostile file is posted to the filing wizard's documents step and as a support-ticket
attachment: refused with 400, no Document / Ticket / TicketAttachment row, and not one new file
in the private storage folder. Files that are valid images carrying something hostile (a
JPEG/HTML polyglot, ``../`` and look-alike names) are accepted but neutralised: stored under a
random name inside the private folder, script bytes gone, the name shown is a safe basename.
"""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.test_tickets_portal import post_data
from tests.test_uploads import (
    HEIC,
    HTML,
    MB,
    SVG,
    docx_bytes,
    gif_bytes,
    jpeg_bytes,
    make_pdf,
    png_claiming,
    stored_files,
)
from wagtail_beian.models import Document, Ticket, TicketAttachment

pytestmark = pytest.mark.django_db

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# (id, bytes, name the browser sends)
HOSTILE = [
    ("html-as-jpg", HTML, "id-front.jpg"),
    ("svg-with-script", SVG, "id-front.svg"),
    ("svg-named-png", SVG, "id-front.png"),
    ("html-after-png-signature", PNG_SIGNATURE + HTML, "scan.png"),
    ("pdf-openaction-javascript", make_pdf(b"/OpenAction 5 0 R", [b"<< /S /JavaScript /JS (app.alert(1)) >>"]), "a.pdf"),
    ("pdf-hex-escaped-javascript", make_pdf(b"/Names << /J#61vaScript 5 0 R >>", [b"<< /Names [] >>"]), "a.pdf"),
    ("pdf-launch-action", make_pdf(b"/AA << /WC 5 0 R >>", [b"<< /S /Launch /F (cmd.exe) >>"]), "a.pdf"),
    ("pdf-embedded-file", make_pdf(b"/Names << /EmbeddedFiles 5 0 R >>",
                                   [b"<< /Type /EmbeddedFile /Length 0 >>\nstream\n\nendstream"]), "a.pdf"),
    ("decompression-bomb-50k", png_claiming(50_000, 50_000), "bomb.png"),
    ("decompression-bomb-48mpx", png_claiming(8_000, 6_000), "bomb.png"),
    ("zero-bytes", b"", "empty.jpg"),
    ("huge", jpeg_bytes()[:4] + b"\x00" * (5 * MB + 1), "huge.jpg"),
    ("gif", gif_bytes(), "scan.gif"),
    ("docx", docx_bytes(), "scan.docx"),
    ("exe-as-jpg", b"MZ\x90\x00\x03" + b"\x00" * 200, "scan.jpg"),
    ("heic", HEIC, "IMG_0001.HEIC"),
    ("jpeg-magic-only", b"\xff\xd8\xff\xe0" + b"\x00" * 300, "scan.jpg"),
    ("traversal-name-html", HTML, "../../../srv/www/index.html"),
    ("confusable-name-html", HTML, "..／..／licence．jpg"),
]

POLYGLOT = jpeg_bytes() + b"<html><body><script>fetch('/admin/').then(alert)</script></body></html>"
# (id, bytes, name sent, name shown): valid scans with a hostile payload or name
NEUTRALISED = [
    ("jpeg-html-polyglot", POLYGLOT, "licence.jpg", "licence.jpg"),
    ("dot-dot-slash-name", jpeg_bytes(), "../../etc/passwd.jpg", "passwd.jpg"),
    ("backslash-name", jpeg_bytes(), "..\\..\\windows\\system.ini.jpg", "system.ini.jpg"),
    ("fullwidth-solidus-name", jpeg_bytes(), "..／..／x.jpg", "x.jpg"),
    ("division-slash-name", jpeg_bytes(), "..∕..∕x.jpg", "x.jpg"),
    ("rtl-override-name", jpeg_bytes(), "scan\u202egnp.jpg", "scangnp.jpg"),
    ("fullwidth-letters-name", jpeg_bytes(), "ＩＤ　ｃａｒｄ．ｊｐｇ", "IDcard.jpg"),  # multipart drops the space
]


def test_the_corpus_covers_the_issue_list():
    ids = {case[0] for case in HOSTILE} | {case[0] for case in NEUTRALISED}
    for needed in ("html-as-jpg", "svg-with-script", "jpeg-html-polyglot", "pdf-openaction-javascript",
                   "decompression-bomb-50k", "zero-bytes", "huge", "dot-dot-slash-name", "fullwidth-solidus-name"):
        assert needed in ids
    assert len(HOSTILE) + len(NEUTRALISED) >= 25


@pytest.fixture
def draft(client, customer):
    client.force_login(customer)
    return factories.FilingFactory(owner=customer, documents=False)


def post_scan(client, filing, data, name):
    return client.post(reverse("wagtail_beian_portal:filing_documents", args=[filing.pk]), {
        "slot": "organizer_certificate:", "file": SimpleUploadedFile(name, data, content_type="image/jpeg"),
    })


@pytest.mark.parametrize("case,data,name", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_scan_is_refused_by_the_wizard_and_nothing_is_stored(client, draft, case, data, name):
    before = stored_files()
    response = post_scan(client, draft, data, name)
    assert response.status_code == 400, case
    assert response.context["slots"] and any(
        slot["form"] is not None and slot["form"].errors.get("file") for slot in response.context["slots"])
    assert not Document.objects.exists()
    assert stored_files() == before


@pytest.mark.parametrize("case,data,name", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_ticket_attachment_is_refused_and_nothing_is_stored(client, draft, case, data, name):
    before = stored_files()
    payload = post_data("new_filing_documents")
    for code, value in list(payload.items()):
        if hasattr(value, "read"):  # every file field of the form gets the hostile file
            payload[code] = SimpleUploadedFile(name, data, content_type="image/jpeg")
    payload["attachments"] = SimpleUploadedFile(name, data, content_type="image/jpeg")
    response = client.post(reverse("wagtail_beian_portal:ticket_new"), payload)
    assert response.status_code == 400, case
    assert not Ticket.objects.exists() and not TicketAttachment.objects.exists()
    assert stored_files() == before


@pytest.mark.parametrize("case,data,name,shown", NEUTRALISED, ids=[c[0] for c in NEUTRALISED])
def test_valid_scan_with_hostile_payload_or_name_is_stored_neutralised(client, draft, case, data, name, shown):
    before = set(stored_files())
    response = post_scan(client, draft, data, name)
    assert response.status_code == 302, case
    document = Document.objects.get()
    assert document.original_name == shown
    new = set(stored_files()) - before
    assert len(new) == 1
    (path,) = new
    root = os.path.realpath(os.path.dirname(document.file.path))
    assert os.path.realpath(path) == os.path.realpath(document.file.path) and root.startswith(
        os.path.realpath(document.file.storage.location))
    stored_name = os.path.basename(path)
    assert stored_name != shown and ".." not in stored_name and len(stored_name) >= 20  # random, not the client's
    with open(path, "rb") as handle:
        content = handle.read()
    assert b"<script" not in content and b"<html" not in content
