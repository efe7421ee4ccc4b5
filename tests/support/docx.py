"""Writing .docx files for the tests, as Word writes a ministry's answer: paragraphs, Word's own
numbering on numbered paragraphs (the numbers are not in the text), and Word footnotes (the
bodies in word/footnotes.xml, a reference where the marker stands).

``docx_document(paragraphs, footnotes)``: each paragraph is a string, or ``("numbered", text)``
for an item of Word's numbered list; ``{fn:N}`` in a text is the reference to footnote N.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
</Types>"""
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE_RELS}">
<Relationship Id="rId1" Type="{OFFICE_DOCUMENT}" Target="word/document.xml"/>
</Relationships>"""
DOCUMENT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PACKAGE_RELS}">
<Relationship Id="rId1" Type="{R}/footnotes" Target="footnotes.xml"/>
<Relationship Id="rId2" Type="{R}/numbering" Target="numbering.xml"/>
</Relationships>"""
NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W}" xmlns:r="{R}">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>
<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>"""
SEPARATORS = """<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"""


def _runs(text: str) -> str:
    """Runs of a paragraph's text, with a footnote reference for each ``{fn:N}``."""
    runs = []
    for piece in re.split(r"(\{fn:\d+\})", text):
        reference = re.fullmatch(r"\{fn:(\d+)\}", piece)
        if reference:
            runs.append(
                '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                f'<w:footnoteReference w:id="{reference.group(1)}"/></w:r>'
            )
        elif piece:
            runs.append(f'<w:r><w:t xml:space="preserve">{escape(piece)}</w:t></w:r>')
    return "".join(runs)


def _paragraph(item: str | tuple[str, str]) -> str:
    if isinstance(item, tuple):
        _, text = item
        numbered = '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        return f"<w:p>{numbered}{_runs(text)}</w:p>"
    return f"<w:p>{_runs(item)}</w:p>"


def docx_document(
    paragraphs: Sequence[str | tuple[str, str]], footnotes: dict[int, str] | None = None
) -> bytes:
    body = "".join(_paragraph(p) for p in paragraphs)
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}</w:body></w:document>'
    )
    notes = "".join(
        f'<w:footnote w:id="{n}"><w:p><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/>'
        f'</w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {escape(text)}</w:t>'
        "</w:r></w:p></w:footnote>"
        for n, text in (footnotes or {}).items()
    )
    footnotes_xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:footnotes xmlns:w="{W}" xmlns:r="{R}">{SEPARATORS}{notes}</w:footnotes>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", ROOT_RELS)
        package.writestr("word/_rels/document.xml.rels", DOCUMENT_RELS)
        package.writestr("word/document.xml", document)
        package.writestr("word/footnotes.xml", footnotes_xml)
        package.writestr("word/numbering.xml", NUMBERING)
    return buffer.getvalue()
