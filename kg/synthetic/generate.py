"""Synthetic source documents in the letter form, for benchmarks of the whole pipeline.

``generate(out, documents=N, seed=S)`` writes ``out/sources/<id>.txt`` (letters the parser in
``kg.sources.parsers.letter`` reads, exactly in the form of the seed 2026D32673) and copies the curated
reference data to ``out/reference/`` so that ``kg build --data out`` works as is.

Variation follows the seed: a cover letter (member, party, meeting, sender, post), numbered
questions each followed by an answer with or without an ``Antwoord`` heading, footnotes (a URL,
a Kamerstuk, a COM document or a title), cross-references to other answers, commitments to
inform parliament with and without timing, mentions of curated entities (all of their labels)
and of invented names that the linker does not know, and now and then a very long answer.

Determinism: document ``i`` of seed ``S`` is made by its own ``random.Random(f"{S}:{i}")``, so
the same (seed, i) gives the same bytes whatever N is, and a corpus of N documents is a prefix of
one of N + k. No global random state is touched.

Size: a document of average size gives about 1,300 triples (``TRIPLES_PER_DOCUMENT``, measured
by ``tests/test_bench_generate.py``-style builds); ``documents_for(triples)`` calibrates N.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.project import reference_dir, sources_dir
from kg.sources.text import DUTCH_MONTHS

# Measured: mean triples per generated document graph (seed 1, 1,000 documents).
TRIPLES_PER_DOCUMENT = 1290
# Triples that every build has whatever the sources: ontology + reference data + build graph.
FIXED_TRIPLES = 1300

MONTHS = list(DUTCH_MONTHS)
PARTIES = ["VOLT", "D66", "CDA", "VVD", "GL-PvdA", "SP", "PVV", "NSC", "BBB", "CU", "SGP", "PvdD"]
SURNAMES = [
    "Jansen",
    "Vries",
    "Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Boer",
    "Mulder",
    "Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Dijkstra",
    "Kok",
    "Koster",
    "Prins",
    "Huisman",
    "Kuipers",
    "Veenstra",
    "Wolters",
]
INITIALS = ["A.", "B.", "C.J.", "D.", "E.M.", "F.", "G.H.", "H.", "J.", "K.L.", "M.", "P.R.", "W."]
COMMITTEES = [
    "Innovatie",
    "Digitale Zaken",
    "Economische Zaken",
    "Onderwijs en Wetenschap",
    "Justitie en Veiligheid",
    "Binnenlandse Zaken",
]
POSTS = [
    "Minister van Economische Zaken en Klimaat",
    "Staatssecretaris van Economische Zaken en Klimaat",
    "Minister van Binnenlandse Zaken en Koninkrijksrelaties",
    "Staatssecretaris van Digitalisering",
    "Minister van Onderwijs, Cultuur en Wetenschap",
    "Minister van Justitie en Veiligheid",
]
TOPICS = [
    "AI",
    "algoritmen",
    "digitale soevereiniteit",
    "cyberveiligheid",
    "de cloud",
    "chips",
    "data",
    "generatieve AI",
]
# Invented organisations and programmes: names the linker must not know.
UNKNOWN_PREFIXES = ["Stichting", "Platform", "Programma", "Coalitie", "Centrum", "Netwerk"]
UNKNOWN_WORDS = [
    "Digitale",
    "Toekomst",
    "Veilige",
    "Algoritmen",
    "Open",
    "Modellen",
    "Rekenkracht",
    "Datadelen",
    "Kennis",
    "Innovatie",
    "Vertrouwen",
    "Publieke",
    "Waarden",
    "Slimme",
    "Regio",
    "Mens",
    "Machine",
]
FILLER = [
    "Het kabinet volgt de ontwikkelingen op dit terrein nauwgezet",
    "Daarbij is samenwerking met andere lidstaten van groot belang",
    "Tegelijkertijd zijn er risico's die om een zorgvuldige afweging vragen",
    "De komende periode wordt bezien welke aanvullende maatregelen nodig zijn",
    "Dit sluit aan bij de inzet die eerder met uw Kamer is gedeeld",
    "Het is van belang dat publieke waarden daarbij voorop staan",
    "Ook de uitvoeringsorganisaties worden hierbij nauw betrokken",
    "De precieze gevolgen zijn op dit moment nog niet te overzien",
    "Er wordt gewerkt aan een nadere uitwerking van deze plannen",
    "Het kabinet hecht eraan dat bedrijven en kennisinstellingen hierin samen optrekken",
    "De middelen daarvoor zijn in de begroting gereserveerd",
    "Daarbij wordt gekeken naar ervaringen in andere landen",
]
QUESTION_OPENINGS = [
    "Hoe kijkt u naar",
    "Bent u bereid om",
    "Welke stappen gaat u zetten rond",
    "Deelt u de zorg over",
    "Op welke manier gaat u invulling geven aan",
    "Kunt u toelichten wat de stand van zaken is van",
    "Erkent u het belang van",
]
QUESTION_ENDINGS = [
    "in het licht van de recente ontwikkelingen",
    "voor het Nederlandse concurrentievermogen",
    "en wat betekent dit voor de publieke sector",
    "op de korte termijn",
    "en bent u bereid de Kamer hierover te informeren",
]
TIMINGS = [
    "Na de zomer",
    "Voor het einde van het jaar",
    "Begin volgend jaar",
    "Zo spoedig mogelijk",
    "Op korte termijn",
    "In het voorjaar",
]
COMMITMENTS = [
    "{timing} zal ik uw Kamer een brief sturen over {topic}.",
    "{timing} zal uw Kamer worden geïnformeerd over de voortgang van {topic}.",
    "Zodra de evaluatie van {topic} is afgerond, zal ik uw Kamer hierover informeren.",
    "Het kabinet zal de Tweede Kamer over {topic} informeren.",
]
CROSS_REFERENCES = [
    "Zie de beantwoording van vraag {n}.",
    "Zoals toegelicht in het antwoord op vraag {n} is dit een belangrijk aandachtspunt.",
    "Voor de inzet op dit punt verwijs ik naar de beantwoording van de vragen {n} en {m}.",
]
FOOTNOTE_FORMS = [
    "https://www.rijksoverheid.nl/documenten/{year}/{n:04d}/ai-{word}",
    "Kamerstukken II {year}/{next}, {dossier}, nr. {n}",
    "COM({year}) {n} final",
    "{title} | {org}",
]


@dataclass(frozen=True)
class Vocabulary:
    """What a document may mention: curated labels (found by the linker) and other text."""

    labels: Sequence[str]


def load_vocabulary(reference: Path) -> Vocabulary:
    """Curated labels from the reference data, in a stable order (sorted)."""
    from kg.extract.reference import LabelIndex, load_turtle_files, turtle_files

    index = LabelIndex.from_graph(load_turtle_files(turtle_files(reference)))
    # Labels that would break the letter form if put in running text are left out.
    labels = sorted(label for label in index.labels if "[" not in label and "]" not in label)
    return Vocabulary(labels)


def document_id(index: int) -> str:
    """Unique, parser-valid numbers (``\\d{4}D\\d{4,6}``), never the seed's 2026D32673."""
    return f"{2030 + index // 900_000}D{100_000 + index % 900_000:06d}"


