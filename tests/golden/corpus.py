"""The multi-document fixture corpus: the seed, one fixture of each other source form and the
unseen answer documents of tests/fixtures/corpus/: two letters and two Aanhangsels signed by the
seed's signer (its instruments, new commitments and cross-references, references to the seed by
its number), and an Aanhangsel signed "minister de Jonge" (in lower case, as later years write
it), whom the XML fixture calls "De Jonge" (one minted person, two spellings: a document's rows
must not change with the other one loaded).

Its golden results are in tests/golden/corpus/, beside the seed-only ones; written by
``python -m tests.golden regenerate`` like those.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support import PROJECT, SEED_PATH

FIXTURES = PROJECT.root / "tests" / "fixtures"
FOLDER = Path(__file__).resolve().parent / "corpus"
# One file per document: ah-tk-20232024-877 is also there as .html, the same document.
OTHER_FORMS = (
    FIXTURES / "sources" / "ah-tk-20232024-412.pdf.txt",
    FIXTURES / "sources" / "ah-tk-20232024-877.xml",
    FIXTURES / "sources" / "ah-tk-20242025-1502.md",
)
UNSEEN_LETTERS = tuple(sorted(p for p in (FIXTURES / "corpus").iterdir() if p.is_file()))
CORPUS_FILES = (SEED_PATH, *OTHER_FORMS, *UNSEEN_LETTERS)


def corpus_project(root: Path, files: tuple[Path, ...] = CORPUS_FILES) -> Path:
    """A project at ``root`` (so that source files are named ``data/sources/...`` in the graph,
    as in the repository) whose data folder holds the reference data and ``files`` as its
    sources; returns the data folder."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "kg.toml").write_text("# the multi-document fixture corpus of tests/golden\n")
    data = root / "data"
    shutil.copytree(PROJECT.data / "reference", data / "reference")
    sources = data / "sources"
    sources.mkdir(parents=True)
    for path in files:
        shutil.copyfile(path, sources / path.name)
    return data
