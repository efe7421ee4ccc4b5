"""Publication metadata beside a source: the ``metadata.xml`` (OWMS) of officielebekendmakingen.

Elements ``<metadata name="DC.identifier" content="ah-tk-20232024-387"/>`` (or ``<meta>``):
``DC.identifier``, ``DC.title``, ``OVERHEIDop.indiener`` (askers, one element each),
``OVERHEIDop.ontvanger`` (addressee), ``OVERHEIDop.vraagnummer``, ``DCTERMS.issued``,
``OVERHEIDop.vergaderjaar``. ``kg add --id`` writes ``kg.identifier``: an identifier given by
hand, which wins over what the content states.

Found beside a source as ``{file name}.metadata.xml``, or ``metadata.xml`` in the same folder
(as a download from officielebekendmakingen comes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kg.errors import SourceError
from kg.sources.document_id import InvalidIdentifier, document_id

SIDECAR_SUFFIX = ".metadata.xml"


@dataclass(frozen=True)
class Metadata:
    identifier: str | None = None  # DC.identifier
    override: str | None = None  # kg.identifier: given by hand, wins over the content
    title: str | None = None
    askers: tuple[str, ...] = ()
    addressee: str | None = None
    question_number: str | None = None
    issued: date | None = None
    year: str | None = None


def sidecar_of(path: Path) -> Path:
    """Where ``kg add`` keeps a source's metadata: beside it, named after it."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    return path.name == "metadata.xml" or path.name.endswith(SIDECAR_SUFFIX)


def find_sidecar(path: Path) -> Path | None:
    """``{name}.metadata.xml``; else ``metadata.xml`` when the folder holds no other document:
    no other source, or only the same publication in other forms (``ah-tk-…-1112.pdf`` beside
    ``ah-tk-…-1112.xml``, as a download comes). A folder of several documents cannot say whose
    it is."""
    if sidecar_of(path).is_file():
        return sidecar_of(path)
    shared = path.with_name("metadata.xml")
    if shared.is_file():
        sources = [p for p in path.parent.iterdir() if p.is_file() and not is_sidecar(p)]
        stems = {p.name.split(".", 1)[0] for p in sources if not p.name.startswith(".")}
        if sources == [path] or stems == {path.name.split(".", 1)[0]}:
            return shared
    return None


def safe_xml_parser():
    """lxml with nothing fetched or expanded: no DTD, no network, no entities, no huge trees."""
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
    )


def read_metadata(path: Path) -> Metadata:
    from lxml import etree

    try:
        root = etree.parse(str(path), safe_xml_parser()).getroot()
    except (OSError, etree.XMLSyntaxError) as err:
        line = getattr(err, "lineno", None)
        raise SourceError(path, f"not readable metadata XML: {err}", line=line) from None
    values: dict[str, list[str]] = {}
    lines: dict[str, int | None] = {}
    for element in root.iter():
        name, content = element.get("name"), element.get("content")
        if name and content is not None and content.strip():
            values.setdefault(name, []).append(" ".join(content.split()))
            lines.setdefault(name, element.sourceline)

    def first(name: str) -> str | None:
        return values.get(name, [None])[0]

    def identifier(name: str) -> str | None:
        value = first(name)
        try:
            return None if value is None else document_id(value)
        except InvalidIdentifier as err:
            raise SourceError(path, f"{name}: {err}", line=lines.get(name)) from None

    issued = first("DCTERMS.issued")
    try:
        issued_date = date.fromisoformat(issued[:10]) if issued else None
    except ValueError:
        raise SourceError(path, f"DCTERMS.issued {issued!r} is not a date (YYYY-MM-DD)") from None
    return Metadata(
        identifier=identifier("DC.identifier"),
        override=identifier("kg.identifier"),
        title=first("DC.title"),
        askers=tuple(values.get("OVERHEIDop.indiener", ())),
        addressee=first("OVERHEIDop.ontvanger"),
        question_number=first("OVERHEIDop.vraagnummer"),
        issued=issued_date,
        year=first("OVERHEIDop.vergaderjaar"),
    )


def metadata_xml(metadata: Metadata) -> str:
    """``metadata`` written back as a metadata.xml that ``read_metadata`` reads."""
    from xml.sax.saxutils import quoteattr

    rows = [
        ("kg.identifier", metadata.override),
        ("DC.identifier", metadata.identifier),
        ("DC.title", metadata.title),
        *(("OVERHEIDop.indiener", a) for a in metadata.askers),
        ("OVERHEIDop.ontvanger", metadata.addressee),
        ("OVERHEIDop.vraagnummer", metadata.question_number),
        ("DCTERMS.issued", metadata.issued.isoformat() if metadata.issued else None),
        ("OVERHEIDop.vergaderjaar", metadata.year),
    ]
    body = "".join(
        f"  <metadata name={quoteattr(n)} content={quoteattr(v)}/>\n" for n, v in rows if v
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<metadata_gegevens>\n{body}</metadata_gegevens>\n'
    )
