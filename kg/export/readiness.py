"""Is the configuration ready for a real publication? The official shapes cannot tell: a
placeholder publisher or a contact without an e-mail address passes them, and a portal manager
rejects the dataset anyway. Each finding names the field in export.toml and what to put there.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from kg.export.config import Agent, ExportConfig
from kg.rdf.namespaces import BASE

# Registers of organisations DCAT-AP-NL 3.0 names for dct:publisher (section "Waardelijsten":
# the EU corporate-body list for EU bodies, else national lists such as TOOI or ROR).
ORGANISATION_REGISTERS = {
    "https://identifier.overheid.nl/tooi/id/": "TOOI",
    "http://standaarden.overheid.nl/owms/terms/": "OWMS",
    "https://ror.org/": "ROR",
    "http://publications.europa.eu/resource/authority/corporate-body/": "EU corporate bodies",
}
TOOI_ID = "https://identifier.overheid.nl/tooi/id/"
# An organisation in a TOOI register: the register and the code, letters then digits
# (ministerie/mnre1034, gemeente/gm0363, provincie/pv23, waterschap/ws0652, oorg/oorg10007,
# col/col01).
TOOI_ORGANISATION = re.compile(re.escape(TOOI_ID) + r"[a-z][a-z_]*/[a-z]+[0-9]+$")
# Hosts no portal can reach or that RFC 2606 / RFC 6761 reserve for examples.
PLACEHOLDER_HOSTS = ("localhost", "127.0.0.1", "0.0.0.0", "example.org", "example.com",
                     "example.net")  # fmt: skip
PLACEHOLDER_DOMAINS = (".example", ".invalid", ".test", ".localhost")


@dataclass(frozen=True)
class ReadinessWarning:
    field: str
    message: str
    file: str = "export.toml"  # the configuration file the field is in, as it was named

    def line(self) -> str:
        return f"[{self.file}] {self.field}: {self.message}"


def readiness_warnings(config: ExportConfig) -> list[ReadinessWarning]:
    """Every field that still holds a placeholder, or a default a portal would reject, each
    naming the configuration file that was read (``--config``), not the default one."""
    file = str(config.source) if config.source is not None else "export.toml"
    return [dataclasses.replace(w, file=file) for w in _warnings(config)]


def _warnings(config: ExportConfig) -> list[ReadinessWarning]:
    found = _agent("publisher", config.publisher)
    if config.creator != config.publisher:
        found += _agent("creator", config.creator)
    found += _contact(config)
    for name in ("base_url", "landing_page", "sparql_endpoint"):
        if _placeholder_host(getattr(config, name)):
            found.append(ReadinessWarning(name, f"{getattr(config, name)} is not a public address"))
    if config.w3id_target is None:
        found.append(
            ReadinessWarning(
                "w3id_target",
                f"not set, and base_url is the w3id.org namespace itself ({config.base_url}), so "
                "the redirect rules that make the dataset's IRIs resolve (w3id/.../.htaccess) "
                "cannot be written: give the public address of kg serve, e.g. "
                'w3id_target = "https://data.example.nl/ai-beleid/"',
            )
        )
    if not config.themes.owms:
        found.append(
            ReadinessWarning(
                "themes.owms",
                "no OWMS theme: data.overheid.nl files datasets under the TaxonomieBeleidsagenda",
            )
        )
    if config.issued is None:
        found.append(
            ReadinessWarning(
                "issued",
                "not set, so dct:issued is the date of the first export into this folder "
                "(kept from its catalog.ttl) and starts again in a new folder; give the date "
                "of first publication as a TOML date: issued = 2026-07-01",
            )
        )
    return found


def _agent(field: str, agent: Agent) -> list[ReadinessWarning]:
    found = []
    if agent.iri.startswith(BASE):
        found.append(
            ReadinessWarning(
                f"{field}.iri",
                f"{agent.iri} ({agent.name}) is a placeholder in this dataset's own namespace, "
                "not the organisation that publishes; use its TOOI IRI, e.g. "
                "https://identifier.overheid.nl/tooi/id/ministerie/mnre1034 (ministerie van BZK)",
            )
        )
    elif agent.iri.startswith(TOOI_ID) and not TOOI_ORGANISATION.match(agent.iri):
        found.append(
            ReadinessWarning(
                f"{field}.iri",
                f"{agent.iri} is not of the TOOI form {TOOI_ID}{{register}}/{{code}}, e.g. "
                f"{TOOI_ID}ministerie/mnre1034 or {TOOI_ID}gemeente/gm0363",
            )
        )
    elif not any(agent.iri.startswith(prefix) for prefix in ORGANISATION_REGISTERS):
        registers = ", ".join(f"{n} ({p})" for p, n in ORGANISATION_REGISTERS.items())
        found.append(
            ReadinessWarning(
                f"{field}.iri", f"{agent.iri} is in no organisation register: {registers}"
            )
        )
    if agent.type is None:
        found.append(
            ReadinessWarning(
                f"{field}.type",
                "missing: the ADMS publisher type, e.g. "
                "http://purl.org/adms/publishertype/NationalAuthority",
            )
        )
    return found


def _contact(config: ExportConfig) -> list[ReadinessWarning]:
    email = config.contact.email
    if email is None:
        return [
            ReadinessWarning(
                "contact.email",
                "missing: the contact point has no vcard:hasEmail; portals ask for an address",
            )
        ]
    if _placeholder_host(f"mailto://{email.rsplit('@', 1)[-1]}"):
        return [ReadinessWarning("contact.email", f"{email} is an example address")]
    return []


def _placeholder_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in PLACEHOLDER_HOSTS or host.endswith(PLACEHOLDER_DOMAINS)


__all__ = ["ORGANISATION_REGISTERS", "ReadinessWarning", "readiness_warnings"]
