"""kg export: dumps, CSV tables, DCAT-AP catalogue, VoID and ontology into one folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.errors import UsageError
from kg.project import project_default


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "export",
        help="write dumps, CSV tables and a DCAT-AP catalogue for open-data portals",
        description="Write the dataset as TriG, N-Quads (gzip), Turtle, JSON-LD and RDF/XML, CSV "
        "tables, a DCAT-AP 3 / DCAT-AP-NL catalogue (validated with the official shapes), a VoID "
        "description and the ontology into OUT. Atomic: a failed export leaves OUT as it was.",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=project_default("out"),
        help="output folder (default: %(default)s)",
    )
    p.add_argument(
        "--config",
        type=Path,
        default=project_default("export_config"),
        help="export configuration, TOML (default: %(default)s)",
    )
    p.add_argument(
        "--store",
        default=project_default("store", str),
        help="store path, or the URL of a SPARQL 1.1 query endpoint (default: %(default)s)",
    )
    p.add_argument(
        "--conformance",
        type=Path,
        default=project_default("dcat_conformance", lambda folder: folder),
        help="folder with the official SHACL shapes, dcat-ap-3.0.1/ and dcat-ap-nl-3.0/ "
        "(default: %(default)s; without them the export is written but not checked)",
    )
    p.add_argument(
        "--no-validate", action="store_true", help="do not validate the catalogue (not advised)"
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 1, nothing published) when the configuration still has placeholders "
        "or defaults a portal would reject; without it they are warnings",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kg.cli.progress import spinner
    from kg.export import export
    from kg.export.config import load_config
    from kg.store import open_store

    if args.conformance is not None and not args.conformance.is_dir():
        raise UsageError(f"--conformance {args.conformance}: no such folder")
    config = load_config(args.config)
    # The export has no count to show: a spinner says it is working (dumps, tables, SHACL).
    with spinner("Exporting", quiet=args.quiet):
        result = export(
            open_store(args.store),
            args.out,
            config,
            conformance=args.conformance,
            validate=not args.no_validate,
            strict=args.strict,
        )
    if result.not_validated and not args.no_validate:
        # on standard error, and even with --quiet: a catalogue nobody checked must not pass
        # for a checked one in a log
        print(
            f"kg export: WARNING: {result.out / 'catalog.ttl'} was {result.not_validated}. "
            "The export was written; kg export --strict refuses to publish it.",
            file=sys.stderr,
        )
    if args.quiet:
        return 0
    for file in result.files:
        print(f"{file.filename:28} {file.byte_size:>10} bytes  sha256 {file.sha256[:16]}…")
    print(f"Catalogue: {result.out / 'catalog.ttl'} (and catalog.jsonld)")
    if result.w3id is not None:
        print(f"w3id.org redirects: {result.w3id} (submit to github.com/perma-id/w3id.org)")
    if result.report is not None:
        report = result.report
        print(
            f"Validated with {len(report.shapes)} official shape files: "
            f"{len(report.violations)} violations, {len(report.warnings)} warnings "
            f"(see {result.out / 'validation-report.txt'})"
        )
        for line in _grouped(report.warnings):
            print(f"  {line}")
    if result.readiness:
        print(
            f"Not ready to publish: {len(result.readiness)} readiness warning(s) "
            "(kg export --strict fails on them):"
        )
        for item in result.readiness:
            print(f"  {item.line()}")
    return 0


def _grouped(findings) -> list[str]:
    """One line per shape and property: the same recommendation unmet on sixteen distributions
    is one line with a count (validation-report.txt lists each), so the readiness warnings
    below stay in view."""
    groups: dict[tuple[str, str, str], list] = {}
    for finding in findings:
        groups.setdefault((finding.profile, finding.path, finding.shape), []).append(finding)
    lines = []
    for found in groups.values():
        first = found[0]
        if len(found) == 1:
            lines.append(first.line())
        else:
            lines.append(
                f"[{first.profile}] {first.severity}: {first.path} on {len(found)} resources, "
                f"e.g. {first.focus}: {first.message}"
            )
    return lines
