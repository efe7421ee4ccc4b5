"""Text from a PDF (as published on officielebekendmakingen), with pypdf.

The extracted text is the document's stored text: every span points into it. Pages are
joined by a form feed on a line of its own, the page break the Aanhangsel parser knows.

Layout cues: the lines of a page are put in reading order, top to bottom, by where they stand
(a page may draw its foot first); a "Vraag N" / "Antwoord N" set in a bold font is a heading,
so it is put on a line of its own, also where the text layer runs it on from the page furniture
before it ("… Aanhangsel 1Antwoord 4") or into the text after it. Running heads and page
boundaries are left to the parser, which finds them in the text.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import SourceError

PAGE_BREAK = "\n\f\n"
# A heading at the end of a bold run (a page number set in bold may come before it).
BOLD_HEADING = re.compile(
    r"(?:Vra(?:ag|gen)|Antwoord(?:en)?)[ \u00a0]*(?:op[ \u00a0]+(?:de[ \u00a0]+)?vra(?:ag|gen)"
    r"[ \u00a0]+)?\d+(?:[ \u00a0]*(?:,|en|t/m|-|–)[ \u00a0]*\d+)*[ \u00a0]*[:.]?[ \u00a0]*$"
)
# What follows a heading: a line end, or (run in) the question's or answer's first word.
RUN_IN = re.compile(r"[ \u00a0]*(?:\n|$|[A-Z«\"“„(])")
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


MIB = 2**20
# Budgets for one PDF. pypdf is pure Python: reading a page costs 1 to 3 µs per byte of its
# decoded content stream (measured per operator kind, 100,000 of each: 'n' 0.9, 'Td' 1.8,
# "'" 2.9 µs/byte), and a 4 KB file can inflate to megabytes of operators, drawn again by
# every page that shares them. A typeset Aanhangsel page draws 5-60 KB: the limits leave ten
# times that and refuse the rest before it is read (a page at most ~3 s, a document ~12 s).
# The times bound what the sizes do not foresee.
PAGE_CONTENT_BYTES = 1 * MIB
DOCUMENT_CONTENT_BYTES = 4 * MIB  # all pages together; a stream shared by pages counts per page
MAX_PAGES = 1000
PAGE_SECONDS = 10.0
DOCUMENT_SECONDS = 30.0
# Text already extracted, by the SHA-256 of the file's bytes: kg add reads a new file to check
# it, to plan the copy and to build, and a build in the same process reads it again; only the
# first reading extracts. Bounded by characters kept, least recently used out first.
CACHE_CHARACTERS = 8 * MIB  # at most 16 MiB of str (two bytes a character at most here)
_extracted: OrderedDict[str, str] = OrderedDict()


class _OverBudget(BaseException):
    """Raised inside pypdf's callbacks; a BaseException so that no ``except Exception`` in
    pypdf can swallow it. Turned into a SourceError by ``pdf_text``."""


@dataclass
class Budget:
    """What one document may still cost: content bytes and seconds, per page and in all."""

    path: Path
    started: float = field(default_factory=time.monotonic)
    page: int = 0
    page_started: float = 0.0

    def check_sizes(self, sizes: list[int]) -> None:
        """Refuse a document whose pages draw too much content, before any page is read."""
        for number, size in enumerate(sizes, start=1):
            if size > PAGE_CONTENT_BYTES:
                raise self._refusal(
                    f"page {number} draws {size / MIB:.1f} MiB of content; the limit is "
                    f"{PAGE_CONTENT_BYTES // MIB} MiB per page"
                )
        total = 0
        for number, size in enumerate(sizes, start=1):
            total += size
            if total > DOCUMENT_CONTENT_BYTES:
                raise self._refusal(
                    f"its pages draw more than {DOCUMENT_CONTENT_BYTES // MIB} MiB of content "
                    f"together (by page {number}), the limit per document"
                )

    def start_page(self, number: int) -> None:
        self.page, self.page_started = number, time.monotonic()
        self.check()

    def check(self) -> None:
        now = time.monotonic()
        if now - self.page_started > PAGE_SECONDS:
            raise _OverBudget(
                f"reading page {self.page} took more than {PAGE_SECONDS:g} s, the limit per page"
            )
        if now - self.started > DOCUMENT_SECONDS:
            raise _OverBudget(
                f"reading its text took more than {DOCUMENT_SECONDS:g} s (by page {self.page}), "
                "the limit per document"
            )

    def _refusal(self, why: str) -> SourceError:
        return SourceError(self.path, f"{why}; {BUDGET_HINT}")


BUDGET_HINT = "expected a typeset document: give its text instead (kg add FILE.txt)"


def pdf_text(path: Path, data: bytes) -> str:
    """The text of a PDF, extracted once per content (see ``CACHE_CHARACTERS``)."""
    digest = hashlib.sha256(data).hexdigest()
    text = _extracted.get(digest)
    if text is None:
        text = _extract(path, data)
        _remember(digest, text)
    else:
        _extracted.move_to_end(digest)
    return text


def _remember(digest: str, text: str) -> None:
    if len(text) > CACHE_CHARACTERS:
        return
    _extracted[digest] = text
    while sum(len(kept) for kept in _extracted.values()) > CACHE_CHARACTERS:
        _extracted.popitem(last=False)


def _extract(path: Path, data: bytes) -> str:
    from pypdf import PdfReader

    budget = Budget(path)
    with _quiet_pypdf(), _refused_as_source_errors(path):
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _open_without_password(path, reader)
        if len(reader.pages) > MAX_PAGES:
            raise SourceError(
                path, f"it has {len(reader.pages)} pages; the limit is {MAX_PAGES} per document"
            )
        sizes = [_content_bytes(page) for page in reader.pages]  # zlib: milliseconds
        budget.check_sizes(sizes)  # before any page is read
        pages = []
        for number, page in enumerate(reader.pages, start=1):
            budget.start_page(number)
            pages.append(page_text(page, budget.check))
    text = PAGE_BREAK.join(page.strip("\n") for page in pages)
    if not text.strip():
        raise SourceError(
            path,
            "the PDF holds no text (a scan without a text layer?); expected a PDF with text, "
            "or its text after OCR",
        )
    return text


@contextmanager
def _refused_as_source_errors(path: Path) -> Iterator[None]:
    """Whatever goes wrong reading untrusted PDF bytes is a SourceError naming the file."""
    from pypdf.errors import LimitReachedError

    try:
        yield
    except SourceError:
        raise
    except _OverBudget as over:
        raise SourceError(path, f"{over}; {BUDGET_HINT}") from None
    except LimitReachedError as err:
        raise SourceError(
            path, f"not a readable PDF: past a safety limit of pypdf ({err})"
        ) from None
    except RecursionError:
        raise SourceError(path, "not a readable PDF: its objects nest too deeply to read") from None
    except Exception as err:  # pypdf reads untrusted bytes: any failure means "unreadable"
        raise SourceError(path, f"not a readable PDF: {type(err).__name__}: {err}") from None


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs a warning per damaged object (thousands for a hostile file); the outcome is
    what counts, so only its errors are shown while a PDF is read."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _content_bytes(page: Any) -> int:
    """Bytes of the page's decoded content stream(s): what reading its text will parse."""
    contents = page.get_contents()
    return len(contents.get_data()) if contents is not None else 0