def documents_for(triples: int) -> int:
    """How many documents make a corpus of about this many triples."""
    return max(1, round((triples - FIXED_TRIPLES) / TRIPLES_PER_DOCUMENT))


class _Letter:
    def __init__(self, rng: random.Random, vocabulary: Vocabulary, identifier: str) -> None:
        self.rng = rng
        self.vocabulary = vocabulary
        self.identifier = identifier
        self.footnotes: list[str] = []

    # -- pieces ------------------------------------------------------------------------------

    def person(self) -> str:
        return f"{self.rng.choice(INITIALS)} {self.rng.choice(SURNAMES)}"

    def unknown_name(self) -> str:
        words = self.rng.sample(UNKNOWN_WORDS, 2)
        return f"{self.rng.choice(UNKNOWN_PREFIXES)} {words[0]} {words[1]}"

    def label(self) -> str:
        return self.rng.choice(self.vocabulary.labels)

    def footnote(self) -> str:
        """A marker; its body is collected and written after the paragraph."""
        rng = self.rng
        year = rng.randint(2018, 2026)
        body = rng.choice(FOOTNOTE_FORMS).format(
            year=year,
            next=str(year + 1)[-4:],
            n=rng.randint(1, 999),
            word=rng.choice(UNKNOWN_WORDS).lower(),
            dossier=rng.choice(["22112", "26643", "32761", "36600"]),
            title=f"{rng.choice(FILLER)} ({rng.choice(TOPICS)})",
            org=self.unknown_name(),
        )
        self.footnotes.append(body)
        return f"[footnoteRef:{self._footnote_number()}]"

    def _footnote_number(self) -> int:
        return self.total_footnotes + len(self.footnotes)

    total_footnotes = 0

    def sentence(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.2:
            return f"Dit geldt in het bijzonder voor {self.label()}."
        if roll < 0.3:
            return f"Ook {self.unknown_name()} speelt hierbij een rol, naast {self.label()}."
        if roll < 0.35:
            return f"In dat verband wijs ik op {self.label()} en {self.label()}."
        return f"{rng.choice(FILLER)}."

    def paragraph(self, sentences: int, footnote_chance: float) -> str:
        parts = [self.sentence() for _ in range(sentences)]
        text = " ".join(parts)
        if self.rng.random() < footnote_chance:
            text = text[:-1] + "." + self.footnote()
        return self._flush_footnotes(text)

    def _flush_footnotes(self, text: str) -> str:
        if not self.footnotes:
            return text
        start = self.total_footnotes + 1
        bodies = " ".join(f"[{start + i}:  {body}]" for i, body in enumerate(self.footnotes))
        self.total_footnotes += len(self.footnotes)
        self.footnotes = []
        return f"{text} {bodies} "

    def question(self) -> str:
        rng = self.rng
        text = f"{rng.choice(QUESTION_OPENINGS)} {self.label()} {rng.choice(QUESTION_ENDINGS)}?"
        if rng.random() < 0.15:
            text = text + self.footnote()
            text = self._flush_footnotes(text)
        return text

    def answer(self, number: int, questions: int) -> str:
        rng = self.rng
        long = rng.random() < 0.05
        paragraphs = [
            self.paragraph(rng.randint(2, 6), 0.3)
            for _ in range(
                rng.randint(8, 14) if long else rng.choices([1, 2, 3, 4], [3, 4, 2, 1])[0]
            )
        ]
        if questions > 1 and rng.random() < 0.2:
            others = [n for n in range(1, questions + 1) if n != number]
            if len(others) > 1:
                n, m = sorted(rng.sample(others, 2))
                reference = rng.choice(CROSS_REFERENCES).format(n=n, m=m)
            else:
                reference = CROSS_REFERENCES[0].format(n=others[0])
            paragraphs.append(f"{rng.choice(FILLER)}. {reference}")
        if rng.random() < 0.3:
            topic = self.label()
            paragraphs.append(
                rng.choice(COMMITMENTS).format(timing=rng.choice(TIMINGS), topic=topic)
            )
        return "\n\n".join(paragraphs)

    # -- the whole letter --------------------------------------------------------------------

    def text(self) -> str:
        rng = self.rng
        questions = rng.choices(
            range(1, 16), weights=[4, 8, 10, 10, 8, 6, 4, 3, 2, 2, 1, 1, 1, 1, 1]
        )[0]
        member = rng.choice(SURNAMES)
        if rng.random() < 0.3:  # a double-barrelled name
            member = f"{member}-{rng.choice(SURNAMES)}"
        party = rng.choice(PARTIES)
        post, on_behalf = rng.sample(POSTS, 2)
        day, month = rng.randint(1, 28), rng.choice(MONTHS)
        cover = [
            "Door AI gegenereerde inhoud is mogelijk onjuist.]" if rng.random() < 0.3 else "",
            "Geachte Voorzitter,",
            "",
            f"Hierbij zend ik u, mede namens de {on_behalf}, de schriftelijke beantwoording toe "
            f"van de vragen die het lid {member} ({party}) over {rng.choice(TOPICS)} heeft gesteld "
            f"tijdens het Commissiedebat {rng.choice(COMMITTEES)} van {day} {month} jl., zoals "
            f"aldaar toegezegd door de {on_behalf}.",
            "",
            "",
            self.person(),
            post,
            "",
            "",
            self.identifier,
            "",
        ]
        blocks = []
        for number in range(1, questions + 1):
            heading = "Antwoord\n" if rng.random() < 0.9 else ""
            question = self.question()
            answer = self.answer(number, questions)
            blocks.append(f"{number}\n{question}\n\n{heading}{answer}\n")
        return "\n".join(cover) + "\n" + "\n".join(blocks)


def generate_text(seed: int, index: int, vocabulary: Vocabulary) -> tuple[str, str]:
    """The identifier and text of document ``index`` of corpus ``seed``."""
    identifier = document_id(index)
    rng = random.Random(f"{seed}:{index}")
    return identifier, _Letter(rng, vocabulary, identifier).text()


def generate(out: Path, documents: int, seed: int, reference: Path, start: int = 0) -> list[Path]:
    """Write documents ``start .. start + documents - 1`` and the reference data under ``out``."""
    vocabulary = load_vocabulary(reference)
    folder = sources_dir(out)
    folder.mkdir(parents=True, exist_ok=True)
    target_reference = reference_dir(out)
    if target_reference.resolve() != reference.resolve():
        # The curated entities only: curated stances (reference/stances/) are about real
        # documents, which a synthetic corpus does not hold.
        target_reference.mkdir(parents=True, exist_ok=True)
        for path in reference.glob("*.ttl"):
            shutil.copyfile(path, target_reference / path.name)
    written = []
    for index in range(start, start + documents):
        identifier, text = generate_text(seed, index, vocabulary)
        path = folder / f"{identifier}.txt"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
