"""Uploaded scans and attachments: checked by content, cleaned, stored under random names.

One place for every upload (portal documents, ticket attachments, admin)::

    clean = validate_upload(request.FILES["scan"])        # or a form with a ScanField
    Document(file=clean.as_content_file(), original_name=clean.original_name,
             content_type=clean.content_type, size=clean.size, sha256=clean.sha256, ...)

``validate_upload`` raises ``ValidationError`` (message in the user's language saying what is
wrong and what to upload instead, one ``code`` per rule) for anything but a sane JPEG, PNG or PDF
within the size limit. What it guarantees for what it accepts:

- The type comes from the content (magic bytes), never from the name or the browser's header; a
  name whose extension names another type (a PDF called ``.jpg``) is refused: in identity
  documents that ambiguity is a red flag, and the customer can fix it in seconds.
- Images are decoded only after their header-declared size passed the pixel limits (Pillow opens
  lazily), then re-encoded: EXIF (GPS, camera, serial numbers), XMP, comments, PNG text chunks and
  anything appended after the image (HTML/script polyglots) are gone; EXIF orientation is applied
  first so photos stay upright, and colours are converted to sRGB when an ICC profile is present.
- PDFs are kept byte for byte, but refused when encrypted or when they name JavaScript, automatic
  actions, launch actions, embedded files, rich media or XFA forms — also when the name is written
  with ``#xx`` escapes (``/J#61vaScript``) or hidden inside a compressed object stream.

Limits of the PDF check, on purpose: it reads the file as bytes, it does not parse the object
graph. It errs towards refusing (a name seen anywhere outside an image's raw data counts), and the
download view adds the second line of defence (attachment, ``nosniff``, CSP ``sandbox``).
Pillow's global ``ImageFile.LOAD_TRUNCATED_IMAGES`` must stay ``False`` (its default) for the
truncation check to work.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
import zlib
from dataclasses import dataclass
from typing import ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
DEFAULT_ALLOWED = (JPEG, PNG, PDF)

DEFAULT_MAX_UPLOAD_SIZE = 5 * 1024 * 1024

# A scan must be readable (>= MIN_SIDE) and must not be a decompression bomb.
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
MIN_SIDE = 200
JPEG_QUALITY = 92

NAME_MAX_LENGTH = 100

# Extension written for each type, and the extensions a name may carry for it.
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}
NAME_EXTENSIONS = {JPEG: {".jpg", ".jpeg", ".jpe", ".jfif"}, PNG: {".png"}, PDF: {".pdf"}}
ACCEPT = {JPEG: ".jpg,.jpeg", PNG: ".png", PDF: ".pdf"}
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG"}

# Suffixes that name a file type. Only these count as "the extension" when comparing the name
# with the content: "身份证 v1.2" has no extension, "scan.exe" has one that lies about a JPEG.
KNOWN_EXTENSIONS = set().union(*NAME_EXTENSIONS.values()) | {
    ".gif", ".webp", ".heic", ".heif", ".avif", ".bmp", ".tif", ".tiff", ".svg", ".svgz",
    ".html", ".htm", ".xhtml", ".xml", ".js", ".php", ".asp", ".aspx", ".jsp", ".exe", ".dll",
    ".bat", ".cmd", ".com", ".scr", ".msi", ".sh", ".zip", ".rar", ".7z", ".gz", ".tar",
    ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".rtf", ".txt", ".csv",
}

# Characters that look like a path separator. NFKC already folds the full-width ones ("／" "＼"),
# these it leaves alone.
_SLASH_LOOKALIKES = str.maketrans({
    c: "/" for c in "\\\u2044\u2215\u2216\u2571\u2572\u29f5\u29f8\u29f9\ufe68\u1735\u0337\u0338"
})
_FORBIDDEN_IN_NAMES = re.compile(r'[<>:"|?*]')

# ----------------------------------------------------------------------------- messages

KIND_NAMES = {
    JPEG: _("a JPEG image"),
    PNG: _("a PNG image"),
    PDF: _("a PDF"),
}
ALLOWED_KINDS = {
    frozenset({JPEG, PNG, PDF}): _("a JPEG or PNG image or a PDF"),
    frozenset({JPEG, PNG}): _("a JPEG or PNG image"),
    frozenset({JPEG, PDF}): _("a JPEG image or a PDF"),
    frozenset({PNG, PDF}): _("a PNG image or a PDF"),
    frozenset({JPEG}): KIND_NAMES[JPEG],
    frozenset({PNG}): KIND_NAMES[PNG],
    frozenset({PDF}): KIND_NAMES[PDF],
}

MESSAGES = {
    "empty": _(
        "The file is empty (0 bytes). Choose the scan again and upload it; if it is still empty, "
        "scan or photograph the document again."
    ),
    "too_large": _(
        "The file is larger than %(limit)s. Compress the image or scan at a lower resolution "
        "(200 to 300 dpi is enough), then upload it again."
    ),
    "unsupported_type": _(
        "This file is not %(kinds)s (its content was checked, not its name). Save or export the "
        "scan as %(kinds)s and upload it again."
    ),
    "other_type": _("This file is %(found)s; only %(kinds)s can be uploaded here."),
    "heic": _(
        "This file is a HEIC photo (the iPhone default), which cannot be uploaded here. Export the "
        "photo as JPEG, or set the iPhone camera to “Most Compatible”, and upload it again."
    ),
    "extension_mismatch": _(
        "The file is %(found)s but its name ends in %(extension)s. Check that you chose the right "
        "file, rename it to end in %(expected)s and upload it again."
    ),
    "image_corrupt": _(
        "The image is damaged or incomplete and cannot be opened. Scan or photograph the document "
        "again and upload the new file."
    ),
    "image_too_large": _(
        "The image has too many pixels to be opened safely. Upload an image of at most "
        "%(max_side)s pixels on each side and %(max_megapixels)s million pixels in all, for "
        "example by scanning at 200 to 300 dpi."
    ),
    "image_too_small": _(
        "The image is only %(width)s × %(height)s pixels, too small to read. Upload a scan or "
        "photo of at least %(min_side)s pixels on each side."
    ),
    "pdf_unreadable": _(
        "The PDF is damaged or incomplete, or written in a form that cannot be checked. Open it, "
        "save or print it again as a new PDF and upload that file."
    ),
    "pdf_active_content": _(
        "The PDF contains scripts, automatic actions or embedded files (%(found)s), which are not "
        "allowed in a scan. Print it to a new PDF (“Save as PDF” or “Microsoft Print to PDF”) or "
        "scan the paper document, and upload that file."
    ),
    "pdf_encrypted": _(
        "The PDF is password-protected or encrypted, so it cannot be checked or reviewed. Save a "
        "copy without the password and upload an unprotected PDF."
    ),
}

# Other types, recognised by their first bytes, so the message can say what the file really is.
OTHER_KINDS = {
    "gif": _("a GIF image"),
    "webp": _("a WebP image"),
    "avif": _("an AVIF image"),
    "bmp": _("a BMP image"),
    "tiff": _("a TIFF image"),
    "svg": _("an SVG drawing"),
    "html": _("a web page (HTML)"),
    "zip": _("a ZIP archive or an Office document"),
    "office": _("an Office document"),
    "archive": _("a compressed archive"),
    "program": _("a program"),
    "text": _("a text file"),
}


def refuse(code, message=None, **params):
    """The ValidationError of one rule: ``code`` for programs, a message saying what to do."""
    return ValidationError(MESSAGES[message or code], code=code, params=params or None)


def _format_size(size):
    mb = 1024 * 1024
    if size >= mb:
        return f"{size // mb} MB" if size % mb == 0 else f"{size / mb:.1f} MB"
    return f"{max(1, size // 1024)} KB"


def _kinds_label(allowed):
    return ALLOWED_KINDS[frozenset(allowed)]


def max_upload_size() -> int:
    return int(getattr(settings, "WAGTAIL_BEIAN_MAX_UPLOAD_SIZE", DEFAULT_MAX_UPLOAD_SIZE))


# ----------------------------------------------------------------------------- result


@dataclass(frozen=True)
class CleanUpload:
    content: bytes
    content_type: str
    extension: str
    original_name: str
    size: int
    sha256: str
    width: int | None = None
    height: int | None = None

    def as_content_file(self) -> ContentFile:
        """The cleaned bytes; the storage gives the file a random name anyway."""
        return ContentFile(self.content, name="upload" + self.extension)


# ----------------------------------------------------------------------------- the check


def validate_upload(uploaded_file, *, allowed=DEFAULT_ALLOWED, max_size=None) -> CleanUpload:
    """Check one uploaded file by its content and return it cleaned, or raise ValidationError."""
    allowed = _check_allowed(allowed)
    limit = max_upload_size() if max_size is None else int(max_size)
    data = _read_at_most(uploaded_file, limit)

    content_type = sniff(data)
    if content_type is None:
        raise _unsupported(data, allowed)
    if content_type not in allowed:
        raise refuse(
            "type_not_allowed", "other_type", found=KIND_NAMES[content_type], kinds=_kinds_label(allowed)
        )

    stem, name_extension = split_name(sanitize_name(getattr(uploaded_file, "name", "") or ""))
    if name_extension and name_extension not in NAME_EXTENSIONS[content_type]:
        raise refuse(
            "extension_mismatch", found=KIND_NAMES[content_type], extension=name_extension,
            expected=EXTENSIONS[content_type],
        )
    extension = EXTENSIONS[content_type]
    original_name = _with_extension(stem, extension)

    width = height = None
    if content_type == PDF:
        check_pdf(data)
        content = data
    else:
        content, width, height = clean_image(data, content_type)
    return CleanUpload(
        content=content, content_type=content_type, extension=extension,
        original_name=original_name, size=len(content), sha256=hashlib.sha256(content).hexdigest(),
        width=width, height=height,
    )


def _check_allowed(allowed):
    allowed = tuple(allowed)
    unknown = set(allowed) - set(DEFAULT_ALLOWED)
    if not allowed or unknown:
        raise ImproperlyConfigured(
            f"allowed must be a non-empty subset of {DEFAULT_ALLOWED}, not {allowed!r}"
        )
    return allowed


def _read_at_most(uploaded_file, limit):
    """The file's bytes; refused when empty or larger than ``limit``, reading at most limit + 1."""
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise refuse("too_large", limit=_format_size(limit))
    if hasattr(uploaded_file, "seek"):
        try:
            uploaded_file.seek(0)
        except (OSError, ValueError):
            pass
    chunks, remaining = [], limit + 1
    while remaining > 0:
        chunk = uploaded_file.read(min(remaining, 1024 * 1024))
        if not chunk:
            break
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8", "surrogateescape")
        chunks.append(chunk)
        remaining -= len(chunk)
    data = b"".join(chunks)
    if len(data) > limit:
        raise refuse("too_large", limit=_format_size(limit))
    if not data:
        raise refuse("empty")
    return data