def _open_without_password(path: Path, reader: Any) -> None:
    """A PDF encrypted only to restrict printing or copying opens with the empty password (as
    a PDF reader opens it); one that needs a password to be read is refused."""
    from pypdf.errors import DependencyError

    try:
        opened = reader.decrypt("")
    except DependencyError:
        raise SourceError(
            path,
            "the PDF is encrypted with AES, which needs the 'cryptography' package to read; "
            "install it (pip install cryptography) or save the PDF again without encryption",
        ) from None
    if not opened:
        raise SourceError(
            path, "the PDF needs a password to be read; expected a published, unencrypted PDF"
        )


Run = tuple[str, bool, float]  # text, bold, height on the page
RISE = 12  # points a line may stand above the one before it and still follow it (a superscript)


def page_text(page: Any, check: Callable[[], None] = lambda: None) -> str:
    """A page's text as pypdf extracts it, its lines in reading order (top to bottom) and bold
    headings on lines of their own. ``check`` is called for every run of text (a budget)."""
    runs: list[Run] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, _size: Any) -> None:
        check()
        height = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # where the run starts, in page space
        runs.append((text, is_bold(font), float(height)))

    plain = page.extract_text(visitor_text=visit) or ""
    if "".join(text for text, _, _ in runs) != plain:
        return plain  # the runs do not add up to the text: keep pypdf's text as it is
    return headings_on_own_lines([(text, bold) for text, bold, _ in in_reading_order(runs)])


