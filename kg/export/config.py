"""The export's configuration: who publishes the dataset, where the files will be downloadable,
under which licence. Read from a small TOML file (``export.toml`` at the project root by
default) and checked field by field.

Fields (TOML; every URL absolute http(s)):

    base_url        = "https://w3id.org/ai-beleid/"  # where the export folder is published;
                                                      # download URL = base_url + "download/" + file
    w3id_target     = base_url unless that is the     # where https://w3id.org/ai-beleid/ redirects
                      w3id namespace itself           # to: the public address of kg serve
                                                      # (kg export writes w3id/ai-beleid/.htaccess)
    landing_page    = base_url                        # human-readable page about the dataset
    sparql_endpoint = base_url + "sparql"             # the public SPARQL endpoint (kg serve)
    licence         = CC0 1.0 (deed.nl)               # one of LICENCES (DCAT-AP-NL list)
    issued          = modification date               # first publication, YYYY-MM-DD
    keywords        = ["kunstmatige intelligentie", ...]

    [publisher]     # required: nothing about the publisher is built in
    iri  = "https://..."   # the organisation, e.g. its TOOI or ROR IRI
    name = "..."
    type = "http://purl.org/adms/publishertype/NationalAuthority"  # optional, ADMS publisher type

    [contact]       # required: name and at least one of email, url
    name  = "..."
    email = "someone@example.org"     # vcard:hasEmail <mailto:...>
    phone = "+31 70 123 45 67"        # vcard:hasTelephone <tel:...>
    url   = "https://..."

    [themes]        # optional; codes from kg/export/themes.py
    eu   = ["GOVE", "TECH"]           # EU Data Theme codes (at least one)
    owms = ["ICT", "Parlement"]       # OWMS TaxonomieBeleidsagenda names (data.overheid.nl)

    [creator]       # optional; defaults to the publisher
    iri  = "https://..."
    name = "..."
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

from kg.errors import ConfigError
from kg.export.themes import DEFAULT_EU_THEMES, DEFAULT_OWMS_THEMES, EU_THEMES, OWMS_THEMES
from kg.rdf.namespaces import BASE  # the namespace of the data's IRIs, served through w3id.org

DEFAULT_BASE_URL = "https://w3id.org/ai-beleid/"

# The licences DCAT-AP-NL 3.0 allows (Creative Commons, as data.overheid.nl lists them, plus its
# value for "not open"), each with its ADMS licence type.
LICENCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "http://creativecommons.org/publicdomain/zero/1.0/deed.nl": ("CC0 1.0", ("PublicDomain",)),
    "http://creativecommons.org/publicdomain/mark/1.0/deed.nl": (
        "Publiek domein (Public Domain Mark 1.0)",
        ("PublicDomain",),
    ),
    "http://creativecommons.org/licenses/by/4.0/deed.nl": ("CC BY 4.0", ("Attribution",)),
    "http://creativecommons.org/licenses/by-sa/4.0/deed.nl": (
        "CC BY-SA 4.0",
        ("Attribution", "ShareAlike"),
    ),
    "http://standaarden.overheid.nl/owms/terms/geslotenlicentie": (
        "Niet-open licentie",
        ("RestrictedUse",),
    ),
}
DEFAULT_LICENCE = "http://creativecommons.org/publicdomain/zero/1.0/deed.nl"
# The ADMS publisher types (http://purl.org/adms/publishertype/1.0, the list DCAT-AP names for
# the type of a dct:publisher), code -> English label; the vocabulary has no Dutch labels.
PUBLISHER_TYPE_NS = "http://purl.org/adms/publishertype/"
PUBLISHER_TYPES: dict[str, str] = {
    "Academia-ScientificOrganisation": "Academia/Scientific organisation",
    "Company": "Company",
    "IndustryConsortium": "Industry consortium",
    "LocalAuthority": "Local Authority",
    "NationalAuthority": "National authority",
    "NonGovernmentalOrganisation": "Non-Governmental Organisation",
    "NonProfitOrganisation": "Non-Profit Organisation",
    "PrivateIndividual(s)": "Private Individual(s)",
    "RegionalAuthority": "Regional authority",
    "StandardisationBody": "Standardisation body",
    "SupraNationalAuthority": "Supra-national authority",
}
DEFAULT_KEYWORDS = (
    "kunstmatige intelligentie",
    "AI-beleid",
    "Tweede Kamer",
    "Kamervragen",
    "toezeggingen",
    "linked data",
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# A telephone number as people write it; written as a tel: URI (RFC 3966) without the spaces.
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{5,}$")
_TOP_KEYS = {
    "base_url",
    "w3id_target",
    "landing_page",
    "sparql_endpoint",
    "licence",
    "issued",
    "keywords",
    "publisher",
    "contact",
    "creator",
    "themes",
}


@dataclass(frozen=True)
class Agent:
    iri: str
    name: str
    type: str | None = None


@dataclass(frozen=True)
class Contact:
    name: str
    email: str | None = None
    url: str | None = None
    phone: str | None = None

    @property
    def telephone_uri(self) -> str | None:
        if self.phone is None:
            return None
        return "tel:" + re.sub(r"[ ()]", "", self.phone)


@dataclass(frozen=True)
class Themes:
    eu: tuple[str, ...] = DEFAULT_EU_THEMES
    owms: tuple[str, ...] = DEFAULT_OWMS_THEMES


@dataclass(frozen=True)
class ExportConfig:
    publisher: Agent
    contact: Contact
    creator: Agent
    base_url: str = DEFAULT_BASE_URL
    w3id_target: str | None = None  # where the w3id namespace redirects to; None: unknown
    landing_page: str = DEFAULT_BASE_URL
    sparql_endpoint: str = DEFAULT_BASE_URL + "sparql"
    licence: str = DEFAULT_LICENCE
    issued: date | None = None
    keywords: tuple[str, ...] = field(default=DEFAULT_KEYWORDS)
    themes: Themes = field(default_factory=Themes)
    source: Path | None = None

    def download_url(self, filename: str) -> str:
        return f"{self.base_url}download/{filename}"


def load_config(path: Path | None = None) -> ExportConfig:
    """Read and check the config file (default: ``export.toml`` in the project folder)."""
    if path is None:
        from kg.project import Project

        path = Project.find().export_config
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read the config file: {err.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    return parse_config(raw, path)


def parse_config(raw: dict[str, Any], path: Path) -> ExportConfig:
    c = _Checker(path)
    c.no_unknown_keys(raw, _TOP_KEYS, "")
    base_url = c.url(raw, "base_url", DEFAULT_BASE_URL)
    if not base_url.endswith("/"):
        c.fail("base_url", f"must end with '/' (got {base_url!r})")
    publisher = c.agent(raw, "publisher", required=True)
    assert publisher is not None
    creator = c.agent(raw, "creator", required=False) or publisher
    licence = c.string(raw, "licence", DEFAULT_LICENCE)
    if licence not in LICENCES:
        allowed = ", ".join(f"{iri} ({name})" for iri, (name, _) in LICENCES.items())
        c.fail(
            "licence", f"{licence!r} is not on the DCAT-AP-NL licence list; use one of: {allowed}"
        )
    issued = c.date(raw, "issued")
    keywords = raw.get("keywords", list(DEFAULT_KEYWORDS))
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k for k in keywords):
        c.fail("keywords", "must be a list of non-empty strings")
    return ExportConfig(
        publisher=publisher,
        contact=c.contact(raw),
        creator=creator,
        base_url=base_url,
        w3id_target=_w3id_target(c, raw, base_url),
        landing_page=c.url(raw, "landing_page", base_url),
        sparql_endpoint=c.url(raw, "sparql_endpoint", base_url + "sparql"),
        licence=licence,
        issued=issued,
        keywords=tuple(keywords),
        themes=c.themes(raw),
        source=path,
    )


def _w3id_target(c: _Checker, raw: dict[str, Any], base_url: str) -> str | None:
    """The configured target, else ``base_url`` when it is not the w3id namespace itself (a
    redirect from there to there would loop), else None."""
    default = None if base_url.startswith(BASE) else base_url
    if "w3id_target" not in raw:
        return default
    target = c.url(raw, "w3id_target", None)
    if not target.endswith("/"):
        c.fail("w3id_target", f"must end with '/' (got {target!r})")
    if target.startswith(BASE):
        c.fail("w3id_target", f"must be where kg serve is published, not {BASE} itself")
    return target


class _Checker:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, name: str, message: str) -> NoReturn:
        raise ConfigError(f"{self.path}: field '{name}': {message}")

    def no_unknown_keys(self, table: dict[str, Any], known: set[str], prefix: str) -> None:
        for key in table:
            if key not in known:
                where = f"{prefix}{key}"
                self.fail(where, f"unknown field; expected one of {', '.join(sorted(known))}")

    def string(self, table: dict[str, Any], key: str, default: str | None, prefix: str = "") -> str:
        value = table.get(key, default)
        if value is None:
            self.fail(prefix + key, "is required")
        if not isinstance(value, str) or not value.strip():
            self.fail(prefix + key, f"must be a non-empty string (got {value!r})")
        return value

    def date(self, table: dict[str, Any], key: str) -> date | None:
        """A TOML date (``issued = 2026-07-01``, no quotes: TOML's own date type). A date in
        quotes is a string to TOML; the message shows how to write it."""
        value = table.get(key)
        if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
            return value
        how = f"write it as a TOML date, without quotes: {key} = 2026-07-01"
        if isinstance(value, str):
            try:
                date.fromisoformat(value.strip())
            except ValueError:
                self.fail(key, f"must be a date; {how} (got the string {value!r})")
            self.fail(key, f"is a string, not a date: {how.replace('2026-07-01', value.strip())}")
        if isinstance(value, datetime):
            self.fail(key, f"must be a date without a time of day; {how} (got {value.isoformat()})")
        self.fail(key, f"must be a date; {how} (got {value!r})")

    def url(self, table: dict[str, Any], key: str, default: str | None, prefix: str = "") -> str:
        value = self.string(table, key, default, prefix)
        if not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", value):
            self.fail(prefix + key, f"must be an absolute http(s) URL (got {value!r})")
        return value

    def table(self, raw: dict[str, Any], key: str, known: set[str], required: bool) -> dict | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.fail(key, f"is required: a [{key}] table with {', '.join(sorted(known))}")
            return None
        if not isinstance(value, dict):
            self.fail(key, f"must be a table [{key}]")
        self.no_unknown_keys(value, known, f"{key}.")
        return value

    def agent(self, raw: dict[str, Any], key: str, required: bool) -> Agent | None:
        table = self.table(raw, key, {"iri", "name", "type"}, required)
        if table is None:
            return None
        p = f"{key}."
        type_ = self.string(table, "type", None, p) if "type" in table else None
        known_types = {PUBLISHER_TYPE_NS + code for code in PUBLISHER_TYPES}
        if type_ is not None and type_ not in known_types:
            known = ", ".join(sorted(known_types))
            self.fail(p + "type", f"{type_!r} is not an ADMS publisher type; use one of: {known}")
        return Agent(self.url(table, "iri", None, p), self.string(table, "name", None, p), type_)

    def contact(self, raw: dict[str, Any]) -> Contact:
        table = self.table(raw, "contact", {"name", "email", "phone", "url"}, required=True)
        assert table is not None
        email = self.string(table, "email", None, "contact.") if "email" in table else None
        if email is not None and not _EMAIL.match(email):
            self.fail("contact.email", f"not an e-mail address: {email!r}")
        phone = self.string(table, "phone", None, "contact.") if "phone" in table else None
        if phone is not None and not _PHONE.match(phone):
            self.fail("contact.phone", f"not a telephone number like '+31 70 123 45 67': {phone!r}")
        url = self.url(table, "url", None, "contact.") if "url" in table else None
        if email is None and url is None:
            self.fail("contact", "needs an email or a url")
        return Contact(self.string(table, "name", None, "contact."), email, url, phone)

    def themes(self, raw: dict[str, Any]) -> Themes:
        table = self.table(raw, "themes", {"eu", "owms"}, required=False)
        if table is None:
            return Themes()
        eu = self.codes(table, "eu", DEFAULT_EU_THEMES, EU_THEMES)
        if not eu:
            self.fail("themes.eu", "needs at least one EU data theme (DCAT-AP-NL requires one)")
        return Themes(eu, self.codes(table, "owms", DEFAULT_OWMS_THEMES, OWMS_THEMES))

    def codes(self, table: dict[str, Any], key: str, default, known: dict) -> tuple[str, ...]:
        value = table.get(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"themes.{key}", f"must be a list of names (got {value!r})")
        for code in value:
            if code not in known:
                allowed = ", ".join(known)
                self.fail(
                    f"themes.{key}",
                    f"unknown theme {code!r}; known: {allowed} (kg/export/themes.py lists "
                    "them with their official labels)",
                )
        return tuple(dict.fromkeys(value))


__all__ = [
    "LICENCES",
    "PUBLISHER_TYPES",
    "PUBLISHER_TYPE_NS",
    "Agent",
    "Contact",
    "ExportConfig",
    "Themes",
    "load_config",
    "parse_config",
]
