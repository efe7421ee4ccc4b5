"""Looking things up by name in the search index a build wrote (``kg.pipeline.search_index``).

Case, accents and punctuation do not count ("AI-verordening", "ai verordening" and
"AI Verordening" are one name); small typos do (rapidfuzz, against the names and against the
words of the texts). Results are ranked by how they match, in tiers:

====  ==========================================================================
100   the query is a label (the name shown) of the resource
 97   ... another name: an alternative label, an abbreviation, an identifier
 94   ... a hidden name (a form found in documents, never shown)
 85+  a name starts with the query ("algoritmereg" -> "Algoritmeregister")
 75+  every word of the query starts a word of a name ("reg algo")
 60+  a name is close to the query (a typo), by rapidfuzz's score
 40+  the words of the query are in the text (a question, an answer, a commitment)
====  ==========================================================================

Within a tier, curated and minted entities come before documents and their parts, then the
shorter name. Everything is prepared once when the index is loaded (normalised names, a sorted
list for prefixes, an inverted index of words), so a query costs a few dictionary look-ups, two
binary searches and two rapidfuzz passes over arrays of strings: well under 100 ms at 10,000
entities (``benchmarks/search.py``).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from kg.pipeline.search_index import KIND_NAMES

MAX_QUERY = 200  # characters: a name, not a document
MAX_LIMIT = 100
NAME_FIELDS = {"label": 100, "alt": 97, "identifier": 97, "hidden": 94}
FUZZY_CUTOFF = 82  # rapidfuzz score (0-100) from which a name counts as a near miss
WORD_CUTOFF = 84  # ... and a word of a text
SNIPPET = 160  # characters of text around the first word found
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n\s*\n")


class SearchError(ValueError):
    """A query the index cannot answer as asked (too long, an unknown kind)."""


# Combining marks (accents once NFKD has split them off): done by a regular expression, in C,
# since the index normalises every word of every text when it is loaded.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def normalise(text: str) -> str:
    """Lower case, no accents, every run of other characters one space."""
    plain = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()
    return _NOT_WORD.sub(" ", plain).strip()


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """``normalise(text)`` (before collapsing spaces) with, per character, its offset in text."""
    chars, offsets = [], []
    for at, char in enumerate(text):
        decomposed = unicodedata.normalize("NFKD", char)
        for c in "".join(c for c in decomposed if not unicodedata.combining(c)).casefold():
            chars.append(c if "a" <= c <= "z" or "0" <= c <= "9" else " ")
            offsets.append(at)
    return "".join(chars), offsets


@dataclass
class Hit:
    entry: dict
    score: float
    matched: str = ""  # the name or word that matched
    field: str = ""  # label, alt, identifier, hidden, text


@dataclass
class SearchIndex:
    entries: list[dict]
    classes: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.names: list[str] = []  # normalised names
        self.name_of: list[tuple[int, str, str]] = []  # (entry, field, name as written)
        self.exact: dict[str, list[int]] = {}
        for number, item in enumerate(self.entries):
            for text, name_field in item.get("names", []):
                key = normalise(text)
                if not key:
                    continue
                self.exact.setdefault(key, []).append(len(self.names))
                self.names.append(key)
                self.name_of.append((number, name_field, text))
        self.sorted_names = sorted((name, i) for i, name in enumerate(self.names))
        # The names by length: a near miss (rapidfuzz's ratio >= FUZZY_CUTOFF) is between
        # about 0.7 and 1.45 times the query's length, so only that stretch is compared.
        self.by_length = sorted(range(len(self.names)), key=lambda i: len(self.names[i]))
        self.lengths = [len(self.names[i]) for i in self.by_length]
        self.names_by_length = [self.names[i] for i in self.by_length]
        self.sorted_keys = [name for name, _ in self.sorted_names]
        self.name_words: dict[str, set[int]] = {}  # word -> names that have it
        for i, name in enumerate(self.names):
            for word in name.split():
                self.name_words.setdefault(word, set()).add(i)
        self.word_keys = sorted(self.name_words)
        self.text_words: dict[str, set[int]] = {}  # word -> entries whose text has it
        for number, item in enumerate(self.entries):
            for word in set(normalise(item.get("text", "")).split()):
                self.text_words.setdefault(word, set()).add(number)
        self.vocabulary = sorted(self.text_words)
        self.rank = {kind: i for i, kind in enumerate(KIND_NAMES)}
        self.by_iri = {item["iri"]: item for item in self.entries}

    @classmethod
    def from_index(cls, index: dict) -> SearchIndex:
        entries = list(index.get("entities", []))
        for graph in sorted(index.get("documents", {})):
            entries.extend(index["documents"][graph])
        return cls(entries, index.get("classes", {}))

    def search(self, query: str, limit: int = 20, kinds: tuple[str, ...] = ()) -> list[Hit]:
        """The best ``limit`` entries for ``query``, of ``kinds`` only if given."""
        if len(query) > MAX_QUERY:
            raise SearchError(f"the search text is longer than {MAX_QUERY} characters")
        unknown = [k for k in kinds if k not in KIND_NAMES]
        if unknown:
            raise SearchError(f"unknown kind {unknown[0]!r}; known kinds: {', '.join(KIND_NAMES)}")
        if not 1 <= limit <= MAX_LIMIT:
            raise SearchError(f"limit must be between 1 and {MAX_LIMIT}")
        key = normalise(query)
        if not key:
            return []
        best: dict[int, Hit] = {}
        for hit in self._by_name(key):
            self._keep(best, hit)
        for hit in self._by_text(key):
            self._keep(best, hit)
        allowed = set(kinds)
        hits = [h for h in best.values() if not allowed or h.entry["kind"] in allowed]
        hits.sort(key=self._order)
        return hits[:limit]

    def _order(self, hit: Hit) -> tuple:
        label = next(iter(hit.entry.get("labels", {}).values()), "")
        return (-round(hit.score, 1), self.rank.get(hit.entry["kind"], 99), len(hit.matched),
                label, hit.entry["iri"])  # fmt: skip

    def _keep(self, best: dict[int, Hit], hit: Hit) -> None:
        number = id(hit.entry)
        if number not in best or hit.score > best[number].score:
            best[number] = hit

    def _hit(self, name_index: int, score: float) -> Hit:
        number, name_field, text = self.name_of[name_index]
        return Hit(self.entries[number], score, text, name_field)

    def _by_name(self, key: str) -> list[Hit]:
        hits = [self._hit(i, NAME_FIELDS.get(self.name_of[i][1], 94))
                for i in self.exact.get(key, [])]  # fmt: skip
        at = bisect.bisect_left(self.sorted_keys, key)
        while at < len(self.sorted_keys) and self.sorted_keys[at].startswith(key):
            name, i = self.sorted_names[at]
            hits.append(self._hit(i, 85 + 9 * len(key) / len(name)))
            at += 1
        hits += self._by_name_words(key)
        share = FUZZY_CUTOFF / (200 - FUZZY_CUTOFF)  # the shortest length ratio that can pass
        low = bisect.bisect_left(self.lengths, int(len(key) * share))
        high = bisect.bisect_right(self.lengths, int(len(key) / share) + 1)
        for _, score, at in process.extract(
            key, self.names_by_length[low:high], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF,
            limit=50,
        ):  # fmt: skip
            i = self.by_length[low + at]
            hits.append(self._hit(i, 60 + (score - FUZZY_CUTOFF) / (100 - FUZZY_CUTOFF) * 14))
        return hits

    def _by_name_words(self, key: str) -> list[Hit]:
        """Names in which every word of the query starts a word."""
        words = key.split()
        found: set[int] | None = None
        for word in words:
            names = set().union(*(self.name_words[w] for w in self._starting(self.word_keys, word)))
            found = names if found is None else found & names
            if not found:
                return []
        return [self._hit(i, 75 + 9 * len(key) / len(self.names[i])) for i in found or ()]

    @staticmethod
    def _starting(keys: list[str], prefix: str) -> list[str]:
        at = bisect.bisect_left(keys, prefix)
        found = []
        while at < len(keys) and keys[at].startswith(prefix):
            found.append(keys[at])
            at += 1
        return found

    def _by_text(self, key: str) -> list[Hit]:
        """Entries whose text has every word of the query: as written, as the start of a word
        (from four letters) or with a small typo (from five)."""
        found: dict[int, float] | None = None
        first_word = ""
        for word in key.split():
            matches: dict[int, float] = {}
            forms = {word: 1.0}
            if len(word) >= 4:
                forms.update({w: 0.9 for w in self._starting(self.vocabulary, word) if w != word})
            if len(word) >= 5:
                for form, score, _ in process.extract(word, self.vocabulary, scorer=fuzz.ratio,
                                                      score_cutoff=WORD_CUTOFF, limit=20):  # fmt: skip
                    forms.setdefault(form, 0.7 * score / 100)
            for form, weight in forms.items():
                for number in self.text_words.get(form, ()):
                    matches[number] = max(matches.get(number, 0), weight)
            found = (
                matches
                if found is None
                else {n: min(w, matches[n]) for n, w in found.items() if n in matches}
            )
            present = [form for form in forms if form in self.text_words]
            first_word = first_word or max(present, key=lambda form: forms[form], default=word)
            if not found:
                return []
        return [
            Hit(self.entries[n], 40 + 15 * w, first_word, "text") for n, w in (found or {}).items()
        ]

    def label(self, item: dict, lang: str) -> str:
        labels = item.get("labels", {})
        for language in (lang, "", "nl", "en"):
            if labels.get(language):
                return labels[language]
        return next(iter(labels.values()), item["iri"])

    def type_label(self, item: dict, lang: str) -> str:
        labels = self.classes.get(item.get("type", ""), {})
        return labels.get(lang) or labels.get("en") or item.get("type", "").rsplit("#", 1)[-1]


def snippet(text: str, word: str) -> dict[str, str]:
    """The sentence of ``text`` with the first word that starts like ``word`` (normalised),
    cut to about SNIPPET characters each side, as the text before, the word and the text after;
    the start of the text when no word does."""
    if not text:
        return {"before": "", "match": "", "after": ""}
    plain, offsets = _normalised_with_offsets(text)
    found = re.search(rf"(?<![0-9a-z]){re.escape(word)}[0-9a-z]*", plain) if word else None
    if found is None:
        return {
            "before": "",
            "match": "",
            "after": _clip(text[: 2 * SNIPPET], 0, len(text) - 2 * SNIPPET),
        }
    start = offsets[found.start()]
    end = offsets[found.end() - 1] + 1
    begin = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    stop = next((m.start() for m in _SENTENCE_END.finditer(text, end)), len(text))
    begin, stop = max(begin, start - SNIPPET), min(stop, end + SNIPPET)
    return {
        "before": _clip(text[begin:start], begin, 0),
        "match": text[start:end],
        "after": _clip(text[end:stop], 0, len(text) - stop),
    }


def _clip(text: str, before: int, after: int) -> str:
    """Spaces as one; an ellipsis where text was left out."""
    joined = " ".join(text.split())
    if text[:1].isspace():
        joined = " " + joined
    if text[-1:].isspace():
        joined += " "
    return ("…" if before else "") + joined + ("…" if after > 0 else "")
