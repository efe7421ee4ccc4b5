"""PDFs written the way officielebekendmakingen typesets an Aanhangsel, for the PDF input tests.

No PDF library is needed (reportlab is not a dependency): a page is a list of lines, each a
list of runs in a style (body text, bold headings, raised superscript footnote markers, small
furniture), placed at absolute positions like a typesetter does, in Helvetica with
WinAnsiEncoding (so «», ’, – and é are real characters of the text layer).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

# style: (font resource, size, rise)
STYLES = {
    "body": ("F1", 10, 0),
    "bold": ("F2", 10, 0),
    "sup": ("F1", 6, 4),
    "small": ("F1", 7, 0),
    "number": ("F2", 16, 0),
}
Run = tuple[str, str]  # (style, text)


@dataclass(frozen=True)
class Line:
    y: float
    runs: tuple[Run, ...]
    x: float = 70


def line(y: float, *runs: Run | str, x: float = 70) -> Line:
    """A line at height ``y``: plain strings are body text."""
    return Line(y, tuple(("body", r) if isinstance(r, str) else r for r in runs), x)


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content(lines: list[Line]) -> bytes:
    ops = [b"BT"]
    for item in lines:
        ops.append(b"1 0 0 1 %.1f %.1f Tm" % (item.x, item.y))
        for style, text in item.runs:
            font, size, rise = STYLES[style]
            ops.append(b"/%s %d Tf %d Ts (" % (font.encode(), size, rise) + _escape(text) + b") Tj")
    ops.append(b"ET")
    return b"\n".join(ops)


FOOT = 120  # lines below this height are a page's foot: footnotes and furniture


def pdf_document(pages: list[list[Line]], foot_first: bool = False) -> bytes:
    """The bytes of a PDF with one page per list of lines; with ``foot_first`` each page
    draws its foot before the rest, as some typesetters do."""
    if foot_first:
        pages = [
            [item for item in lines if item.y < FOOT] + [item for item in lines if item.y >= FOOT]
            for lines in pages
        ]
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: pages (filled in below)
    fonts = {}
    for name, base in (("F1", b"Helvetica"), ("F2", b"Helvetica-Bold")):
        objects.append(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % base
        )
        fonts[name] = len(objects)
    resources = b"<< /Font << /F1 %d 0 R /F2 %d 0 R >> >>" % (fonts["F1"], fonts["F2"])
    kids = []
    for lines in pages:
        stream = zlib.compress(_content(lines))
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream"
        )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s "
            b"/Contents %d 0 R >>" % (resources, len(objects))
        )
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def flow(top: float, blocks: list[list[Run | str] | None], leading: float = 12) -> list[Line]:
    """Lines from the top down, one per block (None: a blank line)."""
    lines, y = [], top
    for block in blocks:
        if block is not None:
            lines.append(line(y, *block))
        y -= leading
    return lines


def pdf_with_content(content: bytes, pages: int = 1) -> bytes:
    """A PDF whose ``pages`` pages all draw one shared content stream, as written (compressed):
    how a few kilobytes can make a reader parse megabytes of operators."""
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
    page += b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    objects += [page] * pages
    kids = b" ".join(b"%d 0 R" % number for number in range(5, 5 + pages))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
