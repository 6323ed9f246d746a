"""PDF scans rendered as images for the reviewer, server-side.

A browser will not show a PDF served under the sandboxing CSP every scan gets (Chrome's viewer is
blocked in a sandboxed document), and lifting the sandbox would let a customer's PDF run in the
admin's origin. So the preview is a PNG per page, rendered with pypdfium2 (PDFium, the engine of
Chrome's own viewer: maintained, wheels for every platform, no system packages, Apache/BSD
licensed), and served with the same headers as an image scan. Only the first
:data:`MAX_PAGES` pages are rendered; a damaged PDF gives no preview (the download still works).

PDFium is not thread-safe: one lock serialises rendering within a process.
"""

import io
import threading

import pypdfium2

#: Pages shown in a preview (scans have one to three; the rest is in the download).
MAX_PAGES = 10
#: Width of a rendered page in pixels (A4 at about 140 dpi).
WIDTH = 1200
_lock = threading.Lock()


class PreviewError(Exception):
    """The PDF cannot be rendered (damaged, encrypted, or not a PDF)."""


def _open(content):
    try:
        return pypdfium2.PdfDocument(content)
    except pypdfium2.PdfiumError as error:
        raise PreviewError(str(error)) from error


def page_count(content):
    """Pages of the PDF ``content`` (bytes) that a preview shows: at most :data:`MAX_PAGES`."""
    with _lock:
        document = _open(content)
        try:
            return min(len(document), MAX_PAGES)
        finally:
            document.close()


def render_page(content, number):
    """Page ``number`` (1-based) of the PDF ``content`` as PNG bytes, :data:`WIDTH` pixels wide."""
    if not 1 <= number <= MAX_PAGES:
        raise PreviewError(f"page {number} is not previewed")
    with _lock:
        document = _open(content)
        try:
            if number > len(document):
                raise PreviewError(f"no page {number}")
            page = document[number - 1]
            width = page.get_width() or WIDTH
            image = page.render(scale=WIDTH / width, fill_color=(255, 255, 255, 255)).to_pil()
            page.close()
        except pypdfium2.PdfiumError as error:
            raise PreviewError(str(error)) from error
        finally:
            document.close()
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
