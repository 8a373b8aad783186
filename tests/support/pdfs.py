"""Real PDFs for tests, drawn with reportlab: text pages (Japanese and English), encrypted, image-only.

Japanese is drawn with the IPAex Gothic TTF that matplotlib-fontja ships: reportlab embeds a subset with a
ToUnicode map, so a text extractor gets the characters back (a CID font without embedding depends on the
reader's font substitution).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_NAME = "IPAexGothic"
PAGE_SIZE = landscape(A4)  # slide-shaped, like the decks the bot reads
_MARGIN = 50


@lru_cache(maxsize=1)
def japanese_font() -> str:
    """Register the bundled IPAex Gothic TTF with reportlab once and return its name."""
    import matplotlib_fontja  # test-only dependency: the TTF file ships inside it

    ttf = Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(ttf)))
    return FONT_NAME


def _draw_pages(pdf: canvas.Canvas, pages: list[list[str]], *, heading_size: float, body_size: float) -> None:
    font = japanese_font()
    _, height = PAGE_SIZE
    for lines in pages:
        y = height - _MARGIN - heading_size
        for index, line in enumerate(lines):
            size = heading_size if index == 0 else body_size
            pdf.setFont(font, size)
            pdf.drawString(_MARGIN, y, line)
            y -= size * 1.6
        pdf.showPage()


def make_pdf(
    path: Path | str,
    pages: list[list[str]],
    *,
    title: str | None = None,
    heading_size: float = 20,
    body_size: float = 11,
    encrypt: StandardEncryption | None = None,
) -> Path:
    """Write a PDF with one page per item of `pages`; each page's first line is drawn as a larger heading.

    `title` goes into the document metadata (reportlab writes an empty-ish default otherwise: "untitled").
    """
    path = Path(path)
    pdf = canvas.Canvas(str(path), pagesize=PAGE_SIZE, encrypt=encrypt, invariant=1)
    pdf.setTitle(title or "")
    _draw_pages(pdf, pages, heading_size=heading_size, body_size=body_size)
    pdf.save()
    return path


def make_encrypted_pdf(
    path: Path | str, pages: list[list[str]] | None = None, *, user_password: str = "userpw"
) -> Path:
    """A password-protected PDF (a user password is needed to open it)."""
    encryption = StandardEncryption(user_password, ownerPassword="ownerpw", canPrint=1)
    return make_pdf(path, pages or [["Secret", "This page needs a password."]], encrypt=encryption)


def make_image_only_pdf(path: Path | str, lines: list[str] | None = None) -> Path:
    """A PDF whose one page is a raster image of text and has no text layer, like a scan."""
    from PIL import Image, ImageDraw  # Pillow comes with matplotlib; tests only

    image = Image.new("RGB", (1200, 800), "white")
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines or ["Scanned page", "This text is only pixels."]):
        draw.text((60, 60 + index * 60), line, fill="black", font_size=40)
    path = Path(path)
    pdf = canvas.Canvas(str(path), pagesize=PAGE_SIZE, invariant=1)
    width, height = PAGE_SIZE
    pdf.drawImage(ImageReader(image), 0, 0, width=width, height=height)
    pdf.showPage()
    pdf.save()
    return path
