"""The multi-document fixture corpus: the seed, one fixture of each other source form, a few real
documents of every kind (questions, notice, answers of one case) and the unseen answer documents
of tests/fixtures/corpus/: two letters and two Aanhangsels signed by the
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
# Real documents of the feed (tests/fixtures/real): one case asked and answered (the kv PDF and
# the ministry's .docx answer of 2024Z18792), a notice of delay, questions still open, and a
# published answer whose questions were asked 21 days before.
REAL = FIXTURES / "real" / "tk-2024-11"
REAL_CASES = (
    REAL / "De_ontkoppeling_van_ontwikkelingshulp.pdf.txt",
    REAL / "Antwoord_op_vragen_van_het_lid_Boswijk_o.docx.txt",
    REAL / "Uitstel_beantwoording_vragen_van_de_lede.docx.txt",
    REAL / "Het_bericht_'Een_derde_van_de_schoolbest.docx.txt",
    REAL / "Antwoord_op_vragen_van_het_lid_Beckerman.pdf.txt",
)
CORPUS_FILES = (SEED_PATH, *OTHER_FORMS, *UNSEEN_LETTERS, *REAL_CASES)


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
