"""The themes a dataset can be filed under, with the labels the catalogue gives them.

DCAT-AP-NL 3.0 asks for at least one theme from the EU Data Theme vocabulary and recommends
themes from domain vocabularies beside it; data.overheid.nl files datasets under the OWMS
TaxonomieBeleidsagenda. Both are listed here with their official IRIs and labels, because the
catalogue types and labels every theme itself (portals do not load the vocabularies for us).

Sources (checked, not guessed):
- EU Data Theme: http://publications.europa.eu/resource/authority/data-theme/{CODE}; the
  Dutch label of GOVE ("Overheid en publieke sector") and REGI ("Regio's en steden") as in the
  EU authority table. The Dutch label of TECH is the one this project shipped before; it was
  not re-checked against the authority table.
- OWMS TaxonomieBeleidsagenda: http://standaarden.overheid.nl/owms/terms/{Name}, the list
  published at https://standaarden.overheid.nl/owms/terms/TaxonomieBeleidsagenda.xml (as named
  by DCAT-AP-DONL's value lists, dataoverheid/dcat-ap-donl docs/waardelijsten). The names and
  labels below are those data.overheid.nl itself uses (dataoverheid/drupal-web,
  donl_migrate CleanupApplication.php theme mapping; DCAT-AP-DONL's dataset examples use
  owms/terms/Parlement and owms/terms/Bestuur as dcat:theme). Only themes near this dataset's
  subject are listed; add others from the official list with their label.
"""

from __future__ import annotations

from rdflib import URIRef

from kg.rdf.namespaces import EU_AUTHORITY

EU_THEME_SCHEME = URIRef(f"{EU_AUTHORITY}data-theme")
OWMS_TERMS = "http://standaarden.overheid.nl/owms/terms/"
OWMS_THEME_SCHEME = URIRef(f"{OWMS_TERMS}TaxonomieBeleidsagenda")

# code -> (Dutch label, English label)
EU_THEMES: dict[str, tuple[str, str]] = {
    "GOVE": ("Overheid en publieke sector", "Government and public sector"),
    "TECH": ("Wetenschap en technologie", "Science and technology"),
    "REGI": ("Regio's en steden", "Regions and cities"),
}
# local name -> Dutch label (the list has Dutch labels only)
OWMS_THEMES: dict[str, str] = {
    "Bestuur": "Bestuur",
    "Parlement": "Parlement",
    "Rijksoverheid": "Rijksoverheid",
    "Organisatie_en_beleid": "Organisatie en beleid",
    "Europese_zaken": "Europese zaken",
    "Internationaal": "Internationaal",
    "Economie": "Economie",
    "ICT": "ICT",
    "Ondernemen": "Ondernemen",
    "Markttoezicht": "Markttoezicht",
    "Onderwijs_en_wetenschap": "Onderwijs en wetenschap",
    "Onderzoek_en_wetenschap": "Onderzoek en wetenschap",
    "Ethiek": "Ethiek",
}
DEFAULT_EU_THEMES = ("GOVE", "TECH")
DEFAULT_OWMS_THEMES = ("ICT", "Parlement")


def eu_theme_iri(code: str) -> URIRef:
    return URIRef(f"{EU_THEME_SCHEME}/{code}")


def owms_theme_iri(name: str) -> URIRef:
    return URIRef(f"{OWMS_TERMS}{name}")


__all__ = [
    "DEFAULT_EU_THEMES",
    "DEFAULT_OWMS_THEMES",
    "EU_THEMES",
    "EU_THEME_SCHEME",
    "OWMS_THEMES",
    "OWMS_THEME_SCHEME",
    "eu_theme_iri",
    "owms_theme_iri",
]