# ----------------------------------------------------------------------------- types


def sniff(data: bytes) -> str | None:
    """The accepted type the content really is (magic bytes), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"%PDF-"):
        return PDF
    return None


def identify_other(data: bytes) -> str | None:
    """A key of OTHER_KINDS (or "heic") for the common files that are not scans, else None."""
    head = data[:1024]
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}:
            return "heic"
        if brand in {b"avif", b"avis"}:
            return "avif"
    if head.startswith(b"BM") and head[6:10] == b"\0\0\0\0":
        return "bmp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "office"
    if head.startswith((b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")):
        return "archive"
    if head.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"#!")):
        return "program"
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    if text.startswith(b"<"):
        return "svg" if b"<svg" in head.lower() else "html"
    if b"\0" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A multi-byte character cut at the end of the window is still text.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                return None
        return "text"
    return None


def _unsupported(data, allowed):
    other = identify_other(data)
    kinds = _kinds_label(allowed)
    if other == "heic" and JPEG in allowed:
        return refuse("unsupported_type", "heic")
    if other in OTHER_KINDS:
        return refuse("unsupported_type", "other_type", found=OTHER_KINDS[other], kinds=kinds)
    return refuse("unsupported_type", kinds=kinds)


# ----------------------------------------------------------------------------- names


def sanitize_name(name: str) -> str:
    """A display name: basename only, NFKC, no control or format characters, no look-alike
    slashes, no leading/trailing dots or spaces. May be empty."""
    name = str(name)
    # Twice: removing a character can bring a letter and a combining mark together, and the
    # second normalisation composes them.
    for _pass in range(2):
        name = unicodedata.normalize("NFKC", name).translate(_SLASH_LOOKALIKES)
        name = name.rsplit("/", 1)[-1]
        # Controls (NUL, newlines), format characters (right-to-left override, zero-width
        # spaces), surrogates, private use and unassigned code points.
        name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
        name = _FORBIDDEN_IN_NAMES.sub("", name)
        name = re.sub(r"\s+", " ", name).strip(" .")
    return name


def split_name(name: str) -> tuple[str, str]:
    """(stem, extension) where extension is a lower-case known file-type suffix or ""."""
    stem, dot, suffix = name.rpartition(".")
    if dot and f".{suffix.lower()}" in KNOWN_EXTENSIONS:
        return stem.rstrip(" ."), f".{suffix.lower()}"
    return name, ""


def _with_extension(stem, extension):
    stem = stem[: NAME_MAX_LENGTH - len(extension)].rstrip(" .") or "upload"
    return stem + extension


# ----------------------------------------------------------------------------- images


def clean_image(data: bytes, content_type: str) -> tuple[bytes, int, int]:
    """Checked and re-encoded image bytes, with the cleaned image's width and height."""
    fmt = PILLOW_FORMATS[content_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
                # Only the header has been read: refuse bombs and unreadable thumbnails before
                # a single pixel is decoded.
                _check_dimensions(*probe.size)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                image.load()
                return _reencode(image, fmt)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise refuse(
            "image_too_large", max_side=MAX_SIDE, max_megapixels=MAX_PIXELS // 1_000_000
        ) from None
    except (OSError, SyntaxError, ValueError, TypeError, IndexError, KeyError, EOFError,
            ZeroDivisionError, MemoryError, Image.UnidentifiedImageError):
        # Pillow reports damaged files with any of these.
        raise refuse("image_corrupt") from None


def _check_dimensions(width, height):
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise refuse("image_too_large", max_side=MAX_SIDE, max_megapixels=MAX_PIXELS // 1_000_000)
    if width < MIN_SIDE or height < MIN_SIDE:
        raise refuse("image_too_small", width=width, height=height, min_side=MIN_SIDE)


def _reencode(image, fmt):
    try:
        upright = ImageOps.exif_transpose(image)
    except (OSError, ValueError, TypeError, KeyError, IndexError, SyntaxError):
        # A damaged EXIF block must not cost the customer the upload: keep the pixels as stored.
        upright = image
    upright = _to_srgb(upright)
    if fmt == "JPEG":
        wanted = "L" if upright.mode in ("1", "L", "LA", "I", "I;16", "F") else "RGB"
    elif upright.mode in ("1", "L", "LA", "RGB", "RGBA"):
        wanted = upright.mode
    elif upright.mode == "P" or upright.mode.startswith("PA"):
        wanted = "RGBA" if "transparency" in upright.info or upright.mode == "PA" else "RGB"
    elif upright.mode.startswith("I") or upright.mode == "F":
        wanted = "L"
    else:
        wanted = "RGB"
    if upright.mode != wanted:
        upright = upright.convert(wanted)
    # A new image carries pixels only: no EXIF, XMP, ICC, comments, text chunks or DPI info
    # (Pillow writes some of image.info back when saving).
    clean = Image.new(upright.mode, upright.size)
    clean.paste(upright)
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, "JPEG", quality=JPEG_QUALITY)
    else:
        clean.save(out, "PNG")
    return out.getvalue(), clean.width, clean.height


def _to_srgb(image):
    """Convert from an embedded ICC profile to sRGB (the profile itself is then dropped)."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, target, outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


# ----------------------------------------------------------------------------- PDFs

# Names that make a PDF do something when opened or clicked: scripts, automatic actions, launching
# programs, attached files, Flash/3D and XFA forms. Compared after #xx escapes are decoded.
PDF_ACTIVE_NAMES = (
    b"JavaScript", b"JS", b"OpenAction", b"AA", b"Launch", b"EmbeddedFile", b"EmbeddedFiles",
    b"RichMedia", b"XFA", b"SubmitForm", b"ImportData", b"GoToE",
)
_PDF_DELIMITER = rb"(?=[\s/<>\[\]()%{}]|\Z)"
_PDF_ACTIVE = re.compile(rb"/(" + b"|".join(PDF_ACTIVE_NAMES) + rb")" + _PDF_DELIMITER)
_PDF_ENCRYPT = re.compile(rb"/Encrypt" + _PDF_DELIMITER)
_PDF_OPEN_AT_PAGE = re.compile(
    rb"/OpenAction\s*\[\s*\d+\s+\d+\s+R\s*/(?:XYZ|Fit|FitH|FitV|FitR|FitB|FitBH|FitBV)(?:\s+(?:null|-?[\d.]+))*\s*\]"
)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(
    rb"(?<![0-9])(\d+)\s+(\d+)\s+obj\s*<<(?P<dict>.{0,4096}?)>>\s*stream(?:\r\n|\n|\r)", re.DOTALL
)
_LENGTH = re.compile(rb"/Length\s+(\d+)\b(\s+(\d+)\s+R\b)?")
_OBJECT_SYNTAX = re.compile(rb"\d\s+\d+\s+obj\b|\bxref\b|\btrailer\b|\bstartxref\b")
MAX_PDF_INFLATED = 64 * 1024 * 1024


def check_pdf(data: bytes) -> None:
    """Refuse damaged, encrypted or active PDFs; return None for a plain document."""
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise refuse("pdf_unreadable")
    # Before anything is inflated: the streams of an encrypted file are ciphertext.
    if _PDF_ENCRYPT.search(_unescape_names(data)):
        raise refuse("pdf_encrypted")
    text = b"".join(_pdf_text(data))
    # An /OpenAction that is only a destination (open at page n, fit to the window: what Word, WPS and
    # PDF writers add) does nothing; one that names an action dictionary or object is refused.
    text = _PDF_OPEN_AT_PAGE.sub(b" ", text)
    found = sorted({m.group(1).decode() for m in _PDF_ACTIVE.finditer(text)})
    if found:
        raise refuse("pdf_active_content", found=", ".join("/" + name for name in found))


def _unescape_names(raw: bytes) -> bytes:
    return _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


def _pdf_text(data):
    """The parts of the file a PDF reader interprets as syntax, #xx escapes decoded.

    Leaves out only the raw data of streams whose extent is certain (a /Length that ends exactly
    at ``endstream``) and which hold no object syntax: image and page data cannot hold dictionaries,
    and skipping them keeps random bytes in a large JPEG from looking like ``/JS``. Object streams
    (where PDF 1.5+ keeps dictionaries, compressed) are inflated and included; a reader needs their
    /First entry, so that is how they are recognised, whatever their /Type says.
    """
    budget = MAX_PDF_INFLATED
    position = 0
    for match in _STREAM.finditer(data):
        if match.start() < position:
            continue  # inside data already handled
        dictionary = _unescape_names(match.group("dict"))
        start = match.end()
        length = _stream_length(data, dictionary)
        end = None if length is None else start + length
        certain = end is not None and re.match(rb"\s*endstream", data[end:end + 32]) is not None
        if re.search(rb"/First" + _PDF_DELIMITER + rb"|/ObjStm" + _PDF_DELIMITER, dictionary):
            if not certain:
                found = data.find(b"endstream", start)
                end = len(data) if found < 0 else found
            objects = _inflate_object_stream(dictionary, data[start:end], budget)
            budget -= len(objects)
            yield _unescape_names(data[position:start])
            yield b"\n" + _unescape_names(objects) + b"\n"
            position = end
        elif certain and not _OBJECT_SYNTAX.search(data, start, end):
            yield _unescape_names(data[position:start])
            yield b"\n"
            position = end
        # otherwise the stream's bytes stay in the scanned text: better a false alarm than a miss
    yield _unescape_names(data[position:])


def _stream_length(data, dictionary):
    match = _LENGTH.search(dictionary)
    if match is None:
        return None
    if match.group(2) is None:
        return int(match.group(1))
    # An indirect length: "/Length 12 0 R" and elsewhere "12 0 obj 3456 endobj".
    number, generation = match.group(1), match.group(3)
    target = re.search(
        rb"(?<![0-9])" + number + rb"\s+" + generation + rb"\s+obj\s*(\d+)\s*endobj", data
    )
    return int(target.group(1)) if target else None


def _inflate_object_stream(dictionary, payload, budget):
    if b"/Filter" not in dictionary:
        return payload
    filters = re.search(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)", dictionary)
    if filters is None or re.findall(rb"/([A-Za-z0-9]+)", filters.group(1)) != [b"FlateDecode"]:
        raise refuse("pdf_unreadable")  # cannot look inside, so cannot vouch for it
    try:
        objects = zlib.decompressobj().decompress(payload, max(budget, 0) + 1)
    except zlib.error:
        raise refuse("pdf_unreadable") from None
    if len(objects) > budget:
        raise refuse("pdf_unreadable")
    return objects


# ----------------------------------------------------------------------------- form field


class ScanField(forms.FileField):
    """A file field whose ``clean()`` returns a ``CleanUpload`` (or the unchanged initial file
    when nothing new was uploaded)."""

    default_error_messages: ClassVar[dict] = {"empty": MESSAGES["empty"]}

    def __init__(self, *, allowed=DEFAULT_ALLOWED, max_size=None, **kwargs):
        self.allowed = _check_allowed(allowed)
        self.max_size = max_size
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = ",".join(ACCEPT[kind] for kind in DEFAULT_ALLOWED if kind in self.allowed)
        return attrs

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and hasattr(value, "read") and value is not initial:
            return validate_upload(value, allowed=self.allowed, max_size=self.max_size)
        return value
