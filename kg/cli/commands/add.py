"""kg add FILE|DIR...: copy documents into data/sources, rebuild and check, report what was added.

One file is all or nothing: a refusal exits 2 and changes nothing. Several files or a folder
are read one by one (a progress bar on a terminal): each refused file gets a report line and
is left out, the others are added with one rebuild; the exit code is 2 if any was refused.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import KgError, SourceError, UsageError, printable
from kg.project import project_default

if TYPE_CHECKING:
    from kg.pipeline.corpus import Reading

SOURCE_SUFFIXES = {".txt", ".md", ".xml", ".html", ".htm", ".xhtml", ".pdf", ".docx"}


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "add",
        help="add source documents and rebuild",
        description="Parse each FILE or every source file in a DIR: written questions, answers "
        "and notices of delay as text, markdown, PDF or .docx (Aanhangsel, kamervragen, the "
        "ministry's letter and answer forms) or officielebekendmakingen XML or (X)HTML. Copy "
        "each into "
        "DATA/sources as ID.ext (with its metadata.xml, if any, beside it), rebuild the store "
        "once and run the checks. One FILE: on any error nothing is changed. Several: refused "
        "files are reported and left out. Anomalies the parser accepted are listed as notes.",
    )
    p.add_argument("files", nargs="+", type=Path, metavar="FILE|DIR")
    p.add_argument("--id", dest="identifier", help="the document's identifier (one FILE only)")
    p.add_argument(
        "--metadata",
        type=Path,
        help="the publication's metadata.xml (OWMS) for one FILE: title, askers, addressee, "
        "dates, question number and identifier (default: FILE.metadata.xml or metadata.xml "
        "beside it)",
    )
    p.add_argument("--data", type=Path, default=project_default("data"), help="data folder")
    p.add_argument(
        "--ontology", type=Path, default=project_default("ontology"), help="ontology folder"
    )
    p.add_argument("--store", type=Path, default=project_default("store"), help="store path")
    p.add_argument(
        "--shapes",
        type=Path,
        default=project_default("shapes"),
        help="SHACL shapes the rebuilt document graphs must conform to (default: %(default)s)",
    )
    p.add_argument("--passages", type=int, default=1, help="passages shown per candidate name")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kg.sources.document_id import InvalidIdentifier, document_id

    files = expand(args.files)
    single = len(args.files) == 1 and not args.files[0].is_dir()
    if (args.identifier or args.metadata) and not single:
        raise KgError("--id and --metadata apply to one FILE; give one file, not several")
    if args.identifier is not None:
        try:
            args.identifier = document_id(args.identifier)
        except InvalidIdentifier as err:
            raise UsageError(f"--id: {err}") from None
    with tempfile.TemporaryDirectory(prefix="kg-add-") as staging:
        origin: dict[Path, Path] = {}  # staged copy -> the file the user named
        for number, path in enumerate(files):
            if needs_staging(path, args.identifier, args.metadata):
                folder = Path(staging) / str(number)
                origin[stage(path, folder, args.identifier, args.metadata)] = path
        files = [next((s for s, o in origin.items() if o == p), p) for p in files]
        try:
            reading = check_each(files, args, strict=single)
        except SourceError as error:  # one file: refused as a whole, named as the user named it
            raise _renamed(error, origin) from None
        refused = reading.refused
        for _path, refusal in refused:
            # "FILE:LINE: why", on one line whatever the file's name or text holds
            print(f"refused {printable(_renamed(refusal, origin))}", file=sys.stderr)
        rejected = add_and_report(reading, args, batch=not single) if reading.accepted else []
        for document in rejected:
            source = printable(origin.get(document.source, document.source))
            print(
                f"refused {source}: its graph violates "
                f"{len(document.findings)} rule(s) of {printable(args.shapes)}: "
                + printable("; ".join(document.findings[:3])),
                file=sys.stderr,
            )
        if refused and not reading.accepted:
            print("nothing added", file=sys.stderr)
    return 2 if refused or rejected else 0


def expand(arguments: list[Path]) -> list[Path]:
    """The files named, and the source files in each folder named (sorted, no sidecars)."""
    from kg.sources.metadata import is_sidecar

    files: list[Path] = []
    for argument in arguments:
        if argument.is_dir():
            found = sorted(
                p
                for p in argument.iterdir()
                if p.is_file()
                and p.suffix.lower() in SOURCE_SUFFIXES
                and not p.name.startswith(".")
                and not is_sidecar(p)
            )
            if not found:
                raise SourceError(argument, "no source files in this folder")
            files.extend(found)
        elif not argument.is_file():
            raise SourceError(argument, "no such file; expected a document to add")
        else:
            files.append(argument)
    return files


def _renamed(error: SourceError, origin: dict[Path, Path]) -> SourceError:
    return SourceError(origin.get(error.path, error.path), error.detail, error.line)


def needs_staging(path: Path, identifier: str | None, metadata: Path | None) -> bool:
    """Whether the file is to be copied with a metadata.xml written for it: when --id or
    --metadata is given, or its metadata is a folder's shared metadata.xml (which is not
    copied into data/sources by its name)."""
    from kg.sources.metadata import find_sidecar, sidecar_of

    found = find_sidecar(path)
    return bool(identifier or metadata or (found and found != sidecar_of(path)))


def stage(path: Path, folder: Path, identifier: str | None, metadata: Path | None) -> Path:
    """A copy of ``path`` with a metadata.xml beside it holding ``--metadata`` and ``--id``,
    so that the rebuild (and every later one) reads the file as the user asked."""
    from kg.sources.metadata import Metadata, find_sidecar, metadata_xml, read_metadata, sidecar_of

    source = metadata or find_sidecar(path)
    values = read_metadata(source) if source else Metadata()
    if identifier:
        values = dataclasses.replace(values, override=identifier)
    folder.mkdir(parents=True, exist_ok=True)
    staged = folder / path.name
    shutil.copyfile(path, staged)
    sidecar_of(staged).write_text(metadata_xml(values), encoding="utf-8")
    return staged


def check_each(files: list[Path], args: argparse.Namespace, strict: bool) -> Reading:
    """Read each file once, before anything is copied (``kg.pipeline.corpus.read_sources``):
    what was read, and the files refused, unreadable or already there."""
    from kg.pipeline.corpus import read_sources

    return read_sources(progress(files), args.data, args.store, args.shapes, batch=not strict)


def progress(files: list[Path]):
    """The files, with a progress bar on stderr when it is a terminal (never in a pipe)."""
    from rich.console import Console
    from rich.progress import track

    console = Console(stderr=True)
    if len(files) < 2 or not console.is_terminal:
        return files
    return track(files, description="reading", console=console, transient=True)


def add_and_report(reading: Reading, args: argparse.Namespace, batch: bool) -> list:
    """Add the files read (``check_each``) and report each; the documents of a batch left out
    because their graphs fail the checks (the others are added), for the caller to report."""
    from kg.cli.progress import bar
    from kg.pipeline.corpus import add_documents
    from kg.validate import shacl_check

    # kg validate's shapes: no document whose graph violates one enters the store.
    with bar("Adding: documents") as progress:
        result = add_documents(
            reading,
            args.data,
            args.store,
            args.ontology,
            checks=[shacl_check(args.shapes)],
            shapes_dir=args.shapes,
            progress=progress,
            batch=batch,
        )
    for added in result.added:
        doc = added.document
        status = f"loaded with {len(doc.notes)} note(s)" if doc.notes else "loaded"
        print(
            f"Added {doc.identifier} ({doc.form}) as {printable(added.target)} [{status}]: "
            f"{len(doc.questions)} questions, {len(doc.answers)} answers, "
            f"{len(doc.footnotes)} footnotes, {len(doc.cross_references)} cross-references, "
            f"{len(doc.mentions)} mentions, {len(doc.commitments)} commitments, "
            f"{added.cited} cited documents"
        )
        for note in doc.notes:
            print(f"  note, line {note.line} ({note.kind}): {printable(note.message)}")
        print_candidates(added.candidates, args.passages)
    print(f"Store: {printable(result.build.store)} ({result.build.triples} triples)")
    return result.rejected


def print_candidates(candidates, passages: int) -> None:
    if not candidates:
        print("  no uncurated names")
        return
    print(f"  {len(candidates)} uncurated name(s) worth curating (data/reference/*.ttl):")
    for candidate in candidates:
        print(f"    {candidate.count}x {printable(candidate.name)}")
        for passage in candidate.passages[:passages]:
            print(f"        {printable(passage)}")