def in_reading_order(runs: list[Run]) -> list[Run]:
    """The runs, line by line from the top of the page down. pypdf gives them in the order
    the page draws them; a typesetter may draw the foot of a page (footnotes, running head)
    first, which would put footnote bodies before their markers. Lines at one height keep
    their order."""
    lines: list[list[Run]] = [[]]
    for text, bold, height in runs:
        for piece in re.split(r"(?<=\n)", text):
            if piece:
                lines[-1].append((piece, bold, height))
                if piece.endswith("\n"):
                    lines.append([])
    # Stretches of lines going down the page (a raised footnote marker on a line of its own
    # stays where it is), put in the order of where each starts.
    stretches: list[tuple[float, list[list[Run]]]] = []
    last: float | None = None  # the height of the last line with text
    for line in lines:
        at = next((h for t, _, h in line if t.strip()), last)
        if not stretches or (at is not None and last is not None and at > last + RISE):
            stretches.append((at if at is not None else 0.0, []))
        stretches[-1][1].append(line)
        last = at if at is not None else last
    if len(stretches) == 1:
        return runs  # already top to bottom
    ordered = [list(line) for _, group in sorted(stretches, key=lambda s: -s[0]) for line in group]
    ordered = [line for line in ordered if line]
    for line in ordered[:-1]:  # every line but the last ends in a line break
        text, bold, height = line[-1]
        if not text.endswith("\n"):
            line[-1] = (text + "\n", bold, height)
    return [run for line in ordered for run in line]


def is_bold(font: Any) -> bool:
    if not font:
        return False
    name = str(font.get("/BaseFont", ""))
    descriptor = font.get("/FontDescriptor")
    weight = descriptor.get_object().get("/FontWeight", 0) if descriptor is not None else 0
    return bool(BOLD_FONT.search(name)) or float(weight or 0) >= 600


def headings_on_own_lines(runs: list[tuple[str, bool]]) -> str:
    """The runs joined; where consecutive bold runs end in a heading, a line break is put
    before the heading and after it when the text does not already have one."""
    merged: list[tuple[str, bool]] = []
    for text, bold in runs:
        if merged and merged[-1][1] == bold:
            merged[-1] = (merged[-1][0] + text, bold)
        else:
            merged.append((text, bold))
    out: list[str] = []
    for index, (text, bold) in enumerate(merged):
        body = text.rstrip("\n")
        following = merged[index + 1][0] if index + 1 < len(merged) else "\n"
        heading = BOLD_HEADING.search(body) if bold else None
        if heading is None or not (body != text or RUN_IN.match(following)):
            out.append(text)  # not a heading, or bold words inside a sentence
            continue
        out.append(body[: heading.start()])
        if any(out) and not next(p for p in reversed(out) if p).endswith("\n"):
            out.append("\n")
        out.append(body[heading.start() :])
        out.append(text[len(body) :] or ("" if following.startswith("\n") else "\n"))
    return "".join(out)
