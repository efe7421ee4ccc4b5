"""Text from a PDF (as published on officielebekendmakingen), with pypdf.

The extracted text is the document's stored text: every span points into it. Pages are
joined by a form feed on a line of its own, the page break the Aanhangsel parser knows.
"""

from __future__ import annotations

import io
from pathlib import Path

from kg.errors import SourceError

PAGE_BREAK = "\n\f\n"


def pdf_text(path: Path, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise SourceError(path, "the PDF is encrypted; expected a published, unencrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
    except SourceError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as err:
        raise SourceError(path, f"not a readable PDF: {err}") from None
    text = PAGE_BREAK.join(page.strip("\n") for page in pages)
    if not text.strip():
        raise SourceError(
            path,
            "the PDF holds no text (a scan without a text layer?); expected a PDF with text, "
            "or its text after OCR",
        )
    return text
