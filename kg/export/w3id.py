"""The w3id.org redirect rules: the ``.htaccess`` file the perma-id/w3id.org repository takes for
the namespace the data's IRIs are in (``https://w3id.org/ai-beleid/``), so that the IRIs in the
catalogue, the VoID and the data resolve once it is submitted there as ``ai-beleid/.htaccess``.

Every path goes to the same path at ``w3id_target`` in the export's configuration, the public
address of ``kg serve``: a thing (``id/...``) with 303 See Other, as the server answers for it
itself (its description is a different resource); everything else (``def/aip``, ``doc/...``,
``catalog``, ``download/...``, ``sparql``, ``.well-known/void``) with 302. Query strings are
kept (mod_rewrite appends them to a target without one), and percent-escapes are passed on as
they came (``NE``).
"""

from __future__ import annotations

from pathlib import Path

from kg.export.config import ExportConfig
from kg.rdf.namespaces import BASE

W3ID = "https://w3id.org/"
HTACCESS = Path("w3id") / BASE.removeprefix(W3ID).strip("/") / ".htaccess"

RULES = """# Redirects of {namespace} to where the AI-beleid knowledge graph is published.
# Written by kg export from w3id_target in {config}; submit this file as
# {folder}/.htaccess to https://github.com/perma-id/w3id.org (a pull request).
# Contact: {contact}
Options +FollowSymLinks
RewriteEngine on

# Things: 303 See Other, as the server answers for them (their description is another resource).
RewriteRule ^id/(.*)$ {target}id/$1 [R=303,L,NE]

# Everything else, the namespace itself included: the same path at the server.
RewriteRule ^(.*)$ {target}$1 [R=302,L,NE]
"""


def htaccess(config: ExportConfig) -> str | None:
    """The rules for ``config``, or None when it names no target (``w3id_target``)."""
    if config.w3id_target is None:
        return None
    contact = config.contact.name + (f" <{config.contact.email}>" if config.contact.email else "")
    return RULES.format(
        namespace=BASE,
        config=config.source.name if config.source else "export.toml",
        folder=HTACCESS.parent.name,
        contact=contact,
        target=config.w3id_target,
    )


def write_htaccess(folder: Path, config: ExportConfig) -> Path | None:
    """Write the rules into ``folder`` (as ``w3id/<namespace>/.htaccess``, the repository's
    layout); None when there is no target to redirect to."""
    text = htaccess(config)
    if text is None:
        return None
    path = folder / HTACCESS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


__all__ = ["HTACCESS", "htaccess", "write_htaccess"]
